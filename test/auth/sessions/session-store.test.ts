import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSession,
  LAST_SEEN_WRITE_INTERVAL_MS,
  listActiveSessions,
  purgeEndedSessions,
  resolveSession,
  revokeAllSessions,
  revokeSession,
  SESSION_ROW_TTL_MS,
  type SessionResolution,
  type SessionTimeouts,
} from '../../../src/auth/sessions/session-store.js';
import { csrfTokenOf } from '../../../src/auth/sessions/session-token.js';
import { AppError } from '../../../src/errors/app-error.js';
import { testNhsNumber } from '../../../src/nhs/nhs-number.js';
import { createLocalAccount, setPassword } from '../../../src/users/local-accounts.js';
import { disableUser } from '../../../src/users/user-store.js';
import { backend, createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ambulance, createClinician, practice, seedOrganisations } from './session-test-app.js';

const timeouts: SessionTimeouts = { idleTimeoutMs: 15 * 60_000, absoluteTimeoutMs: 12 * 3_600_000 };
const T0 = new Date('2030-03-04T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function statusOf(resolution: SessionResolution): string {
  return resolution.status === 'active' ? 'active' : resolution.reason;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe(`session store on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await seedOrganisations(test.db);
  });
  afterAll(() => test.drop());

  async function lastSeen(sessionId: string): Promise<Date> {
    const { rows } = await test.db.query<{ last_seen_at: Date | string }>('SELECT last_seen_at FROM user_session WHERE id = $1', [
      sessionId,
    ]);
    return new Date(rows[0]?.last_seen_at ?? Number.NaN);
  }

  it('stores only the SHA-256 of the token, and neither the token nor the CSRF token in clear', async () => {
    const user = await createClinician(test.db);
    const { token, session } = await createSession(
      test.db,
      { userId: user.id, odsCode: ambulance.odsCode, clientAddress: '192.0.2.7', userAgent: 'Firefox/140' },
      timeouts,
      T0,
    );
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.id).toBe(createHash('sha256').update(token).digest('hex'));
    const { rows } = await test.db.query('SELECT * FROM user_session WHERE user_id = $1', [user.id]);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(csrfTokenOf(token));
    expect(rows[0]).toMatchObject({
      id: session.id,
      ods_code: 'RRU',
      client_address: '192.0.2.7',
      user_agent: 'Firefox/140',
      revoked_at: null,
    });
    expect(session).toMatchObject({
      userId: user.id,
      odsCode: 'RRU',
      createdAt: T0,
      lastSeenAt: T0,
      idleExpiresAt: at(15),
      absoluteExpiresAt: at(12 * 60),
      purposeOfUse: undefined,
      launchContextNhsNumber: undefined,
    });
  });

  it('resolves a live session and refuses unknown and malformed tokens', async () => {
    const user = await createClinician(test.db);
    const { token, session } = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    expect(await resolveSession(test.db, token, timeouts, at(1))).toMatchObject({ status: 'active', session: { id: session.id } });
    expect(statusOf(await resolveSession(test.db, 'A'.repeat(43), timeouts, at(1)))).toBe('unknown');
    expect(statusOf(await resolveSession(test.db, "' OR 1=1 --", timeouts, at(1)))).toBe('unknown');
    expect(statusOf(await resolveSession(test.db, '', timeouts, at(1)))).toBe('unknown');
  });

  it('ends a session after the idle timeout without activity', async () => {
    const user = await createClinician(test.db);
    const idle = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    const justInTime = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    expect(statusOf(await resolveSession(test.db, justInTime.token, timeouts, new Date(at(15).getTime() - 1)))).toBe('active');
    expect(statusOf(await resolveSession(test.db, idle.token, timeouts, at(15)))).toBe('idle-timeout');
    expect(statusOf(await resolveSession(test.db, idle.token, timeouts, at(30)))).toBe('idle-timeout');
  });

  it('slides the idle expiry with activity, writing at most once a minute', async () => {
    const user = await createClinician(test.db);
    const { token, session } = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);

    const soon = await resolveSession(test.db, token, timeouts, new Date(T0.getTime() + 30_000));
    expect(soon).toMatchObject({ status: 'active', session: { lastSeenAt: T0, idleExpiresAt: at(15) } });
    expect(await lastSeen(session.id)).toEqual(T0);

    const oneMinute = new Date(T0.getTime() + LAST_SEEN_WRITE_INTERVAL_MS);
    const later = await resolveSession(test.db, token, timeouts, oneMinute);
    expect(later).toMatchObject({
      status: 'active',
      session: { lastSeenAt: oneMinute, idleExpiresAt: new Date(oneMinute.getTime() + 15 * 60_000) },
    });
    expect(await lastSeen(session.id)).toEqual(oneMinute);

    // Active every ten minutes, the session outlives many idle periods.
    for (const minute of [10, 20, 30, 40]) expect(statusOf(await resolveSession(test.db, token, timeouts, at(minute)))).toBe('active');
    expect(await lastSeen(session.id)).toEqual(at(40));
    expect(statusOf(await resolveSession(test.db, token, timeouts, at(54)))).toBe('active');
    expect(statusOf(await resolveSession(test.db, token, timeouts, at(69)))).toBe('idle-timeout');
  });

  it('ends a session at the absolute expiry however active, and never slides past it', async () => {
    const short: SessionTimeouts = { idleTimeoutMs: 15 * 60_000, absoluteTimeoutMs: 60 * 60_000 };
    const user = await createClinician(test.db);
    const { token } = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, short, T0);
    for (const minute of [10, 20, 30, 40]) expect(statusOf(await resolveSession(test.db, token, short, at(minute)))).toBe('active');
    expect(await resolveSession(test.db, token, short, at(50))).toMatchObject({ status: 'active', session: { idleExpiresAt: at(60) } });
    expect(statusOf(await resolveSession(test.db, token, short, at(59)))).toBe('active');
    expect(statusOf(await resolveSession(test.db, token, short, at(60)))).toBe('absolute-timeout');
  });

  it('revokes one session, once, and only for its own user when a user is given', async () => {
    const user = await createClinician(test.db);
    const other = await createClinician(test.db, 'Someone Else');
    const { token, session } = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    expect(await revokeSession(test.db, session.id, { reason: 'ended-by-user', userId: other.id, now: at(1) })).toBe(false);
    expect(statusOf(await resolveSession(test.db, token, timeouts, at(1)))).toBe('active');
    expect(await revokeSession(test.db, session.id, { reason: 'signed-out', now: at(2) })).toBe(true);
    expect(await revokeSession(test.db, session.id, { reason: 'signed-out', now: at(3) })).toBe(false);
    expect(statusOf(await resolveSession(test.db, token, timeouts, at(3)))).toBe('revoked');
    const { rows } = await test.db.query<{ revoked_reason: string; revoked_at: Date | string }>(
      'SELECT revoked_reason, revoked_at FROM user_session WHERE id = $1',
      [session.id],
    );
    expect(rows[0]?.revoked_reason).toBe('signed-out');
    expect(new Date(rows[0]?.revoked_at ?? 0)).toEqual(at(2));
  });

  it("signs out everywhere: every live session of the user ends, in every organisation, and no one else's", async () => {
    const user = await createClinician(test.db);
    const bystander = await createClinician(test.db, 'Bystander');
    const laptop = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    const tablet = await createSession(test.db, { userId: user.id, odsCode: practice.odsCode }, timeouts, at(1));
    const theirs = await createSession(test.db, { userId: bystander.id, odsCode: ambulance.odsCode }, timeouts, T0);
    expect(await revokeAllSessions(test.db, user.id, { reason: 'signed-out-everywhere', now: at(2) })).toBe(2);
    expect(statusOf(await resolveSession(test.db, laptop.token, timeouts, at(3)))).toBe('revoked');
    expect(statusOf(await resolveSession(test.db, tablet.token, timeouts, at(3)))).toBe('revoked');
    expect(statusOf(await resolveSession(test.db, theirs.token, timeouts, at(3)))).toBe('active');
    expect(await revokeAllSessions(test.db, user.id, { reason: 'signed-out-everywhere', now: at(4) })).toBe(0);
  });

  it("lists a user's live sessions, most recently active first", async () => {
    const user = await createClinician(test.db);
    const first = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode, userAgent: 'Edge' }, timeouts, T0);
    const second = await createSession(test.db, { userId: user.id, odsCode: practice.odsCode, userAgent: 'Safari' }, timeouts, at(1));
    const ended = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, at(1));
    await revokeSession(test.db, ended.session.id, { reason: 'signed-out', now: at(2) });
    await resolveSession(test.db, first.token, timeouts, at(5));
    expect((await listActiveSessions(test.db, user.id, at(6))).map((session) => session.userAgent)).toEqual(['Edge', 'Safari']);
    // The second session, idle since minute 1, has ended by minute 16; the first has not.
    expect((await listActiveSessions(test.db, user.id, at(16))).map((session) => session.id)).toEqual([first.session.id]);
    expect(await listActiveSessions(test.db, 'not-a-uuid', at(6))).toEqual([]);
    expect(second.session.odsCode).toBe(practice.odsCode);
  });

  it('ends sessions begun before a password change, and not those begun after', async () => {
    const user = await createClinician(test.db);
    await createLocalAccount(test.db, { userId: user.id, username: `ada.${user.id.slice(0, 8)}`, password: 'quiet meadow lantern 42' }, T0);
    const before = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, at(1));
    expect(statusOf(await resolveSession(test.db, before.token, timeouts, at(2)))).toBe('active');
    expect((await listActiveSessions(test.db, user.id, at(2))).map((session) => session.id)).toEqual([before.session.id]);

    await setPassword(test.db, user.id, 'amber harbour violin 77', at(3));
    const after = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, at(4));
    expect(statusOf(await resolveSession(test.db, before.token, timeouts, at(5)))).toBe('password-changed');
    expect(statusOf(await resolveSession(test.db, after.token, timeouts, at(5)))).toBe('active');
    expect((await listActiveSessions(test.db, user.id, at(5))).map((session) => session.id)).toEqual([after.session.id]);
  });

  it('keeps sessions of a user without a local account, and ends them if a password is set later', async () => {
    const user = await createClinician(test.db);
    const { token } = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    expect(statusOf(await resolveSession(test.db, token, timeouts, at(1)))).toBe('active');
    await createLocalAccount(
      test.db,
      { userId: user.id, username: `sso.${user.id.slice(0, 8)}`, password: 'copper kettle drizzle 19' },
      at(2),
    );
    expect(statusOf(await resolveSession(test.db, token, timeouts, at(3)))).toBe('password-changed');
  });

  it('refuses the sessions of a disabled user', async () => {
    const user = await createClinician(test.db);
    const { token } = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    await disableUser(test.db, user.id);
    expect(statusOf(await resolveSession(test.db, token, timeouts, at(1)))).toBe('user-disabled');
    expect(await listActiveSessions(test.db, user.id, at(1))).toEqual([]);
  });

  it('reuses a session row for a second at most: a change written elsewhere is seen after that, one written here at once', async () => {
    const user = await createClinician(test.db);
    const { token, session } = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    expect(statusOf(await resolveSession(test.db, token, timeouts, T0))).toBe('active');
    // Another server's sign-out: the same row change, not made through this process.
    await test.db.query("UPDATE user_session SET revoked_at = $2::timestamptz, revoked_reason = 'signed-out' WHERE id = $1", [
      session.id,
      T0,
    ]);
    expect(statusOf(await resolveSession(test.db, token, timeouts, T0))).toBe('active');
    await new Promise((resolve) => setTimeout(resolve, SESSION_ROW_TTL_MS + 50));
    expect(statusOf(await resolveSession(test.db, token, timeouts, T0))).toBe('revoked');

    const { token: second } = await createSession(test.db, { userId: user.id, odsCode: practice.odsCode }, timeouts, T0);
    expect(statusOf(await resolveSession(test.db, second, timeouts, T0))).toBe('active');
    await disableUser(test.db, user.id);
    expect(statusOf(await resolveSession(test.db, second, timeouts, T0))).toBe('user-disabled');
  });

  it('keeps the launch context and the declared purpose, and checks the NHS number', async () => {
    const user = await createClinician(test.db);
    const nhsNumber = testNhsNumber(42);
    const { token } = await createSession(
      test.db,
      { userId: user.id, odsCode: ambulance.odsCode, launchContextNhsNumber: nhsNumber, purposeOfUse: 'emergency-care' },
      timeouts,
      T0,
    );
    expect(await resolveSession(test.db, token, timeouts, at(1))).toMatchObject({
      status: 'active',
      session: { launchContextNhsNumber: nhsNumber, purposeOfUse: 'emergency-care' },
    });
    const bad = await errorOf(
      createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode, launchContextNhsNumber: '1234567890' }, timeouts, T0),
    );
    expect(bad.code).toBe('bad-request');
  });

  it('refuses a session for an unknown user or organisation', async () => {
    const user = await createClinician(test.db);
    expect((await errorOf(createSession(test.db, { userId: user.id, odsCode: 'XXX99' }, timeouts, T0))).code).toBe('not-found');
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect((await errorOf(createSession(test.db, { userId: ghost, odsCode: ambulance.odsCode }, timeouts, T0))).code).toBe('not-found');
    expect((await errorOf(createSession(test.db, { userId: 'nobody', odsCode: ambulance.odsCode }, timeouts, T0))).code).toBe('not-found');
  });

  it('purges sessions that ended before a date and keeps the rest', async () => {
    const user = await createClinician(test.db);
    const old = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, new Date('2020-01-01T00:00:00Z'));
    const live = await createSession(test.db, { userId: user.id, odsCode: ambulance.odsCode }, timeouts, T0);
    expect(await purgeEndedSessions(test.db, new Date('2021-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    const { rows } = await test.db.query<{ id: string }>('SELECT id FROM user_session WHERE id IN ($1, $2)', [
      old.session.id,
      live.session.id,
    ]);
    expect(rows.map((row) => row.id)).toEqual([live.session.id]);
  });
});
