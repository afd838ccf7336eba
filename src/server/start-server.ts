import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { loadMigrations, migrate, type MigrationOutcome } from '../db/migrations.js';
import { openDatabase } from '../db/open-database.js';
import { seedDemoDataset, type DemoDataset } from '../demo/seed-demo-dataset.js';
import { seedDemoPlansInBackground } from '../demo/seed-demo-plans.js';
import { demoDesigners, seedDemoPathways } from '../demo/demo-pathways.js';
import { buildApp, type App } from './app.js';
import { createAppServices, type AppServices } from './app-services.js';
import { installShippedPathways, loadUcpTemplates } from '../careplan/pathway/index.js';
import { storeCarePlanQueries } from '../careplan/queries/care-plan-queries.js';
import { systemCaller } from '../access/caller.js';
import { ensureBootstrapClient } from '../auth/tokens/client-store.js';
import { devIdpSetup } from '../auth/dev-idp/dev-idp-setup.js';
import { parseOidcProvidersJson } from '../auth/oidc/provider-config.js';
import { AuditSealer } from '../audit/audit-sealer.js';
import { DEFAULT_WEB_ROOT, webAppBuilt } from '../web/web-app-plugin.js';
import { maxTokenLifetimeSeconds, SigningKeyRotationJob } from '../auth/tokens/signing-key-rotation.js';
import { SessionPurgeJob } from '../auth/sessions/session-purge-job.js';
import { resolveKeyEncryptionKey } from '../secrets/key-encryption-key.js';
import { SecretBox } from '../secrets/secret-box.js';
import { prepareStoredSecrets } from '../secrets/stored-secrets.js';
import { StartTimings } from './start-timings.js';

/**
 * The key-encryption key (configuration, else the data folder's key file), checked against the
 * database's secrets — a wrong key stops the start here — and any secret still in clear sealed.
 */
export async function openSecretBox(db: Database, config: Config, logger: Logger): Promise<SecretBox> {
  const { key, source } = await resolveKeyEncryptionKey(config.secretsKey, config.dataDir);
  const box = new SecretBox(key);
  const { sealed } = await prepareStoredSecrets(db, box);
  logger.info(
    { keyId: box.keyId, source: source.kind, ...(source.kind === 'key-file' ? { path: source.path } : {}), sealed },
    'stored secrets ready',
  );
  if (source.kind === 'key-file' && config.databaseUrl) {
    logger.warn(
      { path: source.path },
      'UCP_SECRETS_KEY is not set: the key sealing stored secrets is in a file of this server; set UCP_SECRETS_KEY when servers share the database',
    );
  }
  return box;
}

export interface RunningServer {
  app: App;
  db: Database;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  address: string;
  /** Present when the store holds the synthetic demo dataset. */
  demo: DemoDataset | undefined;
  /** The embedded development identity provider's sign-in URL, when it runs. */
  devIdpSignInUrl: string | undefined;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  stop(): Promise<void>;
}

async function migrateSchema(db: Database, logger: Logger): Promise<MigrationOutcome> {
  const outcome = await migrate(db, await loadMigrations());
  logger.info(
    { database: db.backend, applied: outcome.applied, schemaVersion: outcome.currentVersion },
    outcome.applied.length > 0 ? 'database migrated' : 'database schema up to date',
  );
  return outcome;
}

/** The care plan templates, pathways and stored queries this release ships with, where the store lacks them. */
async function installShippedContent(db: Database, services: AppServices, logger: Logger, timings: StartTimings): Promise<void> {
  const installed = await loadUcpTemplates(services.openehr.templates);
  if (installed.length > 0) logger.info({ templates: installed }, 'care plan templates installed');
  timings.step('templates');
  const pathways = await installShippedPathways(db);
  if (pathways.length > 0) logger.info({ pathways }, 'shipped pathways loaded as their first published versions');
  timings.step('pathways');
  const storedQueries = await storeCarePlanQueries(services.openehr.storedQueries, systemCaller('care-plan-queries'));
  if (storedQueries.length > 0) logger.info({ queries: storedQueries }, 'care plan queries stored');
  timings.step('storedQueries');
}

