import type { Logger } from 'pino';
import { systemCaller } from '../../src/access/caller.js';
import { loadUcpTemplates } from '../../src/careplan/pathway/index.js';
import { storeCarePlanQueries } from '../../src/careplan/queries/care-plan-queries.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { loadMigrations, migrate } from '../../src/db/migrations.js';
import type { PgDatabase } from '../../src/db/pg-database.js';
import { seedDemoDataset } from '../../src/demo/seed-demo-dataset.js';
import type { DemoPlanServices } from '../../src/demo/seed-demo-plans.js';
import { createAppServices } from '../../src/server/app-services.js';
import { testSecrets } from '../../test/support/test-secrets.js';

/**
 * A benchmark's fresh database made ready as the servers it measures expect it: migrated, with
 * a signing key, the templates, the platform's stored queries and the demo dataset's people and
 * accounts, but not its plans (the demo marker is removed, or a server started on it would seed
 * them while it is measured). Returns what writing the scenario's own plans needs.
 */
export async function prepareDemoStore(db: PgDatabase, url: string, logger: Logger): Promise<{ config: Config; plans: DemoPlanServices }> {
  await migrate(db, await loadMigrations());
  const config = loadConfig({ DATABASE_URL: url });
  const services = createAppServices(db, config, testSecrets);
  await services.tokens.keys.current();
  await loadUcpTemplates(services.openehr.templates);
  await storeCarePlanQueries(services.openehr.storedQueries, systemCaller('care-plan-queries'));
  await seedDemoDataset('on', db, services.openehr, logger);
  await db.query("DELETE FROM system_setting WHERE key = 'demo_dataset'");
  return { config, plans: { db, systemId: config.systemId, openehr: services.openehr, catalogue: services.carePlans.catalogue } };
}
