import type { Caller } from '../access/caller.js';
import type { ReadonlyJsonValue } from '../shared/json.js';

export const AUDIT_ACTIONS = [
  'read',
  'create',
  'update',
  'delete',
  'query',
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'access-denied',
  'break-glass',
  'relationship-declared',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `denied`: the access control said no. `failure`: the system could not do what was asked. */
export const AUDIT_OUTCOMES = ['success', 'denied', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** `anonymous`: nobody was identified, e.g. a failed sign-in. */
export type AuditActorKind = Caller['kind'] | 'anonymous';

/** Small, structured extra facts (a status code, a query's name); never a clinical document. */
export type AuditDetail = { readonly [key: string]: ReadonlyJsonValue | undefined };

/** What is recorded about one event; `appendAudit` adds the sequence number, time and hashes. */
export interface AuditRecord {
  action: AuditAction;
  outcome: AuditOutcome;
  actorId: string;
  actorKind: AuditActorKind;
  actorDisplayName: string | undefined;
  roles: readonly string[];
  /** ODS code of the organisation the actor acted for. */
  odsCode: string | undefined;
  purposeOfUse: string | undefined;
  breakGlassReason: string | undefined;
  clientAddress: string | undefined;
  /** The person whose record was touched. */
  nhsNumber: string | undefined;
  ehrId: string | undefined;
  resourceType: string | undefined;
  resourceId: string | undefined;
  detail: AuditDetail;
}

/** One row of the log as stored. */
export interface AuditEntry extends Omit<AuditRecord, 'detail'> {
  seq: number;
  /** ISO 8601 UTC with milliseconds, as the hash covers it. */
  recordedAt: string;
  detail: { readonly [key: string]: ReadonlyJsonValue };
  /** The previous row's hash for rows of the old linked format; undefined for sealed rows (audit-seal.ts). */
  prevHash: string | undefined;
  /** SHA-256 of the row's canonical content (audit-hash.ts). */
  hash: string;
}

/** What the caller did to whom; the parts of a record a `Caller` does not say. */
export interface AuditedEvent {
  action: AuditAction;
  /** Defaults to `success`. */
  outcome?: AuditOutcome;
  nhsNumber?: string;
  ehrId?: string;
  resource?: { type: string; id: string };
  detail?: AuditDetail;
}

/** The record of something an identified caller did (or tried to do). */
export function auditRecordFor(caller: Caller, event: AuditedEvent): AuditRecord {
  const detail: AuditDetail = caller.scopes === undefined ? { ...event.detail } : { scopes: [...caller.scopes], ...event.detail };
  return {
    action: event.action,
    outcome: event.outcome ?? 'success',
    actorId: caller.id,
    actorKind: caller.kind,
    actorDisplayName: caller.displayName,
    roles: [...caller.roles],
    odsCode: caller.organisation?.odsCode,
    purposeOfUse: caller.purposeOfUse,
    breakGlassReason: caller.breakGlassReason,
    clientAddress: caller.clientAddress,
    nhsNumber: event.nhsNumber,
    ehrId: event.ehrId,
    resourceType: event.resource?.type,
    resourceId: event.resource?.id,
    detail,
  };
}

export interface AnonymousEvent {
  action: AuditAction;
  outcome: AuditOutcome;
  /** The user name that was tried, when there was one. */
  claimedId?: string;
  clientAddress?: string;
  resource?: { type: string; id: string };
  detail?: AuditDetail;
}

/** The record of an event without an identified caller, such as a failed sign-in. */
export function auditRecordForAnonymous(event: AnonymousEvent): AuditRecord {
  return {
    action: event.action,
    outcome: event.outcome,
    actorId: event.claimedId ?? 'anonymous',
    actorKind: 'anonymous',
    actorDisplayName: undefined,
    roles: [],
    odsCode: undefined,
    purposeOfUse: undefined,
    breakGlassReason: undefined,
    clientAddress: event.clientAddress,
    nhsNumber: undefined,
    ehrId: undefined,
    resourceType: event.resource?.type,
    resourceId: event.resource?.id,
    detail: { ...event.detail },
  };
}
