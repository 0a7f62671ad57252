import { generateKeyPairSync } from 'node:crypto';
import { parseConfig } from './app-config';
import { keyIdOf } from './evidence-keys';

const base = { DATABASE_URL: 'postgres://app@db/prestagate', APP_SECRET: 'x'.repeat(40) };

describe('R-INT evidence keys in the configuration', () => {
  const ed = generateKeyPairSync('ed25519');

  it('R-INT reads the signing key as PEM or as base64 PKCS#8 DER; verify accepts its public key and the listed former ones', () => {
    const former = generateKeyPairSync('ed25519').publicKey;
    const pem = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = ed.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    for (const key of [pem, der]) {
      const formerKey = former.export({ format: 'der', type: 'spki' }).toString('base64');
      const { evidence } = parseConfig({ ...base, EVIDENCE_SIGNING_KEY: key, EVIDENCE_PUBLIC_KEYS: formerKey });
      expect(evidence.publicKeys.map(keyIdOf)).toEqual([keyIdOf(ed.publicKey), keyIdOf(former)]);
      expect(keyIdOf(evidence.signingKey!)).toBe(keyIdOf(ed.publicKey));
    }
  });

  it('R-INT refuses a key that is not Ed25519, naming the variable and never printing the key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parseConfig({ ...base, EVIDENCE_SIGNING_KEY: rsa })).toThrow(/EVIDENCE_SIGNING_KEY: must be an Ed25519 key, not rsa/);
    try {
      parseConfig({ ...base, EVIDENCE_SIGNING_KEY: rsa });
    } catch (error) {
      expect((error as Error).message).not.toContain(rsa.split('\n')[1]);
    }
    expect(() => parseConfig({ ...base, EVIDENCE_PUBLIC_KEYS: 'not-a-key' })).toThrow(/EVIDENCE_PUBLIC_KEYS/);
  });
});
