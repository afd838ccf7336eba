/** A path of this app to go to after signing in; anything else (another site, a sign-in page) is the home page. */
export function safeReturnTo(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (value.startsWith('/sign-in')) return '/';
  return value;
}
