import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { sameSecret } from './session-token.js';

export const CSRF_HEADER = 'x-csrf-token';

/** RFC 9110 §9.2.1: methods that must not change state, and so are never checked. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Anything else (POST, PUT, PATCH, DELETE, and methods this list does not know) is checked. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Refuses (403) a state-changing request authenticated by the session cookie unless it comes
 * from the web app itself: its Origin (or, when a browser sends none, its Referer) must be the
 * public origin, and it must carry `x-csrf-token` equal to the session's CSRF token. A page on
 * another site can make the browser send the cookie, but can neither set that header without a
 * CORS preflight this server does not grant, nor read the token. Safe methods pass unchecked.
 */
export function checkCsrf(request: FastifyRequest, publicOrigin: string, expectedToken: string): void {
  if (isSafeMethod(request.method)) return;
  checkSameOrigin(request, publicOrigin);
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== 'string' || given === '') {
    throw new AppError(
      'forbidden',
      `A ${request.method} request signed in with the session cookie must carry the header ${CSRF_HEADER} ` +
        '(once, with the csrfToken from GET /auth/session). This protects against cross-site request forgery.',
    );
  }
  if (!sameSecret(given, expectedToken)) {
    throw new AppError(
      'forbidden',
      `The ${CSRF_HEADER} header does not match this session's CSRF token; use the csrfToken from GET /auth/session ` +
        '(it changes with every sign-in).',
    );
  }
}

/**
 * Refuses (403) a request whose Origin, or Referer when there is no Origin, is not the public
 * origin. Exported for the sign-in routes: they have no session yet to hold a CSRF token, but a
 * forged sign-in (into the attacker's account) must be refused too.
 */
export function checkSameOrigin(request: FastifyRequest, publicOrigin: string): void {
  const origin = singleHeader(request.headers.origin);
  const referer = singleHeader(request.headers.referer);
  const claimed = origin ?? (referer === undefined ? undefined : originOf(referer));
  if (claimed === undefined) {
    throw new AppError(
      'forbidden',
      `A ${request.method} request signed in with a cookie must say where it comes from (Origin or Referer header); ` +
        `this one sends neither. Only pages of ${publicOrigin} may send it.`,
    );
  }
  if (originOf(claimed) !== publicOrigin) {
    throw new AppError(
      'forbidden',
      `The request comes from ${JSON.stringify(claimed)}, not from ${publicOrigin}; requests signed in with a cookie ` +
        'are accepted only from the web app itself (cross-site request forgery protection).',
    );
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : '';
  return value;
}

/** The serialized origin of a URL, or the input itself when it is not one (`null`, garbage), which then matches nothing. */
function originOf(value: string): string {
  if (!URL.canParse(value)) return value;
  const { origin } = new URL(value);
  return origin === 'null' ? value : origin;
}
