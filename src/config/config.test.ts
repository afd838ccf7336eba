import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:8080',
      databaseUrl: undefined,
      dataDir: './data',
      demo: 'auto',
      logLevel: 'info',
      systemId: 'ucp.local',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db/ucp',
      UCP_DATA_DIR: '/var/lib/ucp',
      UCP_DEMO: 'false',
      LOG_LEVEL: 'WARN',
      UCP_PUBLIC_URL: 'https://ucp.example.nhs.uk/',
      UCP_SYSTEM_ID: 'ucp.london.nhs.uk',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@db/ucp',
      dataDir: '/var/lib/ucp',
      demo: 'off',
      logLevel: 'warn',
      publicUrl: 'https://ucp.example.nhs.uk',
      systemId: 'ucp.london.nhs.uk',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['HOST', 'bad host'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['UCP_DEMO', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['UCP_SYSTEM_ID', 'a::b'],
    ['UCP_PUBLIC_URL', 'ftp://x'],
    ['UCP_SUBSCRIPTION_ALLOWED_HOSTS', 'https://hooks.example.org'],
    ['UCP_SUBSCRIPTION_ALLOWED_HOSTS', 'localhost:9000'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain(name);
    expect(message).toContain(JSON.stringify(value));
    expect(message).not.toContain('\n');
  });

  it('reads the hosts rest-hook subscriptions may reach inside the network, none by default', () => {
    expect(loadConfig({}).subscriptions.allowedHosts).toEqual([]);
    expect(
      loadConfig({ UCP_SUBSCRIPTION_ALLOWED_HOSTS: 'LocalHost, 127.0.0.1 [::1] engine.trust.nhs.uk' }).subscriptions.allowedHosts,
    ).toEqual(['localhost', '127.0.0.1', '::1', 'engine.trust.nhs.uk']);
  });

  it('reads the bootstrap client, both parts or neither, and never prints the secret', () => {
    const secret = 'a-very-long-secret-value-0123456789';
    expect(loadConfig({ UCP_BOOTSTRAP_CLIENT_ID: 'setup', UCP_BOOTSTRAP_CLIENT_SECRET: secret }).bootstrapClient).toEqual({
      id: 'setup',
      secret,
    });
    expect(() => loadConfig({ UCP_BOOTSTRAP_CLIENT_ID: 'setup' })).toThrow(/must be set together/);
    let message = '';
    try {
      loadConfig({ UCP_BOOTSTRAP_CLIENT_ID: 'setup', UCP_BOOTSTRAP_CLIENT_SECRET: 'short-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('UCP_BOOTSTRAP_CLIENT_SECRET must be at least 24 characters');
    expect(message).not.toContain('short-secret');
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT.*LOG_LEVEL/);
  });

  it('reads the AQL limits, with defaults, and refuses a default fetch above the maximum', () => {
    expect(loadConfig({}).aql).toEqual({
      defaultFetch: 1000,
      maxFetch: 10_000,
      timeoutMs: 10_000,
      maxConcurrent: 4,
      queueLength: 16,
      queueWaitMs: 5_000,
      perCallerConcurrent: 2,
      perOrganisationConcurrent: 8,
      perCallerMsPerMinute: 60_000,
      perOrganisationMsPerMinute: 240_000,
    });
    expect(loadConfig({ UCP_AQL_MAX_FETCH: '500', UCP_AQL_DEFAULT_FETCH: '100', UCP_AQL_MAX_CONCURRENT: '2' }).aql).toMatchObject({
      maxFetch: 500,
      defaultFetch: 100,
      maxConcurrent: 2,
    });
    expect(() => loadConfig({ UCP_AQL_MAX_FETCH: '50' })).toThrow(/UCP_AQL_DEFAULT_FETCH must not be larger than UCP_AQL_MAX_FETCH/);
    expect(() => loadConfig({ UCP_AQL_TIMEOUT_MS: '0' })).toThrow(/UCP_AQL_TIMEOUT_MS must be a whole number from 10/);
  });
});

describe('the key-encryption key and signing key rotation', () => {
  it('reads UCP_SECRETS_KEY as 32 bytes, refuses anything else without printing it, and reads the rotation period', () => {
    const hex = 'ab'.repeat(32);
    expect(Buffer.from(loadConfig({ UCP_SECRETS_KEY: hex }).secretsKey ?? []).toString('hex')).toBe(hex);
    expect(loadConfig({}).secretsKey).toBeUndefined();
    expect(() => loadConfig({ UCP_SECRETS_KEY: 'cd'.repeat(16) })).toThrow(/UCP_SECRETS_KEY must be 32 bytes/);
    expect(() => loadConfig({ UCP_SECRETS_KEY: 'cd'.repeat(16) })).not.toThrow(/cdcd/);
    expect(loadConfig({}).signingKeyRotationDays).toBe(90);
    expect(loadConfig({ UCP_SIGNING_KEY_ROTATION_DAYS: '0' }).signingKeyRotationDays).toBe(0);
  });
});

describe('the session retention', () => {
  it('keeps ended sessions 30 days unless told otherwise, and refuses a retention of none', () => {
    expect(loadConfig({}).session.retentionDays).toBe(30);
    expect(loadConfig({ UCP_SESSION_RETENTION_DAYS: '7' }).session.retentionDays).toBe(7);
    expect(() => loadConfig({ UCP_SESSION_RETENTION_DAYS: '0' })).toThrow(
      /UCP_SESSION_RETENTION_DAYS must be a whole number from 1 to 3650/,
    );
  });
});

describe('docs/configuration.md', () => {
  it('describes every variable the configuration reads', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(new URL('./config.ts', import.meta.url), 'utf8');
    const doc = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const names = [...source.matchAll(/read(?:<[^>]*>)?\(\s*'([A-Z][A-Z0-9_]+)'/g)].map((match) => match[1] ?? '');
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
