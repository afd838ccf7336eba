import { describe, expect, it } from 'vitest';
import { base32Decode } from './base32.js';
import { otpauthUri } from './otpauth-uri.js';

const secret = Buffer.from('12345678901234567890', 'ascii');

describe('otpauth URI', () => {
  it('names issuer and account, carries the unpadded base32 secret and the TOTP parameters', () => {
    const uri = otpauthUri({ secret, issuer: 'Urgent Care Plan', accountName: 'j.smith@nhs.net' });
    expect(uri).toBe(
      'otpauth://totp/Urgent%20Care%20Plan:j.smith%40nhs.net?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
        '&issuer=Urgent%20Care%20Plan&algorithm=SHA1&digits=6&period=30',
    );
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(base32Decode(parsed.searchParams.get('secret') ?? '')).toEqual(secret);
    expect(parsed.searchParams.get('issuer')).toBe('Urgent Care Plan');
  });

  it('carries other digit counts and periods', () => {
    const uri = otpauthUri({ secret, issuer: 'UCP', accountName: 'jo', parameters: { digits: 8, stepSeconds: 60 } });
    expect(uri).toMatch(/&digits=8&period=60$/);
  });

  it('refuses a colon or an empty value in the label', () => {
    expect(() => otpauthUri({ secret, issuer: 'UCP: test', accountName: 'jo' })).toThrow(RangeError);
    expect(() => otpauthUri({ secret, issuer: 'UCP', accountName: 'a:b' })).toThrow(RangeError);
    expect(() => otpauthUri({ secret, issuer: ' ', accountName: 'jo' })).toThrow(RangeError);
  });
});
