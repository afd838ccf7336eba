import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller, CallerOrganisation } from '../../src/access/caller.js';
import { permissionsOf } from '../../src/access/roles.js';
import { AppError } from '../../src/errors/app-error.js';
import { QueryShares, type QueryShareLimits } from '../../src/openehr/service/query-shares.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';

const LIMITS: QueryShareLimits = {
  perCallerConcurrent: 2,
  perOrganisationConcurrent: 3,
  perCallerMsPerMinute: 10_000,
  perOrganisationMsPerMinute: 40_000,
  timeoutMs: 10_000,
};

function organisation(odsCode: string): CallerOrganisation {
  return { odsCode, name: odsCode, kind: 'gp-practice', ics: 'North Central London', dataSecurityStatus: 'standards-met' };
}

function clinician(id: string, odsCode: string): Caller {
  return {
    kind: 'user',
    id,
    displayName: id,
    organisation: organisation(odsCode),
    roles: ['clinician'],
    permissions: permissionsOf(['clinician']),
    scopes: undefined,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    breakGlassReason: undefined,
    purposeOfUse: 'direct-care',
    clientAddress: undefined,
    sessionId: undefined,
  };
}

/** Work that runs until the test lets it finish. */
function held(): { work: () => Promise<string>; finish: () => void } {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: () => done.then(() => 'done'), finish };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

/** Two QueryShares over one database stand for two servers of one installation. */
describe(`fair shares of query work across servers on ${backend}`, () => {
  let test: TestDatabase;
  let clock = Date.UTC(2026, 0, 1, 9, 0, 5);
  let first: QueryShares;
  let second: QueryShares;
  beforeAll(async () => {
    test = await createTestDatabase();
    first = new QueryShares(test.db, LIMITS, () => clock);
    second = new QueryShares(test.db, LIMITS, () => clock);
  });
  afterAll(() => test.drop());

  it("refuses one caller's third concurrent query (429, Retry-After), on either server, while others run", async () => {
    const heavy = clinician('heavy', 'GP001');
    const a = held();
    const b = held();
    const running = [first.run(heavy, a.work), second.run(heavy, b.work)];
    await expect.poll(async () => Number((await test.db.query<{ n: number }>('SELECT count(*) AS n FROM query_lease')).rows[0]?.n)).toBe(2);
    const third = await refusal(second.run(heavy, async () => 'never'));
    expect(third).toMatchObject({ code: 'too-many-requests', headers: { 'Retry-After': '2' } });
    // Another clinician of the same organisation is not held up.
    expect(await first.run(clinician('colleague', 'GP001'), async () => 'answered')).toBe('answered');
    a.finish();
    b.finish();
    expect(await Promise.all(running)).toEqual(['done', 'done']);
    // Once they finished, the heavy caller may query again.
    expect(await second.run(heavy, async () => 'again')).toBe('again');
  });

  it("bounds an organisation's concurrent queries, without touching other organisations", async () => {
    const works = [held(), held(), held()];
    const running = works.map((w, i) => (i % 2 === 0 ? first : second).run(clinician(`member-${i}`, 'BUSY1'), w.work));
    await expect
      .poll(async () =>
        Number(
          (await test.db.query<{ n: number }>("SELECT count(*) AS n FROM query_lease WHERE organisation_key = 'org:BUSY1'")).rows[0]?.n,
        ),
      )
      .toBe(3);
    expect((await refusal(first.run(clinician('member-4', 'BUSY1'), async () => 'never'))).code).toBe('too-many-requests');
    expect(await second.run(clinician('elsewhere', 'CALM1'), async () => 'answered')).toBe('answered');
    for (const w of works) w.finish();
    await Promise.all(running);
  });

  it("refuses a caller who used this minute's query time, until the next minute; others go on", async () => {
    const greedy = clinician('greedy', 'GP002');
    await first.run(greedy, async () => {
      clock += 10_000;
      return 'slow';
    });
    const spent = await refusal(second.run(greedy, async () => 'never'));
    expect(spent).toMatchObject({ code: 'too-many-requests' });
    expect(Number(spent.headers['Retry-After'])).toBeGreaterThan(0);
    expect(await second.run(clinician('modest', 'GP002'), async () => 'answered')).toBe('answered');
    clock += 60_000;
    expect(await first.run(greedy, async () => 'next minute')).toBe('next minute');
  });

  it('frees the lease of a query that failed', async () => {
    const failing = clinician('failing', 'GP003');
    for (let i = 0; i < 3; i++) {
      await expect(first.run(failing, async () => Promise.reject(new Error('statement failed')))).rejects.toThrow('statement failed');
    }
    expect(await first.run(failing, async () => 'still allowed')).toBe('still allowed');
  });
});
