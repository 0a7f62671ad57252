import SwaggerParser from '@apidevtools/swagger-parser';
import type { TestContext } from '@app/testing';

/** The parts of an OpenAPI 3 document the security suite reads (the document served at /docs-json). */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  example?: unknown;
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface OperationObject {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  'x-public'?: boolean;
  'x-roles'?: string[];
  'x-api-key-scope'?: string;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
}

/** Who may call an operation, as the document declares it (the same decorator sets the guard's rule). */
export type Access =
  | { kind: 'public' }
  | { kind: 'roles'; roles: string[] }
  | { kind: 'gateway'; scope: string };

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI template, e.g. /v1/accounts/{id}/approve */
  path: string;
  /** "POST /v1/accounts/{id}/approve", for messages */
  label: string;
  access: Access;
  pathParams: string[];
  queryParams: Parameter[];
  /** The declared body: its media type and schema (dereferenced), if any. */
  body?: { mediaType: string; schema: Schema };
  raw: OperationObject;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The document as the application serves it, then dereferenced (every $ref replaced by its schema). */
export async function fetchDocument(ctx: TestContext): Promise<{ served: OpenApiDocument; dereferenced: OpenApiDocument }> {
  const res = await ctx.http.get('/docs-json').expect(200);
  const served = res.body as OpenApiDocument;
  const dereferenced = (await SwaggerParser.dereference(structuredClone(served) as never)) as unknown as OpenApiDocument;
  return { served, dereferenced };
}

/** The access rule an operation publishes; an error message when it publishes none or several. */
export function accessOf(op: OperationObject): Access | string {
  const declared = [op['x-public'] === true, Array.isArray(op['x-roles']), typeof op['x-api-key-scope'] === 'string'].filter(Boolean).length;
  if (declared !== 1) return `declares ${declared} access rules (x-public, x-roles, x-api-key-scope): exactly one is expected`;
  if (op['x-public']) return { kind: 'public' };
  if (op['x-roles']) return op['x-roles'].length ? { kind: 'roles', roles: op['x-roles'] } : 'x-roles is empty: nobody may call it';
  return { kind: 'gateway', scope: op['x-api-key-scope']! };
}

/** Every operation of the document, in document order; throws listing those without a (single) access rule. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  const problems: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const label = `${method.toUpperCase()} ${path}`;
      const access = accessOf(raw);
      if (typeof access === 'string') {
        problems.push(`${label} ${access}`);
        continue;
      }
      const params = raw.parameters ?? [];
      const content = raw.requestBody?.content ?? {};
      const mediaType = Object.keys(content)[0];
      operations.push({
        method, path, label, access, raw,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query'),
        body: mediaType ? { mediaType, schema: content[mediaType].schema ?? {} } : undefined,
      });
    }
  }
  if (problems.length) throw new Error(`Operations without a single declared access rule:\n${problems.join('\n')}`);
  return operations;
}

/** The path with its parameters replaced (values are URI-encoded). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`No value for path parameter ${name} of ${template}`);
    return encodeURIComponent(values[name]);
  });
}

/** The object kind a path parameter names: the segment before it (`/v1/reviews/{id}/items/{itemId}`: reviews, items). */
export function paramKinds(template: string): Record<string, string> {
  const kinds: Record<string, string> = {};
  const segments = template.split('/');
  segments.forEach((segment, i) => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name) kinds[name] = segments[i - 1];
  });
  return kinds;
}

export function isMultipart(op: Operation): boolean {
  return op.body?.mediaType === 'multipart/form-data';
}

/** Merges allOf (what @nestjs/swagger emits for extended DTOs) into one object schema. */
export function flatten(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map(flatten);
  return {
    ...schema, allOf: undefined, type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), schema.properties ?? {}),
    required: [...new Set(parts.flatMap((p) => p.required ?? []).concat(schema.required ?? []))],
  };
}
