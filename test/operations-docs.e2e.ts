import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '@app/core';
import {
  configSchemaVariables, documentedDefault, documentedVariables, integersIn, launcherVariables, ROOT,
} from './support/operations-reference';

/** docs/operations.md cannot drift from the code: its configuration reference is checked against what the code reads. */
describe('docs/operations.md configuration reference', () => {
  const schema = configSchemaVariables();
  const launcher = launcherVariables();
  const documented = documentedVariables();

  it('the variables read from the config schema are the ones the service exports as CONFIG_VARIABLES', () => {
    expect(schema.map((v) => v.name).sort()).toEqual([...new Set(CONFIG_VARIABLES)].sort());
    // The launcher's own ones (npm start): at least the embedded PostgreSQL's port, so the scan works.
    expect(launcher.map((v) => v.name)).toContain('EMBEDDED_PG_PORT');
  });

  it('lists exactly the environment variables the code reads, each once', () => {
    const read = [...schema, ...launcher].map((v) => v.name).sort();
    expect([...documented.keys()].sort()).toEqual(read);
  });

  it('states each default as the code computes it, and "none" where there is none', () => {
    const wrong = [...schema, ...launcher]
      .filter((v) => documented.has(v.name)) // a missing row is the test above's failure
      .map((v) => ({ name: v.name, code: v.defaultValue ?? null, doc: documentedDefault(documented.get(v.name)!.defaultCell) }))
      .filter((v) => v.code !== v.doc);
    expect(wrong).toEqual([]);
  });

  it('marks every variable the service refuses to start without as required in production', () => {
    const required = schema.filter((v) => v.required).map((v) => v.name);
    expect(required).toEqual(expect.arrayContaining(['DATABASE_URL', 'APP_SECRET']));
    const notMarked = required.filter((name) => !/^yes\b/.test(documented.get(name)!.requiredCell));
    expect(notMarked).toEqual([]);
  });

  it('gives the bounds the schema enforces on numbers', () => {
    const missing = schema
      .filter((v) => v.min !== undefined || v.max !== undefined)
      .filter((v) => {
        const stated = integersIn(documented.get(v.name)!.acceptedCell);
        return [v.min, v.max].some((bound) => bound !== undefined && !stated.includes(bound));
      })
      .map((v) => `${v.name} (${v.min ?? ''}..${v.max ?? ''}): ${documented.get(v.name)!.acceptedCell}`);
    expect(missing).toEqual([]);
  });

  it('keeps the sections operators and engineer tooling link to', () => {
    const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(expect.arrayContaining([
      'Configuration', 'Health and monitoring', 'Metrics', 'Backup and restore', 'Key rotation', 'Upgrading',
    ]));
  });
});
