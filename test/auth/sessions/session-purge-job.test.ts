import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSignInFailure } from '../../../src/auth/local/sign-in-throttle.js';
import { SessionPurgeJob } from '../../../src/auth/sessions/session-purge-job.js';
import { createSession, revokeSession, type SessionTimeouts } from '../../../src/auth/sessions/session-store.js';
import { eventually } from '../../support/eventually.js';
import { backend, createTestDatabase, silentLogger, type TestDatabase } from '../../support/test-database.js';
import { ambulance, createClinician, seedOrganisations } from './session-test-app.js';

const timeouts: SessionTimeouts = { idleTimeoutMs: 15 * 60_000, absoluteTimeoutMs: 12 * 3_600_000 };
const NOW = new Date('2030-03-04T09:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe(`the ended-session purge job on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await seedOrganisations(test.db);
  });
  afterAll(() => test.drop());

  async function remaining(ids: readonly string[]): Promise<string[]> {
    const { rows } = await test.db.query<{ id: string }>('SELECT id FROM user_session WHERE id = ANY($1::text[])', [ids]);
    return rows.map((row) => row.id).sort();
  }

  async function sessionStartedAt(userId: string, at: Date): Promise<string> {
    return (await createSession(test.db, { userId, odsCode: ambulance.odsCode }, timeouts, at)).session.id;
  }

  it('deletes sessions that ended longer ago than the retention, keeps recent and live ones, and stops when asked', async () => {
    const user = await createClinician(test.db);
    const expiredLongAgo = await sessionStartedAt(user.id, daysAgo(60));
    const revokedLongAgo = await sessionStartedAt(user.id, daysAgo(40));
    await revokeSession(test.db, revokedLongAgo, { reason: 'signed-out', now: daysAgo(40) });
    const expiredRecently = await sessionStartedAt(user.id, daysAgo(10));
    const revokedRecently = await sessionStartedAt(user.id, daysAgo(5));
    await revokeSession(test.db, revokedRecently, { reason: 'signed-out', now: daysAgo(5) });
    const live = await sessionStartedAt(user.id, NOW);
    const all = [expiredLongAgo, revokedLongAgo, expiredRecently, revokedRecently, live];

    const job = new SessionPurgeJob(test.db, { retentionDays: 30, intervalMs: 50, clock: () => NOW }, silentLogger);
    job.start();
    try {
      const kept = [expiredRecently, revokedRecently, live].sort();
      await eventually(async () => ((await remaining(all)).length === kept.length ? true : undefined), 10_000, 'the purge');
      expect(await remaining(all)).toEqual(kept);
    } finally {
      await job.stop();
    }

    // Stopped: a session that ended long ago now stays, however many intervals pass.
    const afterStop = await sessionStartedAt(user.id, daysAgo(90));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await remaining([afterStop])).toEqual([afterStop]);
  });

  it('forgets sign-in throttle windows that are over, and keeps those that can still block', async () => {
    const throttled = async (): Promise<string[]> =>
      (await test.db.query<{ kind: string }>('SELECT kind FROM sign_in_throttle ORDER BY kind')).rows.map((row) => row.kind);
    await test.db.query('DELETE FROM sign_in_throttle');
    await recordSignInFailure(test.db, { username: 'long-ago', clientAddress: '192.0.2.1' }, daysAgo(2));
    await recordSignInFailure(test.db, { username: 'just-now', clientAddress: '192.0.2.2' }, NOW);
    expect(await throttled()).toEqual(['address', 'address', 'username', 'username']);

    const job = new SessionPurgeJob(test.db, { retentionDays: 30, intervalMs: 50, clock: () => NOW }, silentLogger);
    job.start();
    try {
      await eventually(async () => ((await throttled()).length === 2 ? true : undefined), 10_000, 'the throttle purge');
    } finally {
      await job.stop();
    }
    // The two rows left are the recent attempt's: its username and its address.
    const left = await test.db.query<{ kind: string }>('SELECT kind FROM sign_in_throttle WHERE window_started_at = $1 ORDER BY kind', [
      NOW,
    ]);
    expect(left.rows.map((row) => row.kind)).toEqual(['address', 'username']);
  });
});
