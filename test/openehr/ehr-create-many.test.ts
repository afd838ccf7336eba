import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { ehrStatusFor, nextTestNhsNumber } from '../support/fixtures.js';

const AUDIT = { committer: { _type: 'PARTY_IDENTIFIED' as const, name: 'test loader' } };

describe(`creating many EHRs at once on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test.close());

  const countEhrs = async () => (await test.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ehr')).rows[0]?.n;

  it('creates each with its status, readable like any other EHR', async () => {
    const nhsNumbers = [nextTestNhsNumber(), nextTestNhsNumber(), nextTestNhsNumber()];
    const views = await test.services.openehr.ehrs.createMany(
      nhsNumbers.map((nhsNumber) => ({ status: ehrStatusFor(nhsNumber) })),
      AUDIT,
    );
    expect(views.map((view) => view.ehr.subject?.id)).toEqual(nhsNumbers);
    expect(new Set(views.map((view) => view.ehr.ehrId)).size).toBe(3);
    for (const view of views) {
      const read = await test.services.openehr.ehrs.get(view.ehr.ehrId);
      expect(read.status.versionUid).toBe(view.status.versionUid);
      expect(read.status.objectId).toBe(read.ehr.ehrStatusUid);
    }
  });

  it('creates none when one status is not valid', async () => {
    const before = await countEhrs();
    const attempt = test.services.openehr.ehrs.createMany(
      [{ status: ehrStatusFor(nextTestNhsNumber()) }, { status: { _type: 'EHR_STATUS', is_queryable: 'yes' } }],
      AUDIT,
    );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'bad-request' });
    expect(await countEhrs()).toBe(before);
  });

  it('creates none when one of them cannot be stored', async () => {
    const before = await countEhrs();
    const taken = nextTestNhsNumber();
    const attempt = test.services.openehr.ehrs.createMany(
      [{ status: ehrStatusFor(nextTestNhsNumber()) }, { status: ehrStatusFor(taken) }, { status: ehrStatusFor(taken) }],
      AUDIT,
    );
    await expect(attempt).rejects.toThrow();
    expect(await countEhrs()).toBe(before);
  });
});
