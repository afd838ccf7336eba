/**
 * The real application on a fresh database of the selected backend (embedded PGlite, or a new
 * database on DATABASE_URL's server), silent, with room for the largest fixtures: what the
 * conformance run replays the fixtures against, from `npm run conformance` and from Vitest.
 */
import { loadConfig } from '../../src/config/config.js';
import { loadMigrations } from '../../src/db/migrations.js';
import { buildApp } from '../../src/server/app.js';
import { createAppServices } from '../../src/server/app-services.js';
import { authorizedInject, integrationToken } from '../support/authorized-inject.js';
import { createTestDatabase, silentLogger } from '../support/test-database.js';
import type { ConformanceApp } from './openehr-conformance.js';
import { testSecrets } from '../support/test-secrets.js';

const config = loadConfig({ UCP_MAX_BODY_BYTES: String(20 * 1024 * 1024) });

export async function createConformanceApp(): Promise<ConformanceApp> {
  const schemaVersion = (await loadMigrations()).at(-1)?.version ?? 0;
  const database = await createTestDatabase();
  const services = createAppServices(database.db, config, testSecrets);
  const app = await buildApp({ config, db: database.db, logger: silentLogger, schemaVersion, services });
  await app.ready();
  return {
    app,
    inject: authorizedInject(app, await integrationToken(services, database.db)),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
