import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateClient, createClient, disableClient, ensureBootstrapClient, findClient } from '../../src/auth/tokens/client-store.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { AppError } from '../../src/errors/app-error.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';

const BOOTSTRAP_SECRET = 'bootstrap-secret-of-thirty-two-chars';

describe(`client store on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.drop());

  async function storedHash(clientId: string): Promise<string | undefined> {
    const { rows } = await test.db.query<{ secret_hash: string }>('SELECT secret_hash FROM oauth_client WHERE client_id = $1', [clientId]);
    return rows[0]?.secret_hash;
  }

  it('creates a client with a generated id and secret, storing only a hash of the secret', async () => {
    const { client, secret } = await createClient(test.db, {
      name: 'Ambulance CAD integration',
      allowedScopes: ['openehr:read', 'openehr:read', 'plan:read'],
      roles: ['viewer'],
      organisationOdsCode: 'RRU',
    });
    expect(client).toMatchObject({
      name: 'Ambulance CAD integration',
      allowedScopes: ['openehr:read', 'plan:read'],
      roles: ['viewer'],
      organisationOdsCode: 'RRU',
      disabledAt: undefined,
    });
    expect(client.clientId).toMatch(/^ucp-[0-9a-f]{16}$/);
    expect(client.createdAt).toBeInstanceOf(Date);
    const hash = await storedHash(client.clientId);
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain(secret);
    expect(await findClient(test.db, client.clientId)).toEqual(client);
  });

  it('authenticates with the right secret only', async () => {
    const { client, secret } = await createClient(test.db, { clientId: 'cli', name: 'Command line', allowedScopes: [], roles: [] });
    expect((await authenticateClient(test.db, 'cli', secret))?.clientId).toBe(client.clientId);
    expect(await authenticateClient(test.db, 'cli', `${secret}x`)).toBeUndefined();
    expect(await authenticateClient(test.db, 'no-such-client', secret)).toBeUndefined();
    expect(await authenticateClient(test.db, 'not a valid id!', secret)).toBeUndefined();
  });

  it('refuses a taken id, unknown scopes and roles, a patient role and a malformed ODS code', async () => {
    const attempts = [
      { clientId: 'cli', name: 'again', allowedScopes: [], roles: [] },
      { name: 'x', allowedScopes: ['everything'], roles: [] },
      { name: 'x', allowedScopes: [], roles: ['superuser'] },
      { name: 'x', allowedScopes: [], roles: ['patient'] },
      { name: 'x', allowedScopes: [], roles: [], organisationOdsCode: 'not ods' },
      { name: '  ', allowedScopes: [], roles: [] },
      { clientId: 'has space', name: 'x', allowedScopes: [], roles: [] },
    ];
    const codes: string[] = [];
    for (const attempt of attempts) {
      const error: unknown = await createClient(test.db, attempt).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      codes.push((error as AppError).code);
    }
    expect(codes).toEqual(['conflict', 'bad-request', 'bad-request', 'bad-request', 'bad-request', 'bad-request', 'bad-request']);
  });

  it('disables a client: it no longer authenticates, and disabling again keeps the first date', async () => {
    const { client, secret } = await createClient(test.db, { name: 'Old integration', allowedScopes: [], roles: [] });
    expect(await disableClient(test.db, client.clientId)).toBe(true);
    const disabled = await findClient(test.db, client.clientId);
    expect(disabled?.disabledAt).toBeInstanceOf(Date);
    expect(await authenticateClient(test.db, client.clientId, secret)).toBeUndefined();
    await disableClient(test.db, client.clientId);
    expect((await findClient(test.db, client.clientId))?.disabledAt).toEqual(disabled?.disabledAt);
    expect(await disableClient(test.db, 'no-such-client')).toBe(false);
  });

  it('creates the bootstrap client with platform-admin and every scope, idempotently', async () => {
    expect(await ensureBootstrapClient(test.db, 'bootstrap', BOOTSTRAP_SECRET)).toBe('created');
    const hash = await storedHash('bootstrap');
    expect(await ensureBootstrapClient(test.db, 'bootstrap', BOOTSTRAP_SECRET)).toBe('unchanged');
    expect(await ensureBootstrapClient(test.db, 'bootstrap', BOOTSTRAP_SECRET)).toBe('unchanged');
    expect(await storedHash('bootstrap')).toBe(hash);
    const { rows } = await test.db.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM oauth_client WHERE client_id = 'bootstrap'",
    );
    expect(rows[0]?.count).toBe(1);
    const client = await authenticateClient(test.db, 'bootstrap', BOOTSTRAP_SECRET);
    expect(client?.roles).toEqual(['platform-admin']);
    expect([...(client?.allowedScopes ?? [])].sort()).toEqual([...SCOPES].sort());
    expect(client?.organisationOdsCode).toBeUndefined();
  });

  it('lets the environment win: a new secret replaces the old, a disabled or altered bootstrap client is restored', async () => {
    const newSecret = `${BOOTSTRAP_SECRET}-rotated`;
    expect(await ensureBootstrapClient(test.db, 'bootstrap', newSecret)).toBe('updated');
    expect(await authenticateClient(test.db, 'bootstrap', BOOTSTRAP_SECRET)).toBeUndefined();
    expect(await authenticateClient(test.db, 'bootstrap', newSecret)).toBeDefined();

    await disableClient(test.db, 'bootstrap');
    await test.db.query("UPDATE oauth_client SET roles = '{viewer}', allowed_scopes = '{}' WHERE client_id = 'bootstrap'");
    expect(await ensureBootstrapClient(test.db, 'bootstrap', newSecret)).toBe('updated');
    const client = await authenticateClient(test.db, 'bootstrap', newSecret);
    expect(client?.roles).toEqual(['platform-admin']);
    expect(client?.allowedScopes).toHaveLength(SCOPES.length);
  });

  it('converges when several servers ensure the bootstrap client at once', async () => {
    const outcomes = await Promise.all([1, 2, 3].map(() => ensureBootstrapClient(test.db, 'bootstrap-2', BOOTSTRAP_SECRET)));
    expect(outcomes).toContain('created');
    expect(await authenticateClient(test.db, 'bootstrap-2', BOOTSTRAP_SECRET)).toBeDefined();
    expect(await ensureBootstrapClient(test.db, 'bootstrap-2', BOOTSTRAP_SECRET)).toBe('unchanged');
  });

  it('refuses a bootstrap secret too short to guard platform-admin rights', async () => {
    await expect(ensureBootstrapClient(test.db, 'bootstrap-3', 'short')).rejects.toThrow(/at least 24 characters/);
    expect(await findClient(test.db, 'bootstrap-3')).toBeUndefined();
  });
});
