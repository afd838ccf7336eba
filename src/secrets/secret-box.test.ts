import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, parseKeyEncryptionKey, resolveKeyEncryptionKey, SecretsKeyError } from './key-encryption-key.js';
import { isSealed, SecretBox, SecretOpenError } from './secret-box.js';

const key = (fill: number) => Buffer.alloc(32, fill);

describe('SecretBox', () => {
  const box = new SecretBox(key(1));

  it('seals to a value that names its key and holds nothing of the secret, and opens it in its place', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'local_credential.totp:u1');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).toMatch(new RegExp(`^sealed:v1:${box.keyId}:`));
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'local_credential.totp:u1')).toBe('JBSWY3DPEHPK3PXP');
    // A fresh IV each time: the same secret never seals to the same value.
    expect(box.seal('JBSWY3DPEHPK3PXP', 'local_credential.totp:u1')).not.toBe(sealed);
  });

  it('refuses a value sealed under another key, naming both keys', () => {
    const other = new SecretBox(key(2));
    const sealed = other.seal('secret', 'here');
    expect(() => box.open(sealed, 'here')).toThrow(SecretOpenError);
    expect(() => box.open(sealed, 'here')).toThrow(new RegExp(`sealed under key ${other.keyId}, not under this key \\(${box.keyId}\\)`));
  });

  it('refuses a value moved to another place, changed, or never sealed', () => {
    const sealed = box.seal('secret', 'row-1');
    expect(() => box.open(sealed, 'row-2')).toThrow(/does not open/);
    const parts = sealed.split(':');
    const flipped = [...parts.slice(0, 4), `${parts[4]?.[0] === 'A' ? 'B' : 'A'}${parts[4]?.slice(1)}`, parts[5]].join(':');
    expect(() => box.open(flipped, 'row-1')).toThrow(/does not open/);
    expect(() => box.open('-----BEGIN PRIVATE KEY-----', 'row-1')).toThrow(/not a sealed secret/);
  });

  it('takes only 32-byte keys', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('parseKeyEncryptionKey', () => {
  it('reads 32 bytes as hex, base64 or base64url, and nothing else', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 250));
    expect(parseKeyEncryptionKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseKeyEncryptionKey(bytes.toString('base64'))).toEqual(bytes);
    expect(parseKeyEncryptionKey(` ${bytes.toString('base64url')}\n`)).toEqual(bytes);
    expect(parseKeyEncryptionKey(Buffer.alloc(16).toString('hex'))).toBeUndefined();
    expect(parseKeyEncryptionKey('correct horse battery staple')).toBeUndefined();
  });
});

describe('resolveKeyEncryptionKey', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prefers the configured key and writes no file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ucp-kek-'));
    const resolved = await resolveKeyEncryptionKey(key(3), dir);
    expect(resolved).toEqual({ key: key(3), source: { kind: 'configuration' } });
    await expect(stat(join(dir, KEY_FILE_NAME))).rejects.toThrow(/ENOENT/);
  });

  it('creates a key file readable by its owner only, once, and reads the same key from it again', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ucp-kek-'));
    const folder = join(dir, 'data');
    const together = await Promise.all([resolveKeyEncryptionKey(undefined, folder), resolveKeyEncryptionKey(undefined, folder)]);
    const path = join(folder, KEY_FILE_NAME);
    expect(together.filter((resolved) => resolved.source.kind === 'key-file' && resolved.source.created)).toHaveLength(1);
    expect(Buffer.from(together[0]?.key ?? []).equals(Buffer.from(together[1]?.key ?? []))).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const again = await resolveKeyEncryptionKey(undefined, folder);
    expect(again.source).toEqual({ kind: 'key-file', path, created: false });
    expect(Buffer.from(again.key).equals(Buffer.from(together[0]?.key ?? []))).toBe(true);
    expect((await readFile(path, 'utf8')).trim()).toHaveLength(43);
  });

  it('refuses a key file others may read, or one that holds no key', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ucp-kek-'));
    const path = join(dir, KEY_FILE_NAME);
    await writeFile(path, `${key(4).toString('base64url')}\n`, { mode: 0o600 });
    await chmod(path, 0o644);
    await expect(resolveKeyEncryptionKey(undefined, dir)).rejects.toThrow(SecretsKeyError);
    await expect(resolveKeyEncryptionKey(undefined, dir)).rejects.toThrow(/may be read by others \(mode 644\)/);
    await writeFile(path, 'not a key\n');
    await chmod(path, 0o600);
    await expect(resolveKeyEncryptionKey(undefined, dir)).rejects.toThrow(/does not hold a 32-byte key/);
  });
});
