import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32.js';

// RFC 4648 §10.
const VECTORS: readonly [string, string][] = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('base32', () => {
  it.each(VECTORS)('encodes %j as %s (RFC 4648 test vectors)', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain, 'ascii'))).toBe(encoded);
    expect(base32Decode(encoded).toString('ascii')).toBe(plain);
  });

  it('leaves the padding off when asked, and decodes unpadded text', () => {
    expect(base32Encode(Buffer.from('foobar'), { padding: false })).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
  });

  it('round-trips random secrets of every length up to 40 bytes', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = randomBytes(length);
      expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
      expect(base32Decode(base32Encode(bytes, { padding: false }))).toEqual(bytes);
    }
  });

  it('accepts what people type: lower case, spaces and hyphens', () => {
    expect(base32Decode('mzxw 6ytb-oi').toString()).toBe('foobar');
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZXW1YTB')).toThrow(/'1' is not a base32 character/);
    expect(() => base32Decode('MZ=XW')).toThrow(RangeError);
  });
});
