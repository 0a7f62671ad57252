// A table is written only by the library that owns it (docs/architecture.md, "Table ownership"); others call its service.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+([a-z_]+)\b(?=[\s\S]{0,400})/gi;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

/** The ownership table of docs/architecture.md: `| library | tables |`, tables in backquotes. */
function owners() {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const section = doc.split('## Table ownership')[1]?.split('\n## ')[0];
  if (!section) throw new Error('docs/architecture.md has no "## Table ownership" section');
  const owner = new Map();
  for (const [, lib, tables] of section.matchAll(/^\| *([a-z]+) *\|(.*)\|\s*$/gm)) {
    for (const [, table] of tables.matchAll(/`([a-z_]+)`/g)) owner.set(table, lib);
  }
  return owner;
}

/** Tables the migrations create: each must have an owner. */
function tables() {
  const dir = join(root, 'migrations');
  const names = new Set();
  for (const file of readdirSync(dir)) {
    for (const [, t] of readFileSync(join(dir, file), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/gi)) names.add(t);
  }
  return names;
}

const owner = owners();
const problems = [];
for (const table of tables()) if (!owner.has(table)) problems.push(`table ${table} has no owner in docs/architecture.md`);
for (const lib of readdirSync(join(root, 'libs'))) {
  if (lib === 'testing') continue; // seeds test data straight into the database
  for (const file of files(join(root, 'libs', lib, 'src'))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/`[^`]*`|'[^'\n]*'/g)) {
      for (const [, table] of match[0].matchAll(WRITE)) {
        const t = table.toLowerCase();
        if (!owner.has(t) || owner.get(t) === lib) continue;
        const line = source.slice(0, match.index).split('\n').length;
        problems.push(`${relative(root, file)}:${line} writes ${t}, owned by ${owner.get(t)}: call a service of @app/${owner.get(t)}`);
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`table owners: ${owner.size} tables, each written by its owner only`);
