/**
 * The process entry point: configuration, start-up, and shutdown on SIGTERM/SIGINT. Every
 * failure before the server is up is reported as one line on stderr and a non-zero exit.
 */
import { ConfigError, loadConfig } from './config/config.js';
import { DataDirectoryInUseError } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrations.js';
import { createLogger } from './server/logging.js';
import { startServer } from './server/start-server.js';

function fail(message: string): never {
  process.stderr.write(`ucp: ${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

const logger = createLogger(config.logLevel);

let server;
try {
  server = await startServer(config, logger);
} catch (error) {
  if (error instanceof MigrationError || error instanceof DataDirectoryInUseError) fail(error.message);
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    fail(`port ${config.port} on ${config.host} is already in use; set PORT to another port`);
  }
  logger.fatal({ err: error }, 'server failed to start');
  fail(`server failed to start: ${error instanceof Error ? error.message : String(error)}`);
}

const running = server;
let signalled = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting without waiting for requests to finish');
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
