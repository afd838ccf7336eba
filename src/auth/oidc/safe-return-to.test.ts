import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './safe-return-to.js';

describe('the page to return to after signing in', () => {
  it('keeps a path on this server, with its query', () => {
    expect(safeReturnTo('/plans/9990000018?tab=cpr')).toBe('/plans/9990000018?tab=cpr');
    expect(safeReturnTo(undefined)).toBe('/');
  });

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example', 'plans', '/ok\r\nSet-Cookie: x=1', `/${'a'.repeat(2001)}`])(
    'replaces %j with /',
    (value) => {
      expect(safeReturnTo(value)).toBe('/');
    },
  );
});
