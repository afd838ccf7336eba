import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/roles.js';
import { accessTokenSettings, issueAccessToken, verifyAccessToken } from '../../src/auth/tokens/access-token.js';
import { AppError } from '../../src/errors/app-error.js';

const settings = accessTokenSettings('https://ucp.example', { lifetimeSeconds: 120, clockToleranceSeconds: 5 });
const { publicKey, privateKey } = await generateKeyPair('ES256');
const signing = { current: async () => ({ kid: 'k1', privateKey }) };
const verifying = { verificationKey: async () => publicKey };
const noOrganisations = { resolveOrganisation: async () => undefined };

async function callerWith(roles: Role[]) {
  const { accessToken } = await issueAccessToken(signing, settings, {
    clientId: 'c1',
    scopes: [],
    roles,
    organisationOdsCode: undefined,
  });
  return verifyAccessToken(verifying, settings, accessToken, noOrganisations);
}

describe('access tokens', () => {
  it('takes its lifetime and clock tolerance from the settings', async () => {
    const now = new Date('2030-01-01T12:00:00Z');
    const issued = await issueAccessToken(
      signing,
      settings,
      { clientId: 'c1', scopes: ['aql:query'], roles: [], organisationOdsCode: undefined },
      now,
    );
    expect(issued.expiresIn).toBe(120);
    expect(issued.expiresAt).toEqual(new Date('2030-01-01T12:02:00Z'));
    const at = (seconds: number) => ({ ...noOrganisations, now: new Date(now.getTime() + seconds * 1000) });
    await expect(verifyAccessToken(verifying, settings, issued.accessToken, at(124))).resolves.toMatchObject({
      id: 'c1',
      scopes: ['aql:query'],
    });
    await expect(verifyAccessToken(verifying, settings, issued.accessToken, at(126))).rejects.toThrow(/expired/);
  });

  it('derives the purpose of use from the roles a client acts with', async () => {
    expect((await callerWith(['clinician', 'auditor'])).purposeOfUse).toBe('direct-care');
    expect((await callerWith(['auditor'])).purposeOfUse).toBe('audit');
    expect((await callerWith(['platform-admin'])).purposeOfUse).toBe('administration');
    expect((await callerWith([])).purposeOfUse).toBe('administration');
  });

  it('gives a client caller no session, launch context, own record or broken glass', async () => {
    expect(await callerWith(['viewer'])).toMatchObject({
      kind: 'client',
      sessionId: undefined,
      launchContextNhsNumber: undefined,
      ownNhsNumber: undefined,
      breakGlassReason: undefined,
      clientAddress: undefined,
    });
  });

  it('lets a server fault through as it is rather than calling it a bad token', async () => {
    const { accessToken } = await issueAccessToken(signing, settings, {
      clientId: 'c1',
      scopes: [],
      roles: [],
      organisationOdsCode: undefined,
    });
    const broken = { verificationKey: async () => Promise.reject(new Error('database unreachable')) };
    const error: unknown = await verifyAccessToken(broken, settings, accessToken, noOrganisations).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toHaveProperty('message', 'database unreachable');
  });

  it('refuses an absurdly long token before parsing it', async () => {
    await expect(verifyAccessToken(verifying, settings, 'a'.repeat(10_000), noOrganisations)).rejects.toThrow(/too long/);
  });
});
