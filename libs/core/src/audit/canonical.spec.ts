import { canonicalJson, chainHash, GENESIS_HASH } from './canonical';

describe('R-AUD canonical content and chain hash', () => {
  const content = {
    chainKey: 'k', seq: 1, tenantId: null, occurredAt: '2026-01-01T00:00:00.000Z', actorType: 'user',
    actorId: 'a', actorLabel: null, action: 'x', targetType: 't', targetId: null,
    before: null, after: { b: 1, a: [{ z: 1, y: 2 }] }, prevHash: GENESIS_HASH,
  };

  it('orders keys at every depth, so jsonb round trips hash the same', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const h = chainHash(content);
    expect(chainHash({ ...content, after: { b: 2, a: [{ z: 1, y: 2 }] } })).not.toBe(h);
    expect(chainHash({ ...content, prevHash: 'f'.repeat(64) })).not.toBe(h);
    expect(chainHash({ ...content, after: { a: [{ y: 2, z: 1 }], b: 1 } })).toBe(h);
  });
});
