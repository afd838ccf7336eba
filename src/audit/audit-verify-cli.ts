/**
 * Entry point of `npm run audit:verify`: one line on stdout, exit 0 when the audit chain holds
 * and 1 when it does not (or cannot be checked).
 */
import { pino } from 'pino';
import { runAuditVerify } from './run-audit-verify.js';

const logger = pino({ level: 'warn' }, pino.destination(2));

try {
  const outcome = await runAuditVerify(process.env, process.argv.slice(2), logger);
  process.stdout.write(`${outcome.line}\n`);
  process.exitCode = outcome.exitCode;
} catch (error) {
  process.stdout.write(`audit chain not verified: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
