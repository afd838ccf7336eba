import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url without padding: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Domain separation, so the CSRF token can never equal any other value derived from the session token. */
const CSRF_LABEL = 'ucp-session-csrf-v1';

/** A fresh session token, for the cookie only. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isWellFormedSessionToken(token: string): boolean {
  return TOKEN.test(token);
}

/** The stored id of a session: SHA-256 of its token, in hex. The token cannot be recovered from it. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The synchroniser token for CSRF protection, derived from the session token with HMAC-SHA-256:
 * the server recomputes it from the cookie on every request, so nothing is stored, and a page
 * that learns it (it is given to the web app's script) learns nothing about the cookie.
 */
export function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update(CSRF_LABEL, 'utf8').digest('base64url');
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
