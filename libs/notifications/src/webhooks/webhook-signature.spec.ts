import { createHmac } from 'node:crypto';
import { signatureHeader, signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('R-NOT webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","event":"account.suspended"}';

  it('R-NOT signs "<timestamp>.<raw body>" with HMAC-SHA256, hex, prefixed sha256=', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('R-NOT verification fails on another body, timestamp or secret', () => {
    const header = signWebhook(secret, 1700000000, body);
    expect(verifyWebhookSignature(secret, 1700000000, body, header)).toBe(true);
    expect(verifyWebhookSignature(secret, 1700000000, `${body} `, header)).toBe(false);
    expect(verifyWebhookSignature(secret, 1700000001, body, header)).toBe(false);
    expect(verifyWebhookSignature('whsec_other', 1700000000, body, header)).toBe(false);
    expect(verifyWebhookSignature(secret, 1700000000, body, undefined)).toBe(false);
    expect(verifyWebhookSignature(secret, 1700000000, body, 'sha256=00')).toBe(false);
  });

  it('R-NOT during a secret rotation the header holds one value per secret, newest first; either secret verifies, no other', () => {
    const header = signatureHeader(['whsec_new', secret], 1700000000, body);
    expect(header).toBe(`${signWebhook('whsec_new', 1700000000, body)},${signWebhook(secret, 1700000000, body)}`);
    expect(signatureHeader([secret], 1700000000, body)).toBe(signWebhook(secret, 1700000000, body));
    expect(verifyWebhookSignature('whsec_new', 1700000000, body, header)).toBe(true);
    expect(verifyWebhookSignature(secret, 1700000000, body, header)).toBe(true);
    expect(verifyWebhookSignature('whsec_other', 1700000000, body, header)).toBe(false);
    expect(verifyWebhookSignature(secret, 1700000000, `${body} `, header)).toBe(false);
  });
});
