import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';

/** R-INT: an Ed25519 private key given as PEM, or as base64 of its PKCS#8 DER form. */
export function parsePrivateKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPrivateKey(text.replace(/\\n/g, '\n'))
    : createPrivateKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/** Public keys (PEM or base64 SPKI DER), comma-separated, plus the signing key's own. */
export function parsePublicKeys(list: string, signingKey: KeyObject | null): KeyObject[] {
  const keys = list.split(',').map((k) => k.trim()).filter(Boolean).map((text) => {
    const key = text.includes('-----BEGIN')
      ? createPublicKey(text.replace(/\\n/g, '\n'))
      : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be Ed25519 keys, not ${key.asymmetricKeyType}`);
    return key;
  });
  return signingKey ? [createPublicKey(signingKey), ...keys] : keys;
}

/** What a checkpoint names its key by: the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16);
}
