import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/http/logging.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { buildApp, type App } from '../../src/server/app.js';
import type { LazySchemaCompilers } from '../../src/server/lazy-schema-compilers.js';
import { createAppServices, type AppServices } from '../../src/server/app-services.js';
import { authorizedInject, integrationToken, type Inject } from './authorized-inject.js';
import type { OidcProviderConfig } from '../../src/auth/oidc/provider-config.js';
import { loadMigrations } from '../../src/db/migrations.js';
import { installShippedPathways } from '../../src/careplan/pathway/index.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testPdsStub } from './test-pds.js';
import { testSecrets } from './test-secrets.js';

export interface TestApp {
  app: App;
  /** `app.inject` as an integration client (see authorized-inject.ts). */
  inject: Inject;
  services: AppServices;
  database: TestDatabase;
  config: Config;
  /** Every log line the app wrote, parsed. */
  logLines: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Routes to add before the app is ready (for exercising cross-cutting behaviour). */
  extend?: (app: App) => void;
  schemaVersion?: number;
  /** Single sign-on providers, as start-up would pass them from UCP_OIDC_PROVIDERS. */
  identityProviders?: readonly OidcProviderConfig[];
  /** The app's clock (default: the system clock). */
  clock?: () => Date;
  /** The web app to serve (a folder with an index.html); none by default. */
  web?: { root: string };
  /** The route schema compilers, to build every route's functions (default: the app's own). */
  schemaCompilers?: LazySchemaCompilers;
}

/** The real application on a fresh database of the selected backend, with its logs captured. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ DATABASE_URL: undefined, ...options.env });
  const database = await createTestDatabase();
  const logLines: Record<string, unknown>[] = [];
  const logger = capturingLogger(logLines);
  const schemaVersion = options.schemaVersion ?? (await loadMigrations()).at(-1)?.version ?? 0;
  const services = createAppServices(database.db, config, testSecrets, { clock: options.clock, localPdsStub: testPdsStub });
  // As start-up does: the shipped pathways are the first published versions.
  await installShippedPathways(database.db);
  const app = await buildApp({
    config,
    db: database.db,
    logger,
    schemaVersion,
    services,
    ...(options.identityProviders ? { signOn: { providers: options.identityProviders, devIdp: undefined } } : {}),
    ...(options.web ? { web: options.web } : {}),
    ...(options.schemaCompilers ? { schemaCompilers: options.schemaCompilers } : {}),
  });
  options.extend?.(app);
  await app.ready();
  return {
    app,
    inject: authorizedInject(app, await integrationToken(services, database.db)),
    services,
    database,
    config,
    logLines,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

function capturingLogger(lines: Record<string, unknown>[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return createLogger('info', sink);
}
