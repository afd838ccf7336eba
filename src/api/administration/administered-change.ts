import type { Caller } from '../../access/caller.js';
import { appendAudit, appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor, type AuditAction, type AuditDetail } from '../../audit/audit-record.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';

/** The caller of an administration route, which the policy point has authenticated. */
export function callerOf(request: { caller?: Caller | undefined }): Caller {
  if (!request.caller) throw new AppError('unauthenticated', 'Sign in, or send an access token.');
  return request.caller;
}

/** An administrator of users acts for one organisation: the one whose users they manage. */
export function actingOrganisation(caller: Caller): string {
  if (!caller.organisation)
    throw new AppError('forbidden', 'User administration is done for the organisation you act for; you act for none.');
  return caller.organisation.odsCode;
}

export interface AdministrativeChange<T> {
  /** What is changed: a user, a client, an organisation (its id may come only with the result: a new user's). */
  resource: { type: string; id: string | ((result: T) => string) };
  /** The resource id a refusal records when the id comes only with the result (default `new`). */
  refusedId?: string;
  /** What was attempted, for the record of a refusal (`disable`, `client-create` …). */
  attempted: string;
  /** Defaults to `update`. */
  action?: AuditAction;
  /** The audit record's detail, from the result (never a secret). */
  detail: (result: T) => AuditDetail;
}

/**
 * Runs one administrative change and its audit record in one transaction: both happen or
 * neither. A refusal (`forbidden`) is audited too, as `access-denied` naming the resource and
 * why, once the transaction has rolled back, so the trail shows what was attempted.
 */
export async function administer<T>(
  db: Database,
  caller: Caller,
  work: (tx: Queryable) => Promise<T>,
  change: AdministrativeChange<NoInfer<T>>,
): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx);
      await appendAudit(
        tx,
        auditRecordFor(caller, {
          action: change.action ?? 'update',
          resource: { type: change.resource.type, id: resourceId(change, result) },
          detail: change.detail(result),
        }),
      );
      return result;
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') {
      await appendAuditNow(
        db,
        auditRecordFor(caller, {
          action: 'access-denied',
          outcome: 'denied',
          resource: { type: change.resource.type, id: resourceId(change, undefined) },
          detail: { attempted: change.attempted, explanation: error.detail },
        }),
      );
    }
    throw error;
  }
}

function resourceId<T>(change: AdministrativeChange<T>, result: T | undefined): string {
  const { id } = change.resource;
  if (typeof id === 'string') return id;
  return result === undefined ? (change.refusedId ?? 'new') : id(result);
}

/**
 * Refuses an administrative change, with the reason; `administer` audits it. The sentence is the
 * decision's own, made a sentence.
 */
export function refusal(explanation: string): AppError {
  return new AppError('forbidden', `Refused: ${explanation}.`);
}
