import { appendAuditNow } from '../audit/audit-log.js';
import { auditRecordForAnonymous } from '../audit/audit-record.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

/**
 * A registered system's launch refused: recorded as a failed sign-in of the user it claimed
 * (durably, before the refusal leaves), then thrown as 403 with the reason. Both launches (the
 * contextual launch and the embedded form's) refuse through it, so a refusal reads alike in the
 * audit trail whichever it was.
 */
export async function refuseLaunch(
  db: Database,
  launch: { method: 'contextual-launch' | 'embedded-launch'; issuer: string; claimedId: string; clientAddress: string; title: string },
  reason: string,
): Promise<never> {
  await appendAuditNow(
    db,
    auditRecordForAnonymous({
      action: 'sign-in-failed',
      outcome: 'denied',
      claimedId: launch.claimedId,
      clientAddress: launch.clientAddress,
      detail: { method: launch.method, system: launch.issuer, reason },
    }),
  );
  throw new AppError('forbidden', `${launch.title} was refused: ${reason}.`);
}
