import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The name of the key file in the data folder when no key is configured. */
export const KEY_FILE_NAME = 'secrets.key';

/** The key-encryption key cannot be had: the message says what to do. */
export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

export type KeySource = { kind: 'configuration' } | { kind: 'key-file'; path: string; created: boolean };

/**
 * 32 bytes written as 64 hex digits or as base64 / base64url (43 or 44 characters); undefined for
 * anything else, so configuration can say what the value must be without repeating it.
 */
export function parseKeyEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replaceAll('+', '-').replaceAll('/', '_').replace(/=$/, ''), 'base64url');
    return key.length === 32 ? key : undefined;
  }
  return undefined;
}

/**
 * The key from configuration (UCP_SECRETS_KEY) when given; otherwise the key file in the data
 * folder, created on first start with a fresh random key and permissions 0600. A key file that
 * others may read, or that holds no key, stops the start with a message saying so.
 */
export async function resolveKeyEncryptionKey(
  configured: Uint8Array | undefined,
  dataDir: string,
): Promise<{ key: Uint8Array; source: KeySource }> {
  if (configured) return { key: configured, source: { kind: 'configuration' } };
  const path = join(dataDir, KEY_FILE_NAME);
  let created = false;
  await mkdir(dataDir, { recursive: true });
  // Written whole under a name of its own, then linked into place: of several servers starting
  // together exactly one creates it, and none can read a half-written key.
  const draft = `${path}.${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(draft, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    await link(draft, path);
    created = true;
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) {
      throw new SecretsKeyError(`cannot create the key file ${path} (${describe(error)}); set UCP_SECRETS_KEY instead`);
    }
  } finally {
    await unlink(draft).catch(() => undefined);
  }
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new SecretsKeyError(`the key file ${path} may be read by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
  const key = parseKeyEncryptionKey(await readFile(path, 'utf8'));
  if (!key) throw new SecretsKeyError(`the key file ${path} does not hold a 32-byte key (base64url or hex)`);
  return { key, source: { kind: 'key-file', path, created } };
}

function describe(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : String(error);
}
