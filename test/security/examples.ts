import { pdf } from '@app/testing';
import type Test from 'supertest/lib/test';
import { flatten, isMultipart, Operation, Schema } from './openapi';

/**
 * A valid value for a schema of the OpenAPI document, so an authorized request reaches the handler's own checks. Ids
 * come from `references` by field name; what a schema cannot say (a phone, a URL, a password) is chosen by name.
 */
export function exampleOf(schema: Schema | undefined, name: string, references: Record<string, string>, now: Date): unknown {
  const s = flatten(schema);
  if (s.enum?.length) return s.enum[0];
  if (s.example !== undefined && s.type !== 'array') return s.example;
  switch (s.type) {
    case 'boolean':
      return name === 'allPagesInitialled';
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'array': {
      const item = exampleOf(s.items, name, references, now);
      return [references[name] ?? item];
    }
    case 'object':
      return exampleObject(s, references, now);
    default:
      return exampleString(s, name, references, now);
  }
}

function exampleObject(schema: Schema, references: Record<string, string>, now: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = Object.keys(schema.properties ?? {});
  // Nothing required: one field, so that "nothing to change" does not answer before the access check.
  const required = new Set(schema.required?.length ? schema.required : properties.slice(0, 1));
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (required.has(key) || key in references) out[key] = exampleOf(prop, key, references, now);
  }
  return out;
}

let counter = 0;

function exampleString(s: Schema, name: string, references: Record<string, string>, now: Date): string {
  if (references[name]) return references[name];
  const day = new Date(now.getTime() + 86_400_000);
  switch (s.format) {
    case 'uuid': return '00000000-0000-4000-8000-000000000000';
    case 'date': return now.toISOString().slice(0, 10);
    case 'date-time': return (name === 'from' || name === 'validFrom' ? now : day).toISOString();
    case 'binary': return '';
  }
  if (/email/i.test(name)) return `secu.${++counter}.${now.getTime()}@example.test`;
  if (/phone/i.test(name)) return '+33 2 43 00 00 00';
  if (/url/i.test(name)) return 'https://siem.example.test/hook';
  if (/password/i.test(name)) return 'Un-Mot-De-Passe-Solide-42!';
  const text = 'Valeur de test';
  return text.padEnd(s.minLength ?? 0, '.').slice(0, s.maxLength ?? text.length);
}

/** The request of an operation with a valid body (JSON, or multipart fields plus a PDF). */
export function withExampleBody(req: Test, op: Operation, references: Record<string, string>, now: Date): Test {
  if (!op.body) return req;
  const schema = flatten(op.body.schema);
  if (isMultipart(op)) {
    for (const [key, value] of Object.entries(exampleObject(schema, references, now))) {
      if (key !== 'file') req = req.field(key, String(value));
    }
    return req.attach('file', pdf(`matrix-${++counter}`), { filename: 'signed.pdf', contentType: 'application/pdf' });
  }
  if (op.body.mediaType !== 'application/json') return req.set('content-type', op.body.mediaType).send('');
  return req.send(schema.type === 'object' || schema.properties ? exampleObject(schema, references, now) : []);
}
