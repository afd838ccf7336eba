import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionSettings } from './session-settings.js';

/**
 * The attributes of the session cookie.
 *
 * - HttpOnly: page script never sees the token (the CSRF token it needs comes from
 *   GET /auth/session instead), so an injected script cannot carry the session away.
 * - SameSite=Lax, not Strict: clinicians open a patient's plan from their own record system
 *   (EMIS, SystmOne, an ambulance ePR) by a link or an in-context launch, which arrives as a
 *   top-level navigation from another site. Under Strict that first request would come without
 *   the cookie and the person would be asked to sign in again mid-emergency. Lax still withholds
 *   the cookie from cross-site POSTs, frames and sub-requests; the CSRF token and Origin check
 *   cover what Lax lets through (same-site subdomains, older browsers).
 * - Over TLS: Secure, Path=/ and no Domain, under the `__Host-` name (see session-settings.ts).
 * - Max-Age is the time left until the absolute expiry: the browser forgets the cookie when the
 *   server would refuse it anyway. The idle timeout is the server's to enforce.
 */
export function sessionCookieOptions(settings: SessionSettings, maxAgeSeconds: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    secure: settings.tls,
    sameSite: 'lax',
    path: '/',
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
  };
}

/** Sets the session cookie, to last until the session's absolute expiry. Needs @fastify/cookie. */
export function setSessionCookie(reply: FastifyReply, settings: SessionSettings, token: string, absoluteExpiresAt: Date): void {
  const seconds = (absoluteExpiresAt.getTime() - settings.clock().getTime()) / 1000;
  reply.setCookie(settings.cookieName, token, sessionCookieOptions(settings, seconds));
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(reply: FastifyReply, settings: SessionSettings): void {
  reply.clearCookie(settings.cookieName, sessionCookieOptions(settings, 0));
}

/** The token in the request's session cookie, if it has one. */
export function sessionCookieOf(request: FastifyRequest, settings: SessionSettings): string | undefined {
  // Null when @fastify/cookie is registered with hook: false, or not in this request's scope.
  const cookies = request.cookies as FastifyRequest['cookies'] | null | undefined;
  const token = cookies?.[settings.cookieName];
  return token === undefined || token === '' ? undefined : token;
}
