/**
 * Repositories for the AQL suites. Each suite needs an empty repository (its queries range over
 * every EHR), but migrating a fresh database per suite costs seconds on PGlite; so one database is
 * migrated per run and, before each suite, its repository tables are emptied and a new
 * application (with empty template caches) is built on it.
 */
import { loadConfig } from '../../../src/config/config.js';
import { loadMigrations } from '../../../src/db/migrations.js';
import { buildApp } from '../../../src/server/app.js';
import { createAppServices } from '../../../src/server/app-services.js';
import { authorizedInject, integrationToken } from '../../support/authorized-inject.js';
import { createTestDatabase, silentLogger } from '../../support/test-database.js';
import type { ConformanceApp } from '../openehr-conformance.js';
import { testSecrets } from '../../support/test-secrets.js';

const config = loadConfig({ UCP_MAX_BODY_BYTES: String(20 * 1024 * 1024) });

/** The openEHR repository's tables; CASCADE empties whatever derived tables refer to them. */
const REPOSITORY_TABLES = ['object_version', 'versioned_object', 'contribution', 'ehr', 'template', 'event_outbox'];

export interface AqlRepositories {
  systemId: string;
  /** A fresh, empty repository behind the real application. */
  createApp(): Promise<ConformanceApp>;
  close(): Promise<void>;
}

export async function aqlRepositories(): Promise<AqlRepositories> {
  const schemaVersion = (await loadMigrations()).at(-1)?.version ?? 0;
  const database = await createTestDatabase();
  return {
    systemId: config.systemId,
    async createApp() {
      await database.db.exec(`TRUNCATE ${REPOSITORY_TABLES.join(', ')} CASCADE`);
      const services = createAppServices(database.db, config, testSecrets);
      const app = await buildApp({ config, db: database.db, logger: silentLogger, schemaVersion, services });
      await app.ready();
      return { app, inject: authorizedInject(app, await integrationToken(services, database.db)), close: () => app.close() };
    },
    close: () => database.drop(),
  };
}
