import { afterEach, describe, expect, it } from 'vitest';
import { appliedVersion, loadMigrations, migrate, MigrationError, type Migration } from '../../src/db/migrations.js';
import { backend, createEmptyTestDatabase, type TestDatabase } from '../support/test-database.js';

const first: Migration = { version: 1, name: '0001_first.sql', sql: 'CREATE TABLE first_table (id integer);' };
const second: Migration = {
  version: 2,
  name: '0002_second.sql',
  sql: 'CREATE TABLE second_table (id integer); INSERT INTO second_table VALUES (1);',
};
const broken: Migration = {
  version: 3,
  name: '0003_broken.sql',
  sql: 'CREATE TABLE third_table (id integer); SELECT * FROM no_such_table;',
};

async function tableExists(test: TestDatabase, name: string): Promise<boolean> {
  const { rows } = await test.db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  return rows[0]?.present === true;
}

describe(`migrations on ${backend}`, () => {
  let test: TestDatabase;
  afterEach(() => test.drop());

  it("applies the project's own migrations to an empty database", async () => {
    test = await createEmptyTestDatabase();
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, index) => index + 1));
    const outcome = await migrate(test.db, migrations);
    expect(outcome.applied).toEqual(migrations.map((m) => m.name));
    expect(await appliedVersion(test.db)).toBe(migrations.at(-1)?.version);
  });

  it('applies only what is pending, once', async () => {
    test = await createEmptyTestDatabase();
    expect(await appliedVersion(test.db)).toBeUndefined();
    expect((await migrate(test.db, [first])).applied).toEqual(['0001_first.sql']);
    expect((await migrate(test.db, [first, second])).applied).toEqual(['0002_second.sql']);
    expect((await migrate(test.db, [first, second])).applied).toEqual([]);
    expect(await appliedVersion(test.db)).toBe(2);
  });

  it('applies migrations once when several servers start at the same moment', async () => {
    test = await createEmptyTestDatabase();
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => migrate(test.db, [first, second])));
    const appliedBy = outcomes.filter((outcome) => outcome.applied.length > 0);
    expect(appliedBy).toHaveLength(1);
    const { rows } = await test.db.query('SELECT count(*)::int AS n FROM second_table');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('leaves the database as it was when a migration fails, and names the migration', async () => {
    test = await createEmptyTestDatabase();
    await migrate(test.db, [first]);
    const failure = await migrate(test.db, [first, second, broken]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migration).toBe('0003_broken.sql');
    expect((failure as Error).message).toMatch(/0003_broken\.sql failed: .*no_such_table/);
    expect(await tableExists(test, 'second_table')).toBe(false);
    expect(await tableExists(test, 'third_table')).toBe(false);
    expect(await appliedVersion(test.db)).toBe(1);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    test = await createEmptyTestDatabase();
    await migrate(test.db, [first]);
    const edited = { ...first, sql: `${first.sql}\nALTER TABLE first_table ADD COLUMN x int;` };
    await expect(migrate(test.db, [edited])).rejects.toThrow(/0001_first\.sql was changed after it was applied/);
  });

  it('refuses to run against a database set up by a newer release', async () => {
    test = await createEmptyTestDatabase();
    await migrate(test.db, [first, second]);
    await expect(migrate(test.db, [first])).rejects.toThrow(/0002_second\.sql, which this server does not know/);
  });
});
