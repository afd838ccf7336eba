import { randomUUID } from 'node:crypto';
import {
  SignJWT,
  type CryptoKey,
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  generateKeyPair,
  importJWK,
  importPKCS8,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken, type AccessTokenGrant } from '../../src/auth/tokens/access-token.js';
import { createClient, disableClient, ensureBootstrapClient } from '../../src/auth/tokens/client-store.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { secretContext } from '../../src/secrets/secret-box.js';
import { backend } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';
import { ORGANISATIONS, PUBLIC_URL, createOAuth2TestApp } from './oauth2-test-app.js';

const FORM = 'application/x-www-form-urlencoded';
const BOOTSTRAP_SECRET = 'a-bootstrap-secret-long-enough-1';

type TestApp = Awaited<ReturnType<typeof createOAuth2TestApp>>;

interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

describe(`OAuth 2.0 client credentials and bearer tokens on ${backend}`, () => {
  let test: TestApp;
  let ambulance: { id: string; secret: string };
  let cli: { id: string; secret: string };

  beforeAll(async () => {
    test = await createOAuth2TestApp();
    const created = await createClient(test.db, {
      name: 'Ambulance CAD',
      allowedScopes: ['openehr:read', 'openehr:write', 'plan:read'],
      roles: ['viewer'],
      organisationOdsCode: 'RRU',
    });
    ambulance = { id: created.client.clientId, secret: created.secret };
    const command = await createClient(test.db, {
      clientId: 'ucp-cli',
      name: 'Command line',
      allowedScopes: ['admin'],
      roles: ['org-admin'],
    });
    cli = { id: command.client.clientId, secret: command.secret };
  });
  afterAll(() => test.close());

  function tokenRequest(parameters: Record<string, string>, headers: Record<string, string> = {}) {
    return test.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': FORM, ...headers },
      payload: new URLSearchParams(parameters).toString(),
    });
  }

  async function tokenFor(client: { id: string; secret: string }, scope?: string): Promise<string> {
    const response = await tokenRequest(
      { grant_type: 'client_credentials', ...(scope ? { scope } : {}) },
      { authorization: basic(client.id, client.secret) },
    );
    expect(response.statusCode).toBe(200);
    return response.json<TokenBody>().access_token;
  }

  function whoami(authorization?: string) {
    return test.app.inject({ method: 'GET', url: '/api/test/whoami', headers: authorization ? { authorization } : {} });
  }

  async function expectRefused(token: string, reason: RegExp): Promise<void> {
    const response = await whoami(`Bearer ${token}`);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'unauthenticated', detail: expect.stringMatching(reason) });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="ucp", error="invalid_token", error_description="[^"\\]+"$/);
  }

  function grant(overrides: Partial<AccessTokenGrant> = {}): AccessTokenGrant {
    return { clientId: ambulance.id, scopes: ['openehr:read'], roles: ['viewer'], organisationOdsCode: 'RRU', ...overrides };
  }

  async function signedBy(
    key: Parameters<SignJWT['sign']>[0],
    header: { alg: string; kid?: string; typ?: string },
    claims: Record<string, unknown> = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: ambulance.id, scope: 'openehr:read', roles: ['platform-admin'], ...claims })
      .setProtectedHeader(header)
      .setIssuer(PUBLIC_URL)
      .setAudience(PUBLIC_URL)
      .setSubject(ambulance.id)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(key);
  }

  async function currentKid(): Promise<string> {
    return (await test.keys.current()).kid;
  }

  /** The private half as stored: sealed, opened with the test key as the server would. */
  async function storedPrivateKey(kid: string): Promise<CryptoKey> {
    const { rows } = await test.db.query<{ private_key_pem: string }>('SELECT private_key_pem FROM signing_key WHERE kid = $1', [kid]);
    return importPKCS8(testSecrets.open(rows[0]?.private_key_pem ?? '', secretContext.signingKey(kid)), 'ES256');
  }

  describe('POST /oauth2/token', () => {
    it('issues a token to a client authenticating with HTTP Basic (client_secret_basic)', async () => {
      const response = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(ambulance.id, ambulance.secret) });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['pragma']).toBe('no-cache');
      const body = response.json<TokenBody>();
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'openehr:read openehr:write plan:read',
      });

      const header = decodeProtectedHeader(body.access_token);
      expect(header).toEqual({ alg: 'ES256', kid: await currentKid(), typ: 'at+jwt' });
      const claims = decodeJwt(body.access_token);
      expect(claims).toEqual({
        iss: PUBLIC_URL,
        aud: PUBLIC_URL,
        sub: ambulance.id,
        client_id: ambulance.id,
        scope: 'openehr:read openehr:write plan:read',
        roles: ['viewer'],
        org: 'RRU',
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iat: expect.any(Number),
        exp: expect.any(Number),
      });
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    });

    it('issues a token to a client sending its credentials in the body (client_secret_post)', async () => {
      const response = await tokenRequest({ grant_type: 'client_credentials', client_id: cli.id, client_secret: cli.secret });
      expect(response.statusCode).toBe(200);
      const claims = decodeJwt(response.json<TokenBody>().access_token);
      expect(claims).toMatchObject({ sub: 'ucp-cli', scope: 'admin', roles: ['org-admin'] });
      expect(claims).not.toHaveProperty('org');
    });

    it('answers a wrong secret, an unknown client and a disabled client alike: 401 invalid_client with a Basic challenge', async () => {
      const disabled = await createClient(test.db, { name: 'Retired', allowedScopes: [], roles: [] });
      await disableClient(test.db, disabled.client.clientId);
      const attempts = [
        { authorization: basic(ambulance.id, `${ambulance.secret}x`) },
        { authorization: basic('nobody', ambulance.secret) },
        { authorization: basic(disabled.client.clientId, disabled.secret) },
      ];
      for (const headers of attempts) {
        const response = await tokenRequest({ grant_type: 'client_credentials' }, headers);
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Basic /);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
      }
      const posted = await tokenRequest({ grant_type: 'client_credentials', client_id: cli.id, client_secret: 'wrong' });
      expect(posted.statusCode).toBe(401);
      expect(posted.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('answers 401 invalid_client when the client does not authenticate at all', async () => {
      const response = await tokenRequest({ grant_type: 'client_credentials' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic /);
      expect(response.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('refuses a client that authenticates both ways at once', async () => {
      const response = await tokenRequest(
        { grant_type: 'client_credentials', client_id: cli.id, client_secret: cli.secret },
        { authorization: basic(cli.id, cli.secret) },
      );
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/one method/) });
    });

    it('answers unsupported_grant_type to any grant but client_credentials, and invalid_request to none', async () => {
      const auth = { authorization: basic(cli.id, cli.secret) };
      const password = await tokenRequest({ grant_type: 'password', username: 'u', password: 'p' }, auth);
      expect(password.statusCode).toBe(400);
      expect(password.json()).toMatchObject({ error: 'unsupported_grant_type', error_description: expect.stringMatching(/password/) });
      const missing = await tokenRequest({}, auth);
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/grant_type/) });
    });

    it('narrows the token to the scopes asked for', async () => {
      const response = await tokenRequest(
        { grant_type: 'client_credentials', scope: 'plan:read openehr:read plan:read' },
        { authorization: basic(ambulance.id, ambulance.secret) },
      );
      expect(response.statusCode).toBe(200);
      expect(response.json<TokenBody>().scope).toBe('plan:read openehr:read');
      expect(decodeJwt(response.json<TokenBody>().access_token).scope).toBe('plan:read openehr:read');
    });

    it('refuses scopes the client may not have, and unknown or malformed ones, with invalid_scope', async () => {
      for (const scope of ['openehr:read admin', 'everything', 'bad"scope']) {
        const response = await tokenRequest(
          { grant_type: 'client_credentials', scope },
          { authorization: basic(ambulance.id, ambulance.secret) },
        );
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ error: 'invalid_scope' });
      }
    });

    it('answers invalid_request to a body that is not a form, or repeats a parameter', async () => {
      const auth = basic(cli.id, cli.secret);
      const json = await test.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { authorization: auth, 'content-type': 'application/json' },
        payload: { grant_type: 'client_credentials' },
      });
      const xml = await test.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { authorization: auth, 'content-type': 'application/xml' },
        payload: '<grant_type>client_credentials</grant_type>',
      });
      const none = await test.app.inject({ method: 'POST', url: '/oauth2/token', headers: { authorization: auth } });
      const repeated = await test.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { authorization: auth, 'content-type': `${FORM}; charset=utf-8` },
        payload: 'grant_type=client_credentials&grant_type=client_credentials',
      });
      for (const response of [json, xml, none, repeated]) {
        expect(response.statusCode).toBe(400);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
      }
    });

    it('gives the bootstrap client platform-admin rights and every scope, however often it is ensured', async () => {
      expect(await ensureBootstrapClient(test.db, 'bootstrap', BOOTSTRAP_SECRET)).toBe('created');
      expect(await ensureBootstrapClient(test.db, 'bootstrap', BOOTSTRAP_SECRET)).toBe('unchanged');
      const token = await tokenFor({ id: 'bootstrap', secret: BOOTSTRAP_SECRET });
      const caller = (await whoami(`Bearer ${token}`)).json<{ roles: string[]; permissions: string[]; scopes: string[] }>();
      expect(caller.roles).toEqual(['platform-admin']);
      expect(caller.permissions).toEqual(['org:manage-users', 'platform:admin', 'population:query', 'records:administer']);
      expect([...caller.scopes].sort()).toEqual([...SCOPES].sort());
    });
  });

  describe('GET /oauth2/jwks', () => {
    it('lists the signing key, public members only', async () => {
      const kid = await currentKid();
      const response = await test.app.inject({ method: 'GET', url: '/oauth2/jwks' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
      const { keys } = response.json<{ keys: Record<string, string>[] }>();
      expect(keys).toEqual([{ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid, alg: 'ES256', use: 'sig' }]);
    });

    it('publishes a key that verifies the tokens the endpoint issues', async () => {
      const token = await tokenFor(cli);
      const { keys } = (await test.app.inject({ method: 'GET', url: '/oauth2/jwks' })).json<{ keys: { kid: string }[] }>();
      const { jwtVerify, createLocalJWKSet } = await import('jose');
      const verified = await jwtVerify(token, createLocalJWKSet({ keys }), { issuer: PUBLIC_URL, audience: PUBLIC_URL });
      expect(verified.payload.sub).toBe(cli.id);
    });
  });

  describe('bearer authentication', () => {
    it('turns a valid token into the Caller of the client', async () => {
      const token = await tokenFor(ambulance, 'openehr:read plan:read');
      const response = await whoami(`Bearer ${token}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        kind: 'client',
        id: ambulance.id,
        displayName: `OAuth client ${ambulance.id}`,
        organisation: ORGANISATIONS.get('RRU'),
        roles: ['viewer'],
        permissions: ['plan:read'],
        scopes: ['openehr:read', 'plan:read'],
        purposeOfUse: 'direct-care',
        clientAddress: '127.0.0.1',
      });
    });

    it('accepts the scheme name in any case', async () => {
      const token = await tokenFor(cli);
      expect((await whoami(`bearer ${token}`)).statusCode).toBe(200);
    });

    it('answers a request without credentials with 401 and a bare Bearer challenge', async () => {
      const response = await whoami();
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="ucp"');
      expect(response.json()).toMatchObject({ code: 'unauthenticated', detail: expect.stringMatching(/Bearer/) });
    });

    it('refuses a malformed Authorization header', async () => {
      for (const header of ['Bearer', 'Bearer two tokens', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer "quoted"']) {
        const response = await whoami(header);
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      }
      await expectRefused('not-a-jwt', /not a well-formed/);
      await expectRefused('aaa.bbb.ccc', /not a well-formed/);
    });

    it('refuses an expired token, but tolerates a little clock skew', async () => {
      const lifetime = test.settings.lifetimeSeconds;
      const longAgo = await issueAccessToken(test.keys, test.settings, grant(), new Date(Date.now() - (lifetime + 60) * 1000));
      await expectRefused(longAgo.accessToken, /expired/);
      const justNow = await issueAccessToken(test.keys, test.settings, grant(), new Date(Date.now() - (lifetime + 5) * 1000));
      expect((await whoami(`Bearer ${justNow.accessToken}`)).statusCode).toBe(200);
    });

    it('refuses a token signed with the real key that claims to live longer than the configured lifetime', async () => {
      const key = await test.keys.current();
      const years = await signedBy(key.privateKey, { alg: 'ES256', kid: key.kid, typ: 'at+jwt' }, {});
      expect((await whoami(`Bearer ${years}`)).statusCode).toBe(200);
      const now = Math.floor(Date.now() / 1000);
      const forYears = await new SignJWT({ client_id: ambulance.id, scope: 'openehr:read', roles: ['viewer'] })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
        .setIssuer(PUBLIC_URL)
        .setAudience(PUBLIC_URL)
        .setSubject(ambulance.id)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 5 * 365 * 24 * 3600)
        .sign(key.privateKey);
      await expectRefused(forYears, /lifetime of \d+ seconds/);
    });

    it('refuses a valid token whose client does not exist, or was disabled after the token was issued', async () => {
      const unknown = await issueAccessToken(test.keys, test.settings, grant({ clientId: 'never-registered' }));
      await expectRefused(unknown.accessToken, /unknown or disabled/);
      const retiring = await createClient(test.db, {
        name: 'Retiring',
        allowedScopes: ['openehr:read'],
        roles: ['viewer'],
        organisationOdsCode: 'RRU',
      });
      const issued = await issueAccessToken(test.keys, test.settings, grant({ clientId: retiring.client.clientId }));
      expect((await whoami(`Bearer ${issued.accessToken}`)).statusCode).toBe(200);
      await disableClient(test.db, retiring.client.clientId);
      await expectRefused(issued.accessToken, /unknown or disabled/);
    });

    it('refuses a token signed by another key, whether it claims a known or an unknown kid', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      await expectRefused(await signedBy(privateKey, { alg: 'ES256', kid: await currentKid(), typ: 'at+jwt' }), /signature/);
      await expectRefused(await signedBy(privateKey, { alg: 'ES256', kid: 'made-up', typ: 'at+jwt' }), /does not publish/);
      await expectRefused(await signedBy(privateKey, { alg: 'ES256', typ: 'at+jwt' }), /does not publish/);
    });

    it('refuses an unsigned token (alg: none)', async () => {
      const encode = (value: object) => base64url.encode(JSON.stringify(value));
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: PUBLIC_URL,
        aud: PUBLIC_URL,
        sub: ambulance.id,
        client_id: ambulance.id,
        scope: 'admin',
        roles: ['platform-admin'],
        jti: randomUUID(),
        iat: now,
        exp: now + 300,
      };
      for (const alg of ['none', 'None', 'NONE']) {
        const token = `${encode({ alg, typ: 'at+jwt', kid: await currentKid() })}.${encode(claims)}.`;
        await expectRefused(token, new RegExp(`algorithm .${alg}.; only ES256`));
      }
    });

    it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
      const kid = await currentKid();
      const { keys } = await test.keys.jwks();
      const jwk = keys[0];
      if (!jwk) throw new Error('no published key');
      const publicKey = await importJWK(jwk, 'ES256', { extractable: true });
      if (publicKey instanceof Uint8Array) throw new Error('expected an EC key');
      const pem = await exportSPKI(publicKey);
      for (const secret of [pem, JSON.stringify(jwk)]) {
        const token = await signedBy(new TextEncoder().encode(secret), { alg: 'HS256', kid, typ: 'at+jwt' });
        await expectRefused(token, /HS256.*only ES256/);
      }
    });

    it('refuses a token for another audience or from another issuer', async () => {
      const elsewhere = 'https://another-installation.example';
      const audience = await issueAccessToken(test.keys, { ...test.settings, audience: elsewhere }, grant());
      await expectRefused(audience.accessToken, /another audience/);
      const issuer = await issueAccessToken(test.keys, { ...test.settings, issuer: elsewhere }, grant());
      await expectRefused(issuer.accessToken, /another server/);
    });

    it('refuses a JWT signed with the right key that is not an access token (typ)', async () => {
      const kid = await currentKid();
      const privateKey = await storedPrivateKey(kid);
      await expectRefused(await signedBy(privateKey, { alg: 'ES256', kid, typ: 'JWT' }), /typ/);
      await expectRefused(await signedBy(privateKey, { alg: 'ES256', kid }), /typ/);
      // The same key and header make a token that is accepted, so only `typ` was at fault above.
      expect((await whoami(`Bearer ${await signedBy(privateKey, { alg: 'ES256', kid, typ: 'at+jwt' })}`)).statusCode).toBe(200);
    });

    it('refuses a token whose organisation the platform does not know', async () => {
      const token = await issueAccessToken(test.keys, test.settings, grant({ organisationOdsCode: 'ZZZ99' }));
      await expectRefused(token.accessToken, /ZZZ99/);
    });

    it('drops roles and scopes this release does not know rather than trusting them', async () => {
      const privateKey = await storedPrivateKey(await currentKid());
      const token = await signedBy(
        privateKey,
        { alg: 'ES256', kid: await currentKid(), typ: 'at+jwt' },
        { roles: ['viewer', 'root'], scope: 'openehr:read everything' },
      );
      const caller = (await whoami(`Bearer ${token}`)).json<{ roles: string[]; scopes: string[] }>();
      expect(caller.roles).toEqual(['viewer']);
      expect(caller.scopes).toEqual(['openehr:read']);
    });
  });

  it('describes both endpoints in the OpenAPI document, the token request as a form', () => {
    const document = test.app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content: object } }>> };
    expect(Object.keys(document.paths['/oauth2/token']?.['post']?.requestBody?.content ?? {})).toEqual([FORM]);
    expect(document.paths['/oauth2/jwks']?.['get']).toBeDefined();
  });
});
