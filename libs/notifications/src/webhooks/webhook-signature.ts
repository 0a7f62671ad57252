import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_SCHEME = 'sha256';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, keyed with the webhook's secret (the
 * whole `whsec_...` string, as UTF-8). Signing the timestamp with the body lets a receiver refuse
 * a replayed delivery; README "Webhooks" shows the receiver's side.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
  return `${SIGNATURE_SCHEME}=${mac}`;
}

/** What a receiver does, in constant time; used by the tests and given as the reference in the README. */
export function verifyWebhookSignature(secret: string, timestamp: number, rawBody: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
