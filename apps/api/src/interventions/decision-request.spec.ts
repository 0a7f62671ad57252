import fc from 'fast-check';
import { ArgumentMetadata } from '@nestjs/common';
import { validationPipe, ValidationFailed } from '@app/core';
import { DecisionRequestDto } from './interventions.dto';
import { DecisionRequestPipe, plainDecisionRequest } from './decision-request.pipe';

const full = validationPipe();
const metadata: ArgumentMetadata = { type: 'body', metatype: DecisionRequestDto, data: undefined };

/** What a validation answers, in comparable form: the values the service reads, or the 400's field errors. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    const v = (await run()) as { account: string; resource: string; at?: Date | null; accessType?: string | null };
    const at = v.at instanceof Date ? v.at.getTime() : v.at ?? undefined;
    return { ok: { account: v.account, resource: v.resource, at, accessType: v.accessType ?? undefined } };
  } catch (error) {
    if (!(error instanceof ValidationFailed)) return { threw: String(error) };
    return { refused: error.message, errors: error.errors };
  }
}

const text = fc.oneof(
  fc.string({ maxLength: 5 }), fc.string({ minLength: 195, maxLength: 205 }), fc.string({ minLength: 318, maxLength: 322 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('', 'a', 'res-0001', 'jean.dupont@biomed.fr', 'é\uFE0F', '\u{1F600}'),
);
const instantText = fc.oneof(
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'not a date' : d.toISOString())),
  fc.constantFrom('', 'yesterday', '2026-13-45T25:61:00Z', '2026-12-02', '2026-12-02T10:00:00+01:00', '-004712-01-01T00:00:00Z',
    '-004713-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z', ' 2026-12-02T10:00:00Z', '1'),
);
const anyValue = fc.oneof(text, instantText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), text, { maxKeys: 2 }), fc.constantFrom('remote', 'onsite', 'REMOTE', 'vpn'));
/** As the route receives it: parsed JSON (Fastify refuses `__proto__` and `constructor` keys before). */
const body = fc.record({
  account: fc.oneof(text, anyValue), resource: fc.oneof(text, anyValue), at: fc.oneof(instantText, anyValue),
  accessType: fc.oneof(fc.constantFrom('remote', 'onsite'), anyValue), tenantId: anyValue,
}, { requiredKeys: [] }).map((b) => JSON.parse(JSON.stringify(b)) as unknown);
/** Bodies near the valid ones: the hand-written path's border. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: usual, weight: 6 }, { arbitrary: other, weight: 1 });
const nearlyValid = fc.record({
  account: mostly(fc.string({ minLength: 1, maxLength: 40 }), fc.oneof(text, fc.string({ minLength: 1, maxLength: 6, unit: 'binary' }))),
  resource: mostly(fc.string({ minLength: 1, maxLength: 40 }), fc.oneof(text, fc.string({ minLength: 1, maxLength: 6, unit: 'binary' }))),
  at: mostly(fc.constant(undefined), instantText),
  accessType: mostly(fc.constantFrom(undefined, 'remote', 'onsite'), fc.constantFrom('REMOTE', null, 1)),
  tenantId: mostly(fc.constant(undefined), text),
}).map((b) => JSON.parse(JSON.stringify(b)) as unknown);
const json = anyValue.map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('access-decision body without class-validator (R-ART36 hot path)', () => {
  const pipe = new DecisionRequestPipe();

  it('R-ART36 the usual bodies take the hand-written path', () => {
    for (const b of [
      { account: 'jean.dupont@biomed.fr', resource: 'res-0001' },
      { account: '0b9d2c4e-8f1a-4c3b-9d2e-1f0a2b3c4d5e', resource: 'pacs-01', at: '2026-12-02T10:00:00Z', accessType: 'onsite' },
    ]) expect(plainDecisionRequest(b)).toBeDefined();
  });

  it('R-ART36 on any body, the decision route answers what class-validator answers (values, or the 400 field errors)', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(body, nearlyValid, json, fc.constant(undefined)), async (b) => {
      const copy = structuredClone(b);
      expect(await outcome(() => pipe.transform(b))).toEqual(await outcome(() => full.transform(copy, metadata)));
    }), { numRuns: 3000 });
  });

  it('R-ART36 the hand-written path accepts only what class-validator accepts, with the same values', async () => {
    let taken = 0;
    await fc.assert(fc.asyncProperty(nearlyValid, async (b) => {
      const fast = plainDecisionRequest(b);
      if (fast === undefined) return;
      taken++;
      const checked = await outcome(() => full.transform(structuredClone(b), metadata));
      expect(await outcome(() => fast)).toEqual(checked);
    }), { numRuns: 3000 });
    expect(taken).toBeGreaterThan(1000);
  });
});
