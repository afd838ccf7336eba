import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrfTokenOf, isWellFormedSessionToken, newSessionToken, sameSecret, sessionIdOf } from './session-token.js';

describe('session tokens', () => {
  it('are 256 random bits in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newSessionToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isWellFormedSessionToken(token)).toBe(true);
    }
    expect(isWellFormedSessionToken('short')).toBe(false);
    expect(isWellFormedSessionToken(`${'a'.repeat(42)}=`)).toBe(false);
  });

  it('are stored by their SHA-256, and give a CSRF token that is neither the token nor its id', () => {
    const token = newSessionToken();
    expect(sessionIdOf(token)).toBe(createHash('sha256').update(token).digest('hex'));
    const csrf = csrfTokenOf(token);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrf).toBe(csrfTokenOf(token));
    expect(csrf).not.toBe(token);
    expect(csrf).not.toBe(sessionIdOf(token));
    expect(Buffer.from(csrf, 'base64url').toString('hex')).not.toBe(sessionIdOf(token));
    expect(csrfTokenOf(newSessionToken())).not.toBe(csrf);
  });

  it('compares secrets of any lengths without throwing', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
    expect(sameSecret('abcdef', 'abc')).toBe(false);
  });
});
