/**
 * The process entry point: configuration, start-up, and shutdown on SIGTERM/SIGINT. Every
 * failure before the server is up is reported as one line on stderr and a non-zero exit.
 */
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { DEMO_PASSWORD, demoLoginLines } from './demo/demo-people.js';
import { DataDirectoryInUseError } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrations.js';
import { SecretsKeyError } from './secrets/key-encryption-key.js';
import { OidcConfigError } from './auth/oidc/provider-config.js';
import { createLogger } from './http/logging.js';
import { startServer } from './server/start-server.js';

function fail(message: string): never {
  process.stderr.write(`ucp: ${message}\n`);
  process.exit(1);
}

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

const config = readConfig();

const logger = createLogger(config.logLevel);

// Signals are handled from the start: one that arrives while the server is still starting
// stops it as soon as it is up, instead of killing the process half-way.
let stop: (() => Promise<void>) | undefined;
let signalled = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting without waiting for requests to finish');
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    if (stop) shutDown(stop);
  });
}

function shutDown(stopServer: () => Promise<void>): void {
  setTimeout(() => {
    logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown took too long; exiting');
    process.exit(1);
  }, config.shutdownGraceMs).unref();
  stopServer().then(
    () => {
      logger.info('stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}

try {
  const server = await startServer(config, logger);
  stop = () => server.stop();
  printBanner(server.address, server.demo !== undefined, server.devIdpSignInUrl);
  if (signalled) shutDown(stop);
} catch (error) {
  if (error instanceof MigrationError || error instanceof DataDirectoryInUseError) fail(error.message);
  if (error instanceof SecretsKeyError) fail(error.message);
  if (error instanceof OidcConfigError) fail(`UCP_OIDC_PROVIDERS: ${error.message}`);
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    fail(`port ${config.port} on ${config.host} is already in use; set PORT to another port`);
  }
  logger.fatal({ err: error }, 'server failed to start');
  fail(`server failed to start: ${error instanceof Error ? error.message : String(error)}`);
}

function printBanner(address: string, demo: boolean, devIdpSignInUrl: string | undefined): void {
  const lines = [
    '',
    `  Urgent Care Plan is running at ${address}`,
    `  API description: ${address}/docs    openEHR REST API: ${address}/openehr/v1`,
  ];
  if (demo) {
    lines.push(
      '',
      '  DEMO DATA: this store holds a synthetic demo dataset — made-up Londoners with NHS numbers',
      '  from the test range (999…). None of them is a real person. Start with UCP_DEMO=off and a',
      '  fresh UCP_DATA_DIR or database for real use.',
      '',
      `  Demo log-ins (POST /auth/sign-in), all with the password "${DEMO_PASSWORD}":`,
      ...demoLoginLines().map((line) => `    ${line}`),
      ...(devIdpSignInUrl ? ['', `  Single sign-on with the same demo people (development identity provider): ${devIdpSignInUrl}`] : []),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
