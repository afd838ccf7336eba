import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, loadConfig } from '../config/config.js';
import { DataDirectoryInUseError } from '../db/data-dir-lock.js';
import { openDatabase } from '../db/open-database.js';
import { verifyAuditChain, type VerifyAuditChainOptions } from './verify-audit-chain.js';

export interface AuditVerifyOutcome {
  exitCode: 0 | 1;
  /** The one line to print. */
  line: string;
}

const USAGE = 'usage: audit:verify [--from SEQ] [--anchor SEQ:HASH]';

/**
 * `npm run audit:verify`: checks the whole chain of the configured database (DATABASE_URL, or
 * the PGlite store in UCP_DATA_DIR, which the server must not have open) and says in one line
 * whether it holds, with the head to keep as the next run's `--anchor`.
 */
export async function runAuditVerify(
  env: Readonly<Record<string, string | undefined>>,
  args: readonly string[],
  logger: Logger,
): Promise<AuditVerifyOutcome> {
  const options = parseArguments(args);
  if (typeof options === 'string') return { exitCode: 1, line: `${options} (${USAGE})` };
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return { exitCode: 1, line: error.message };
    throw error;
  }
  if (config.databaseUrl === undefined) {
    // Opening a missing store would create an empty one; say that there is nothing to check.
    const store = join(resolve(config.dataDir), 'pglite');
    const exists = await access(store).then(
      () => true,
      () => false,
    );
    if (!exists) return { exitCode: 1, line: `audit chain not verified: there is no database in ${store}` };
  }
  let db;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 2 }, logger);
  } catch (error) {
    if (error instanceof DataDirectoryInUseError) return { exitCode: 1, line: error.message };
    throw error;
  }
  try {
    const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass('audit_log') IS NOT NULL AS present");
    if (!rows[0]?.present) {
      return { exitCode: 1, line: 'audit chain not verified: this database has no audit log (it has not been migrated)' };
    }
    const result = await verifyAuditChain(db, options);
    if (!result.ok) {
      return { exitCode: 1, line: `audit chain BROKEN at row ${result.seq} (${result.problem}): ${result.message}` };
    }
    if (!result.head) return { exitCode: 0, line: 'audit chain verified: the audit log is empty' };
    const sealed = result.sealHead
      ? `${result.seals} seals checked, sealed to row ${result.sealHead.toSeq} (seal ${result.sealHead.sealNo}:${result.sealHead.hash})`
      : 'no seal yet';
    return {
      exitCode: 0,
      line:
        `audit chain verified: ${result.checked} rows checked; head ${result.head.seq}:${result.head.hash}; ${sealed}` +
        (result.unsealed > 0 ? `; ${result.unsealed} newer rows not yet sealed` : ''),
    };
  } finally {
    await db.close();
  }
}

function parseArguments(args: readonly string[]): VerifyAuditChainOptions | string {
  const options: VerifyAuditChainOptions = {};
  for (let index = 0; index < args.length; index += 1) {
    const name = args[index];
    const value = args[index + 1];
    index += 1;
    if (name === '--from' && value !== undefined && /^[1-9]\d*$/.test(value)) {
      options.fromSeq = Number(value);
    } else if (name === '--anchor' && value !== undefined && /^[1-9]\d*:[0-9a-f]{64}$/.test(value)) {
      const [seq = '', hash = ''] = value.split(':');
      options.anchor = { seq: Number(seq), hash };
    } else {
      return `unexpected argument: ${[name, value].filter((part) => part !== undefined).join(' ')}`;
    }
  }
  return options;
}
