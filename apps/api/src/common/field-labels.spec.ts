import { globSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { fieldLabel, textEntry } from '@app/core';

const ROOT = join(__dirname, '../../../..');
/** Constraints that never answer a message of their own; the environment's schema (EnvSchema) is read by operators. */
const SILENT = new Set(['conditionalValidation', 'isOptional', 'whitelistValidation']);

/** Every class-validator rule of the API's bodies and queries, from the DTOs as the API loads them. */
function validatedProperties(): { target: string; property: string; constraint: string }[] {
  const files = globSync('{apps/api/src,libs/*/src}/**/*.ts', { cwd: ROOT })
    .filter((f) => !/\.(spec|e2e)\.ts$/.test(f) && !f.startsWith('libs/testing') && !f.endsWith('main.ts'));
  for (const file of files) require(join(ROOT, file));
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<Function, { propertyName: string; name?: string; type: string }[]>;
  };
  return [...storage.validationMetadatas].filter(([target]) => target.name !== 'EnvSchema').flatMap(([target, list]) =>
    list.map((m) => ({ target: target.name, property: m.propertyName, constraint: m.name ?? m.type })));
}

describe('R-L10N field messages of the API (libs/core/src/errors/field-labels.json, validation-messages.json)', () => {
  const rules = validatedProperties();

  it('R-L10N every DTO property the API validates has a label in French and English', () => {
    expect(rules.length).toBeGreaterThan(100);
    const unlabelled = [...new Set(rules.map((r) => r.property))].filter((p) => fieldLabel(p).fr === p && fieldLabel(p).en === p);
    expect(unlabelled).toEqual([]);
  });

  it('R-L10N every constraint the DTOs use has its own message in both languages', () => {
    const without = [...new Set(rules.map((r) => r.constraint))]
      .filter((c) => !SILENT.has(c) && !textEntry({ catalogue: 'validation', key: c === 'isLength' ? 'isLengthMin' : c }));
    expect(without).toEqual([]);
  });
});
