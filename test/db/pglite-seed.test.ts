import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/db/migrations.js';
import { PgliteDatabase } from '../../src/db/pglite-database.js';
import { pgliteSeedFor } from '../../src/db/pglite-seed.js';

// The prepared cluster is made by scripts/build-server.mjs, which vitest's global set-up runs.
describe('a new PGlite data folder from the prepared empty cluster', () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('starts from it, takes the migrations, and afterwards opens as the database it has become', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucp-pglite-seed-'));
    made.push(dir);
    const folder = join(dir, 'pglite');
    const seed = await pgliteSeedFor(folder);
    expect(seed).toBeInstanceOf(Blob);

    const db = await PgliteDatabase.open(folder, undefined, seed);
    const migrations = await loadMigrations();
    expect((await migrate(db, migrations)).applied).toHaveLength(migrations.length);
    await db.query("INSERT INTO system_setting (key, value) VALUES ('seed-test', '\"kept\"'::jsonb)");
    await db.close();

    // A folder that holds a database is never overwritten by the seed.
    expect(await pgliteSeedFor(folder)).toBeUndefined();
    const reopened = await PgliteDatabase.open(folder);
    expect((await migrate(reopened, migrations)).applied).toEqual([]);
    const { rows } = await reopened.query<{ value: unknown }>("SELECT value FROM system_setting WHERE key = 'seed-test'");
    expect(rows).toEqual([{ value: 'kept' }]);
    await reopened.close();
  });
});
