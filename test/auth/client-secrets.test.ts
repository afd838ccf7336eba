import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT_PARAMETERS,
  decoyClientSecretHash,
  generateClientSecret,
  hashClientSecret,
  verifyClientSecret,
} from '../../src/auth/tokens/client-secrets.js';

describe('client secrets', () => {
  it('generates 256-bit base64url secrets, a different one each time', () => {
    const first = generateClientSecret();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateClientSecret()).not.toBe(first);
  });

  it('stores the scrypt parameters and a per-secret salt with the hash', async () => {
    const hash = await hashClientSecret('correct horse battery staple');
    const { N, r, p } = DEFAULT_SCRYPT_PARAMETERS;
    expect(hash).toMatch(new RegExp(`^scrypt\\$${N}\\$${r}\\$${p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    const again = await hashClientSecret('correct horse battery staple');
    expect(again).not.toBe(hash);
  });

  it('verifies the right secret and refuses any other', async () => {
    const hash = await hashClientSecret('correct horse battery staple');
    await expect(verifyClientSecret('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(verifyClientSecret('correct horse battery stapler', hash)).resolves.toBe(false);
    await expect(verifyClientSecret('', hash)).resolves.toBe(false);
  });

  it('verifies with the parameters stored in the hash, not the current defaults', async () => {
    const cheap = await hashClientSecret('s3cret-value', { N: 1024, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    await expect(verifyClientSecret('s3cret-value', cheap)).resolves.toBe(true);
  });

  it('never matches a malformed or tampered hash, and refuses absurd parameters', async () => {
    const hash = await hashClientSecret('s3cret-value', { N: 1024, r: 8, p: 1 });
    const parts = hash.split('$');
    const withCost = (n: string) => [parts[0], n, ...parts.slice(2)].join('$');
    for (const bad of ['', 'plain-text', 'bcrypt$1$2$3$4$5', withCost('1000'), withCost(String(2 ** 24)), hash.slice(0, -4)]) {
      await expect(verifyClientSecret('s3cret-value', bad)).resolves.toBe(false);
    }
  });

  it('has a decoy hash that no secret matches', async () => {
    const decoy = await decoyClientSecretHash();
    expect(await decoyClientSecretHash()).toBe(decoy);
    await expect(verifyClientSecret('', decoy)).resolves.toBe(false);
  });
});
