import { describe, expect, it } from 'vitest';
import { generateTotpSecret, hotp, matchTotpStep, totp, totpStep } from './totp.js';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('HOTP (RFC 4226)', () => {
  it('gives the Appendix D values for counters 0 to 9', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(RFC_SECRET, counter))).toEqual(expected);
  });

  it('refuses digit counts outside 6..8 and counters outside 8 bytes', () => {
    expect(() => hotp(RFC_SECRET, 0, 5)).toThrow(RangeError);
    expect(() => hotp(RFC_SECRET, 0, 9)).toThrow(RangeError);
    expect(() => hotp(RFC_SECRET, -1)).toThrow(RangeError);
    expect(() => hotp(RFC_SECRET, 2n ** 64n)).toThrow(RangeError);
  });
});

describe('TOTP (RFC 6238)', () => {
  // Appendix B, the SHA1 rows: 8 digits, 30-second steps.
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at %i seconds gives %s', (seconds, code) => {
    expect(totp(RFC_SECRET, new Date(seconds * 1000), { digits: 8, stepSeconds: 30 })).toBe(code);
  });

  it('uses six digits and 30-second steps by default (the last six digits of the 8-digit code)', () => {
    expect(totp(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpStep(new Date(59_000))).toBe(1);
    expect(totpStep(new Date(60_000))).toBe(2);
  });

  it('matches a code one step either side and names the step, and nothing further away', () => {
    const now = new Date(1_700_000_000_000);
    const step = totpStep(now);
    const codeAt = (offset: number) => hotp(RFC_SECRET, step + offset);
    expect(matchTotpStep(RFC_SECRET, codeAt(0), now)).toBe(step);
    expect(matchTotpStep(RFC_SECRET, codeAt(-1), now)).toBe(step - 1);
    expect(matchTotpStep(RFC_SECRET, codeAt(1), now)).toBe(step + 1);
    expect(matchTotpStep(RFC_SECRET, codeAt(2), now)).toBeUndefined();
    expect(matchTotpStep(RFC_SECRET, codeAt(-2), now)).toBeUndefined();
    expect(matchTotpStep(RFC_SECRET, codeAt(-2), now, { window: 2 })).toBe(step - 2);
    expect(matchTotpStep(RFC_SECRET, codeAt(1), now, { window: 0 })).toBeUndefined();
  });

  it('ignores spaces in the code and refuses codes of the wrong length or content', () => {
    const now = new Date(1_700_000_000_000);
    const code = totp(RFC_SECRET, now);
    expect(matchTotpStep(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(totpStep(now));
    expect(matchTotpStep(RFC_SECRET, code.slice(1), now)).toBeUndefined();
    expect(matchTotpStep(RFC_SECRET, `${code}0`, now)).toBeUndefined();
    expect(matchTotpStep(RFC_SECRET, '', now)).toBeUndefined();
  });

  it('generates 160-bit secrets, a different one each time', () => {
    const secret = generateTotpSecret();
    expect(secret).toHaveLength(20);
    expect(generateTotpSecret()).not.toEqual(secret);
  });
});
