/**
 * A path on this server, or `/`. Anything that could leave the site (`//host`, `/\host`, a
 * scheme) or smuggle a header is replaced, so the login cannot be used as an open redirect.
 */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  return value;
}
