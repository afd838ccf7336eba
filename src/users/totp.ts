import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA1, the combination every
 * authenticator app supports. Pure apart from generating secrets.
 */

export interface TotpParameters {
  /** Length of the code, 6 to 8 (RFC 4226 §5.3). */
  digits: number;
  /** Seconds per time step (RFC 6238 X). */
  stepSeconds: number;
}

export const DEFAULT_TOTP_PARAMETERS: TotpParameters = { digits: 6, stepSeconds: 30 };

/** 160 bits, the secret length RFC 4226 §4 recommends for HMAC-SHA1. */
export const TOTP_SECRET_BYTES = 20;

export function generateTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** The HOTP value for `counter` (RFC 4226 §5.3: HMAC-SHA1, dynamic truncation, modulo 10^digits). */
export function hotp(secret: Uint8Array, counter: number | bigint, digits = DEFAULT_TOTP_PARAMETERS.digits): string {
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new RangeError('digits must be 6, 7 or 8');
  const count = BigInt(counter);
  if (count < 0n || count >= 2n ** 64n) throw new RangeError('counter must fit in 8 bytes');
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(count);
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step `time` falls in (RFC 6238 §4.2, T0 = 0). */
export function totpStep(time: Date, stepSeconds = DEFAULT_TOTP_PARAMETERS.stepSeconds): number {
  return Math.floor(time.getTime() / 1000 / stepSeconds);
}

/** The TOTP code at `time`. */
export function totp(secret: Uint8Array, time: Date, parameters: TotpParameters = DEFAULT_TOTP_PARAMETERS): string {
  return hotp(secret, totpStep(time, parameters.stepSeconds), parameters.digits);
}

/**
 * The latest step within `window` steps of `time` whose code is `code`, or undefined. Accepting
 * a step either side allows for clock drift and the seconds a person takes to type (RFC 6238
 * §5.2). Every candidate is compared, in constant time, so the time taken does not say which
 * step matched. Replay is the caller's to refuse: it knows the last step accepted.
 */
export function matchTotpStep(
  secret: Uint8Array,
  code: string,
  time: Date,
  options: { window?: number; parameters?: TotpParameters } = {},
): number | undefined {
  const { window = 1, parameters = DEFAULT_TOTP_PARAMETERS } = options;
  const offered = Buffer.from(code.replace(/\s/g, ''));
  const current = totpStep(time, parameters.stepSeconds);
  let matched: number | undefined;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(hotp(secret, step, parameters.digits));
    if (offered.length === expected.length && timingSafeEqual(offered, expected)) matched = step;
  }
  return matched;
}
