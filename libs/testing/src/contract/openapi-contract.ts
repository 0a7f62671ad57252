import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of the OpenAPI 3.0 document served at /docs-json that an answer is checked against. */
export interface ContractDocument {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, DocumentedResponse> }>>;
  components?: { schemas?: Record<string, unknown> };
}
interface DocumentedResponse { description?: string; content?: Record<string, { schema?: object }> }

/** One answer the tests received: the request that asked for it and what came back. */
export interface Answer {
  method: string;
  /** The path asked for, with or without its query string. */
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (superagent's `res.body`) and the raw text, when textual. */
  body: unknown;
  text?: string;
}

export type Verdict = { kind: 'checked' } | { kind: 'skipped'; why: string } | { kind: 'violation'; message: string };

/** Routes the document does not describe on purpose: their answers are not checked. */
export const OUTSIDE_THE_DOCUMENT: { path: RegExp; methods?: string[]; why: string }[] = [
  { path: /^\/health(\/|$)/, why: 'orchestrator probes (terminus)' },
  { path: /^\/metrics(\/|$)/, why: 'Prometheus exposition' },
  { path: /^\/docs(-json|-yaml)?(\/|$)/, why: 'the document itself and Swagger UI' },
  { path: /^\/(?!v1(\/|$))/, methods: ['GET', 'HEAD'], why: "the web console's files and pages" },
];

const PROBLEM_SCHEMA = 'Problem';
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/;
const MAX_ERRORS = 3;

interface Route { template: string; pattern: RegExp; params: number }

/**
 * The document as a contract: every answer's status must be documented for its operation (exactly, as a
 * range such as 4XX, or as default), its content type among the documented ones, and a JSON body must match
 * the schema, objects closed (a field answered but not documented is a drift too).
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, inlineRefs: false });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();
  readonly counts = { checked: 0, skipped: 0, violations: 0 };

  constructor(private readonly doc: ContractDocument) {
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    // Each component is compiled once, under its own id: Ajv compiles a reference into a bare document anew at every use.
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) this.ajv.addSchema(prepared(schema), componentId(name));
    this.routes = Object.keys(doc.paths).map(route).sort((a, b) => a.params - b.params);
  }

  /** Checks one answer; the counts keep how many were checked, skipped and refused. */
  check(answer: Answer): Verdict {
    const verdict = this.verdict(answer);
    if (verdict.kind === 'checked') this.counts.checked++;
    else if (verdict.kind === 'skipped') this.counts.skipped++;
    else this.counts.violations++;
    return verdict;
  }

  private verdict(answer: Answer): Verdict {
    const method = answer.method.toLowerCase();
    const path = answer.path.split('?')[0];
    const outside = OUTSIDE_THE_DOCUMENT.find((o) => o.path.test(path) && (!o.methods || o.methods.includes(method.toUpperCase())));
    if (outside) return { kind: 'skipped', why: outside.why };
    const template = this.routes.find((r) => r.pattern.test(path))?.template;
    const operation = template ? this.doc.paths[template][method] : undefined;
    const label = `${method.toUpperCase()} ${template ?? path}`;
    if (!operation) return this.unrouted(label, answer);
    const responses = operation.responses ?? {};
    const code = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find((key) => responses[key]);
    const documented = Object.keys(responses).join(', ');
    if (!code) return violation(label, answer, `status ${answer.status} is not documented (documented: ${documented})`);
    return this.content(label, answer, responses[code], `#/paths/${pointer(template!)}/${method}/responses/${code}`);
  }

  /** A path or method the document does not know may only be refused, as a problem. */
  private unrouted(label: string, answer: Answer): Verdict {
    if (answer.status < 400 || answer.status >= 500) return violation(label, answer, 'the operation is not in the document');
    const problem = this.doc.components?.schemas?.[PROBLEM_SCHEMA] ? { $ref: `${COMPONENT}${PROBLEM_SCHEMA}` } : undefined;
    return this.content(label, answer, { content: { 'application/problem+json': { schema: problem } } }, 'unrouted');
  }

