import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_PEOPLE, seedDemoDataset } from '../../src/demo/seed-demo-dataset.js';
import { NHS_NUMBER_SYSTEM, isTestRangeNhsNumber } from '../../src/nhs/nhs-number.js';
import { createAppServices } from '../../src/server/app-services.js';
import { backend, createTestDatabase, silentLogger, type TestDatabase } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

async function countEhrs(test: TestDatabase): Promise<number> {
  const { rows } = await test.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ehr');
  return rows[0]?.n ?? -1;
}

describe(`demo dataset on ${backend}`, () => {
  let test: TestDatabase;
  afterEach(() => test.drop());
  const services = () => createAppServices(test.db, loadConfig({}), testSecrets).openehr;

  it('loads synthetic Londoners into an empty store, each with a test-range NHS number', async () => {
    test = await createTestDatabase();
    const demo = await seedDemoDataset('auto', test.db, services(), silentLogger);
    expect(demo).toMatchObject({ people: DEMO_PEOPLE });
    expect(await countEhrs(test)).toBe(DEMO_PEOPLE);
    const { rows } = await test.db.query<{ subject_id: string; subject_namespace: string }>(
      'SELECT subject_id, subject_namespace FROM ehr',
    );
    for (const row of rows) {
      expect(row.subject_namespace).toBe(NHS_NUMBER_SYSTEM);
      expect(isTestRangeNhsNumber(row.subject_id)).toBe(true);
    }
    // Every demo person has a registered GP practice among the demo organisations, so demo log-ins see someone.
    const gps = await test.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM person_relationship WHERE kind = 'registered-gp' AND ods_code = 'DEMOGP1'",
    );
    expect(gps.rows).toEqual([{ n: DEMO_PEOPLE }]);
  });

  it('leaves a store that already holds data alone in auto mode', async () => {
    test = await createTestDatabase();
    await services().ehrs.create({}, { committer: { _type: 'PARTY_IDENTIFIED', name: 'someone' } });
    expect(await seedDemoDataset('auto', test.db, services(), silentLogger)).toBeUndefined();
    expect(await countEhrs(test)).toBe(1);
  });

  it('loads nothing when off, and loads once when on', async () => {
    test = await createTestDatabase();
    expect(await seedDemoDataset('off', test.db, services(), silentLogger)).toBeUndefined();
    expect(await countEhrs(test)).toBe(0);
    await seedDemoDataset('on', test.db, services(), silentLogger);
    await seedDemoDataset('on', test.db, services(), silentLogger);
    expect(await countEhrs(test)).toBe(DEMO_PEOPLE);
  });

  it('is loaded once when several servers start together', async () => {
    test = await createTestDatabase();
    const results = await Promise.all([1, 2, 3].map(() => seedDemoDataset('auto', test.db, services(), silentLogger)));
    for (const result of results) expect(result).toMatchObject({ people: DEMO_PEOPLE });
    expect(await countEhrs(test)).toBe(DEMO_PEOPLE);
  });
});
