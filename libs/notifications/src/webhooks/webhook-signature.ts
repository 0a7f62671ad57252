import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_SCHEME = 'sha256';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, keyed with the webhook's secret (the
 * whole `whsec_...` string, as UTF-8). Signing the timestamp with the body lets a receiver refuse
 * a replayed delivery; docs/guide.md "Webhooks" shows the receiver's side.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
  return `${SIGNATURE_SCHEME}=${mac}`;
}

/**
 * The X-Prestagate-Signature header: one `sha256=...` value per secret in force, comma-separated, the
 * newest secret first. Two values only during the grace period of a secret rotation (docs/guide.md "Webhooks").
 */
export function signatureHeader(secrets: string[], timestamp: number, rawBody: string): string {
  return secrets.map((secret) => signWebhook(secret, timestamp, rawBody)).join(',');
}

/**
 * What a receiver does, in constant time: the delivery is genuine when any value of the header is the
 * signature with the secret it holds. Used by the tests and given as the reference in docs/guide.md.
 */
export function verifyWebhookSignature(secret: string, timestamp: number, rawBody: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  return header.split(',').some((value) => {
    const given = Buffer.from(value.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
