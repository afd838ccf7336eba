import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { base32Decode } from '../../src/users/base32.js';
import { createLocalAccount } from '../../src/users/local-accounts.js';
import { totp } from '../../src/users/totp.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';

const ORIGIN = 'http://127.0.0.1:8080';
const PASSWORD = 'a-long-enough-passphrase-42';

describe(`local sign-in on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp();
    const { db } = test.database;
    await upsertOrganisation(db, {
      odsCode: 'HOSP1',
      name: 'Thames Hospice',
      kind: 'hospice',
      ics: 'South West London',
      dataSecurityStatus: 'standards-met',
    });
    await upsertOrganisation(db, {
      odsCode: 'GP001',
      name: 'Riverside Practice',
      kind: 'gp-practice',
      ics: 'North Central London',
      dataSecurityStatus: 'standards-met',
    });
    const nurse = await createUser(db, { displayName: 'Nurse Seacole', email: 'nurse@example.test' });
    await addMembership(db, nurse.id, 'HOSP1', ['clinician']);
    await createLocalAccount(db, { userId: nurse.id, username: 'nurse', password: PASSWORD });
    const locum = await createUser(db, { displayName: 'Dr Locum', email: 'locum@example.test' });
    await addMembership(db, locum.id, 'HOSP1', ['clinician']);
    await addMembership(db, locum.id, 'GP001', ['senior-clinician']);
    await createLocalAccount(db, { userId: locum.id, username: 'locum', password: PASSWORD });
    const victim = await createUser(db, { displayName: 'Often Mistyped', email: 'victim@example.test' });
    await addMembership(db, victim.id, 'HOSP1', ['viewer']);
    await createLocalAccount(db, { userId: victim.id, username: 'victim', password: PASSWORD });
  });
  afterAll(() => test.close());

  const signIn = (body: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }) =>
    test.app.inject({ method: 'POST', url: '/auth/sign-in', headers, payload: body });

  it('signs a user in, sets an HttpOnly session cookie, and the session knows who they are', async () => {
    const response = await signIn({ username: 'nurse', password: PASSWORD });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      displayName: 'Nurse Seacole',
      organisation: { odsCode: 'HOSP1' },
      roles: ['clinician'],
      csrfToken: expect.any(String),
    });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^ucp_session=[^;]+;.*HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = await test.app.inject({ method: 'GET', url: '/auth/session', headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ organisation: { odsCode: 'HOSP1' }, roles: ['clinician'] });
  });

  it('asks a member of several organisations which one to act for', async () => {
    const unchosen = await signIn({ username: 'locum', password: PASSWORD });
    expect(unchosen.statusCode).toBe(400);
    expect(unchosen.json<{ detail: string }>().detail).toContain('GP001');
    const chosen = await signIn({ username: 'locum', password: PASSWORD, organisation: 'GP001' });
    expect(chosen.json()).toMatchObject({ organisation: { odsCode: 'GP001' }, roles: ['senior-clinician'] });
  });

  it('answers a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await signIn({ username: 'nurse', password: 'not-the-password-at-all' });
    const unknown = await signIn({ username: 'nobody', password: 'not-the-password-at-all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
    const { rows } = await test.database.db.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_log WHERE action IN ('sign-in', 'sign-in-failed') ORDER BY seq",
    );
    expect(rows.filter((row) => row.action === 'sign-in-failed')).toHaveLength(2);
    expect(rows.some((row) => row.action === 'sign-in' && row.outcome === 'success')).toBe(true);
  });

  it('locks the account after five wrong passwords, even against the right one, and says when to retry', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await signIn({ username: 'victim', password: `wrong-password-${attempt}-xx` })).statusCode).toBe(401);
    }
    const locked = await signIn({ username: 'victim', password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a sign-in posted from another origin, or with no origin at all', async () => {
    expect((await signIn({ username: 'nurse', password: PASSWORD }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await signIn({ username: 'nurse', password: PASSWORD }, {})).statusCode).toBe(403);
  });

  it('enrols an authenticator app, after which sign-in needs a code from it', async () => {
    const first = await signIn({ username: 'locum', password: PASSWORD, organisation: 'HOSP1' });
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = first.json<{ csrfToken: string }>().csrfToken;
    const headers = { cookie, origin: ORIGIN, 'x-csrf-token': csrf };
    expect(
      (await test.app.inject({ method: 'POST', url: '/auth/totp', headers: { cookie, origin: ORIGIN }, payload: { password: PASSWORD } }))
        .statusCode,
    ).toBe(403);
    // The session alone is not enough: enrolling needs the password too.
    expect((await test.app.inject({ method: 'POST', url: '/auth/totp', headers, payload: {} })).statusCode).toBe(400);
    expect(
      (await test.app.inject({ method: 'POST', url: '/auth/totp', headers, payload: { password: 'not my password' } })).statusCode,
    ).toBe(401);
    const enrolment = await test.app.inject({ method: 'POST', url: '/auth/totp', headers, payload: { password: PASSWORD } });
    expect(enrolment.statusCode, enrolment.body).toBe(200);
    const { secret, uri } = enrolment.json<{ secret: string; uri: string }>();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const key = base32Decode(secret);
    expect(
      (
        await test.app.inject({
          method: 'POST',
          url: '/auth/totp/confirm',
          headers,
          payload: { code: '000000' === totp(key, new Date()) ? '111111' : '000000' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await test.app.inject({ method: 'POST', url: '/auth/totp/confirm', headers, payload: { code: totp(key, new Date()) } })).statusCode,
    ).toBe(204);

    const withoutCode = await signIn({ username: 'locum', password: PASSWORD, organisation: 'HOSP1' });
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('totp');
    const nextStep = totp(key, new Date(Date.now() + 30_000));
    const second = await signIn({ username: 'locum', password: PASSWORD, organisation: 'HOSP1', totp: nextStep });
    expect(second.statusCode).toBe(200);

    // With a factor active, replacing or removing it needs the password and a fresh code, not the session alone.
    const secondHeaders = {
      cookie: String(second.headers['set-cookie']).split(';')[0] ?? '',
      origin: ORIGIN,
      'x-csrf-token': second.json<{ csrfToken: string }>().csrfToken,
    };
    const remove = (payload: object) => test.app.inject({ method: 'DELETE', url: '/auth/totp', headers: secondHeaders, payload });
    expect((await remove({ password: PASSWORD })).statusCode).toBe(401);
    expect((await remove({ password: 'not my password', code: totp(key, new Date(Date.now() + 60_000)) })).statusCode).toBe(401);
    expect(
      (await test.app.inject({ method: 'POST', url: '/auth/totp', headers: secondHeaders, payload: { password: PASSWORD } })).statusCode,
    ).toBe(401);
    // Codes up to the next step were used above; let the clock move on a step, as it would in half a minute.
    await test.database.db.query(
      "UPDATE local_credential SET totp_last_used_step = totp_last_used_step - 2 WHERE lower(username) = 'locum'",
    );
    expect((await remove({ password: PASSWORD, code: totp(key, new Date()) })).statusCode).toBe(204);
  });

  it('refuses malformed sign-in bodies with 400', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { username: 'nurse', password: PASSWORD, admin: true },
    });
    expect(response.statusCode).toBe(400);
  });
});
