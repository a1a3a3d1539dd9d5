import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How receivers know a webhook request comes from Vigil and is fresh:
 *
 *   X-Vigil-Timestamp: <Unix seconds when this attempt was sent>
 *   X-Vigil-Signature: sha256=<hex HMAC-SHA256 over "<timestamp>.<raw request body>", keyed with the webhook secret>
 *
 * A receiver recomputes the HMAC over the timestamp header, a dot and the exact bytes of the body (before any JSON
 * parsing), compares in constant time, and rejects timestamps more than five minutes from its own clock, so that a
 * captured request cannot be replayed later. Each retry is signed afresh with its own timestamp.
 */
export const SIGNATURE_HEADER = 'x-vigil-signature';
export const TIMESTAMP_HEADER = 'x-vigil-timestamp';
export const REPLAY_WINDOW_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** What the API shows after creation: enough to tell secrets apart, not enough to sign. */
export function maskSecret(secret: string): string {
  return `${SECRET_PREFIX}…${secret.slice(-4)}`;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's side, for tests and as the reference implementation of the scheme. */
export function verifySignature(secret: string, headers: { signature: string | undefined; timestamp: string | undefined }, body: string, now: Date): boolean {
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(now.getTime() / 1000 - timestamp) > REPLAY_WINDOW_SECONDS) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
