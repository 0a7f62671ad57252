import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, NodeEnv } from '@app/core';

/**
 * What docs/operations.md#configuration is checked against: the environment variables the code
 * reads, read from the code itself (the config schema's source, the launcher's scripts), so that a
 * variable added, removed or given another default without its row fails the tests.
 */
export const ROOT = join(__dirname, '..', '..');
const CONFIG_SOURCE = 'libs/core/src/config/app-config.ts';

export interface ReadVariable {
  name: string;
  /** Refused when absent (no @IsOptional()). */
  required: boolean;
  /** The value used when the variable is absent, as the code computes it; undefined when there is none. */
  defaultValue?: string;
  min?: number;
  max?: number;
}

/** Every property of the config schema class (`EnvSchema`), with its default and bounds. */
export function configSchemaVariables(): ReadVariable[] {
  const source = readFileSync(join(ROOT, CONFIG_SOURCE), 'utf8');
  const body = /class EnvSchema \{\n([\s\S]*?)\n\}/.exec(source)?.[1];
  if (!body) throw new Error(`class EnvSchema not found in ${CONFIG_SOURCE}`);
  return body.split('\n').filter((line) => line.trim() && !line.trim().startsWith('//')).map((line) => {
    const property = /\b([A-Z][A-Z0-9_]+)[?!]?(?:\s*:\s*[\w.]+)?(?:\s*=\s*(.+?))?;\s*$/.exec(line);
    if (!property) throw new Error(`Cannot read the config property on: ${line.trim()}`);
    const bound = (name: string) => {
      const found = new RegExp(`@${name}\\((-?[\\d_]+)\\)`).exec(line)?.[1];
      return found === undefined ? undefined : Number(found.replace(/_/g, ''));
    };
    return {
      name: property[1],
      required: !line.includes('@IsOptional()'),
      // An empty default is no default: the configuration treats an empty value as absent.
      defaultValue: property[2] === undefined ? undefined : evaluateDefault(property[2]) || undefined,
      min: bound('Min'),
      max: bound('Max'),
    };
  });
}

function evaluateDefault(expression: string): string {
  const text = /^'([^']*)'$/.exec(expression);
  if (text) return text[1];
  const member = /^NodeEnv\.(\w+)$/.exec(expression);
  if (member) return NodeEnv[member[1] as keyof typeof NodeEnv];
  if (/^[\d_\s*+]+$/.test(expression)) {
    return String(expression.replace(/_/g, '').split('+').reduce((sum, term) => sum + term.split('*').reduce((p, f) => p * Number(f), 1), 0));
  }
  throw new Error(`Cannot evaluate the default "${expression}" in ${CONFIG_SOURCE}: teach test/support/operations-reference.ts`);
}

/** Variables the scripts (the `npm start` launcher, migrate, create-platform-admin, healthcheck) read that the config schema does not. */
export function launcherVariables(): ReadVariable[] {
  const schema = new Set(CONFIG_VARIABLES);
  const found = new Map<string, ReadVariable>();
  for (const file of readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(ROOT, 'scripts', file), 'utf8');
    for (const [, name] of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) {
      if (schema.has(name) || found.has(name)) continue;
      const fallback = new RegExp(`env\\.${name} \\?\\? (\\d+|'[^']*')`).exec(source)?.[1];
      found.set(name, { name, required: false, defaultValue: fallback?.replace(/'/g, '') });
    }
  }
  return [...found.values()];
}

export interface DocumentedVariable {
  name: string;
  defaultCell: string;
  requiredCell: string;
  acceptedCell: string;
  meaning: string;
}

/** The rows of the tables under "## Configuration" in docs/operations.md: | `NAME` | default | required in production | accepted | meaning |. */
export function documentedVariables(): Map<string, DocumentedVariable> {
  const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  const section = /\n## Configuration\n([\s\S]*?)(?=\n## )/.exec(doc)?.[1];
  if (!section) throw new Error('docs/operations.md has no "## Configuration" section');
  const rows = new Map<string, DocumentedVariable>();
  for (const line of section.split('\n').filter((l) => /^\| `[A-Z][A-Z0-9_]+` \|/.test(l))) {
    const cells = line.slice(1, -1).split(' | ').map((c) => c.trim());
    if (cells.length !== 5) throw new Error(`docs/operations.md: a configuration row needs 5 cells: ${line}`);
    const name = cells[0].replace(/`/g, '');
    if (rows.has(name)) throw new Error(`docs/operations.md lists ${name} twice`);
    rows.set(name, { name, defaultCell: cells[1], requiredCell: cells[2], acceptedCell: cells[3], meaning: cells[4] });
  }
  return rows;
}

/** The value a default cell states: its first `code` span, or null for "none". */
export function documentedDefault(cell: string): string | null {
  if (/^none\b/.test(cell)) return null;
  const code = /`([^`]*)`/.exec(cell);
  if (!code) throw new Error(`A default cell must start with "none" or hold the value in backticks: ${cell}`);
  return code[1];
}

/** The integers a cell mentions (thousands separators allowed: 60,000 or 60 000). */
export function integersIn(cell: string): number[] {
  return [...cell.replace(/(\d)[, ](?=\d{3}\b)/g, '$1').matchAll(/-?\d+/g)].map((m) => Number(m[0]));
}