/** The demo dataset's people and its designers' pathway, when the configuration asks for the demo. */
async function seedDemo(config: Config, db: Database, services: AppServices, logger: Logger): Promise<DemoDataset | undefined> {
  const demo = await seedDemoDataset(config.demo, db, services.openehr, logger);
  const designers = demo ? await demoDesigners(db) : undefined;
  if (designers && (await seedDemoPathways(services.pathwayDesign, designers)))
    logger.info('demo pathway made by the demo designers: mental-health-crisis');
  return demo;
}

/**
 * Opens the database, brings its schema up to date, and starts serving HTTP. Anything that
 * fails on the way closes what was opened and rethrows; the caller decides how to report it.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const timings = new StartTimings();
  timings.step('modules');
  const db = await openDatabase(
    { databaseUrl: config.databaseUrl, replicaUrl: config.databaseReplicaUrl, dataDir: config.dataDir, maxConnections: config.dbPoolSize },
    logger,
  );
  timings.step('openDatabase');
  try {
    const outcome = await migrateSchema(db, logger);
    timings.step('migrate');
    const secrets = await openSecretBox(db, config, logger);
    timings.step('secrets');
    const services = createAppServices(db, config, secrets);
    // A key exists before the first token is asked for, so the published key set is never empty.
    await services.tokens.keys.current();
    if (config.bootstrapClient) {
      const outcome = await ensureBootstrapClient(db, config.bootstrapClient.id, config.bootstrapClient.secret);
      logger.info({ clientId: config.bootstrapClient.id, outcome }, 'bootstrap client ready');
    }
    timings.step('services');
    await installShippedContent(db, services, logger, timings);
    const demo = await seedDemo(config, db, services, logger);
    timings.step('demo');
    if (services.demographics.sourceName === 'pds-stub' && !demo) {
      logger.warn('UCP_PDS_URL is not set: demographics come from the local PDS stub, which knows only test NHS numbers');
    }
    const providers = config.oidcProvidersJson ? parseOidcProvidersJson(config.oidcProvidersJson, process.env) : [];
    const runDevIdp = config.devIdp === 'on' || (config.devIdp === 'auto' && demo !== undefined);
    // The demo people also have local accounts: signing in either way is the same person.
    const devIdp = runDevIdp ? devIdpSetup(config.publicUrl, { relyingParty: { linkByVerifiedEmail: true } }) : undefined;
    const web = webAppBuilt() ? { root: DEFAULT_WEB_ROOT } : undefined;
    if (!web) logger.warn({ root: DEFAULT_WEB_ROOT }, 'the web app is not built (npm run build:web): serving the APIs only');
    const app = await buildApp({ config, db, logger, schemaVersion: outcome.currentVersion, services, signOn: { providers, devIdp }, web });
    timings.step('buildApp');
    const address = await app.listen({ port: config.port, host: config.host });
    timings.step('listen');
    const sealer = new AuditSealer(db, logger, { intervalMs: config.auditSealIntervalMs });
    sealer.start();
    const rotation = new SigningKeyRotationJob(
      db,
      secrets,
      services.tokens.keys,
      { periodDays: config.signingKeyRotationDays, maxTokenLifetimeSeconds: maxTokenLifetimeSeconds(config) },
      logger,
    );
    rotation.start();
    const sessionPurge = new SessionPurgeJob(db, { retentionDays: config.session.retentionDays, clock: services.clock }, logger);
    sessionPurge.start();
    // The demo people's plans are written while the server already answers (see seed-demo-plans.ts).
    const demoPlans = demo
      ? seedDemoPlansInBackground(
          { db, systemId: config.systemId, openehr: services.openehr, catalogue: services.carePlans.catalogue },
          logger,
        )
      : undefined;
    logger.info(timings.summary(), 'ready');
    let stopping: Promise<void> | undefined;
    return {
      app,
      db,
      address,
      demo,
      devIdpSignInUrl: devIdp ? `${config.publicUrl}/auth/oidc/${devIdp.relyingParty.id}/login` : undefined,
      stop() {
        stopping ??= (demoPlans?.stop() ?? Promise.resolve())
          .then(() => app.close())
          .then(() => sealer.stop())
          .then(() => rotation.stop())
          .then(() => sessionPurge.stop())
          .finally(() => db.close());
        return stopping;
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