  private content(label: string, answer: Answer, documented: DocumentedResponse, key: string): Verdict {
    const media = mediaTypeOf(answer);
    const offered = Object.keys(documented.content ?? {});
    if (!offered.length) {
      return media ? violation(label, answer, `answers ${media} where the document gives no body`) : { kind: 'checked' };
    }
    const match = offered.find((type) => mediaMatches(type, media));
    if (!match) return violation(label, answer, `answers ${media ?? 'no body'} where the document gives ${offered.join(', ')}`);
    const schema = documented.content![match].schema;
    if (!schema || !JSON_MEDIA.test(media!)) return { kind: 'checked' };
    let validate: ValidateFunction;
    try {
      validate = this.validator(`${key}/${match}`, schema);
    } catch (error) {
      return violation(label, answer, `its documented schema cannot be compiled: ${(error as Error).message}`);
    }
    if (validate(answer.body)) return { kind: 'checked' };
    return violation(label, answer, `its body does not match the schema: ${describe(validate.errors ?? [])}`);
  }

  private validator(key: string, schema: object): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(prepared(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function route(template: string): Route {
  const source = template.split('/').map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
  return { template, pattern: new RegExp(`^${source.join('/')}/?$`), params: (template.match(/\{/g) ?? []).length };
}

function pointer(template: string): string {
  return template.replace(/~/g, '~0').replace(/\//g, '~1');
}

function mediaTypeOf(answer: Answer): string | undefined {
  const header = answer.headers['content-type'];
  const type = (Array.isArray(header) ? header[0] : header)?.split(';')[0].trim().toLowerCase();
  const empty = answer.text === '' || (answer.text === undefined && answer.headers['content-length'] === '0');
  return type && !(empty && answer.status === 204) ? type : undefined;
}

function mediaMatches(documented: string, answered: string | undefined): boolean {
  if (!answered) return false;
  if (documented === '*/*' || documented === answered) return true;
  return documented.endsWith('/*') && answered.startsWith(documented.slice(0, -1));
}

/**
 * An object schema that lists its properties lists all of them, unless it says otherwise; `nullable` admits null
 * beside an enum too, as openapi-typescript and Swagger UI read it.
 */
function closeObjects<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (schema.properties && typeof schema.properties === 'object' && schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
    if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    Object.values(schema).forEach(closeObjects);
  }
  return node;
}

const COMPONENT = '#/components/schemas/';
const componentId = (name: string) => `https://openapi.prestagate.test/schemas/${name}`;

function prepared(schema: unknown): object {
  return closeObjects(componentRefs(structuredClone(schema))) as object;
}

/** References point at the components, each registered under its own id. */
function componentRefs<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(componentRefs);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith(COMPONENT)) {
      schema.$ref = componentId(schema.$ref.slice(COMPONENT.length));
    }
    Object.values(schema).forEach(componentRefs);
  }
  return node;
}

function describe(errors: ErrorObject[]): string {
  const shown = errors.slice(0, MAX_ERRORS).map((e) => {
    const property = (e.params as { additionalProperty?: string }).additionalProperty;
    const extra = e.keyword === 'additionalProperties' ? ` (${String(property)})` : '';
    return `${e.instancePath || '(body)'} ${e.message ?? e.keyword}${extra}`;
  });
  return shown.join('; ') + (errors.length > MAX_ERRORS ? `; and ${errors.length - MAX_ERRORS} more` : '');
}

function violation(label: string, answer: Answer, why: string): Verdict {
  const body = answer.text && answer.text.length > 300 ? `${answer.text.slice(0, 300)}...` : answer.text;
  return { kind: 'violation', message: `OpenAPI contract: ${label} answered ${answer.status}: ${why}${body ? `\n  body: ${body}` : ''}` };
}
