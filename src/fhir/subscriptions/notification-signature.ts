import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header that carries a rest-hook notification's signature. */
export const SIGNATURE_HEADER = 'x-ucp-signature';

export const MIN_SECRET_LENGTH = 32;

export function generateHmacSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the time is signed with the body, so a
 * captured notification cannot be replayed later under a fresh time, and the receiver checks
 * both with the secret it was given when it subscribed.
 */
export function signNotification(secret: string, body: string, now: Date = new Date()): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a subscriber does with the header (and what the tests do): true when it is this body's, signed recently. */
export function verifyNotificationSignature(
  secret: string,
  body: string,
  header: string,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts['t']);
  const signature = parts['v1'] ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
