import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  type AuditAction,
  type AuditActorKind,
  type AuditEntry,
  type AuditOutcome,
} from './audit-record.js';
import type { ReadonlyJsonValue } from '../shared/json.js';

/** The columns of `audit_log`, in the order `auditEntryFromRow` reads them. */
export const AUDIT_COLUMNS = `seq, recorded_at, action, outcome, actor_id, actor_kind, actor_display_name, roles,
  ods_code, purpose_of_use, break_glass_reason, client_address, nhs_number, ehr_id, resource_type, resource_id,
  detail, prev_hash, hash`;

export interface AuditRow {
  [column: string]: unknown;
  seq: number | string | bigint;
  recorded_at: Date | string;
  action: string;
  outcome: string;
  actor_id: string;
  actor_kind: string;
  actor_display_name: string | null;
  roles: unknown;
  ods_code: string | null;
  purpose_of_use: string | null;
  break_glass_reason: string | null;
  client_address: string | null;
  nhs_number: string | null;
  ehr_id: string | null;
  resource_type: string | null;
  resource_id: string | null;
  detail: unknown;
  prev_hash: string | null;
  hash: string;
}

const ACTOR_KINDS: readonly AuditActorKind[] = ['user', 'client', 'system', 'anonymous'];

/**
 * A stored row as an entry. Values are taken as they are, never repaired: an entry that does
 * not match its hash must show it.
 */
export function auditEntryFromRow(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    recordedAt: (row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at)).toISOString(),
    action: oneOf(AUDIT_ACTIONS, row.action, 'action') satisfies AuditAction,
    outcome: oneOf(AUDIT_OUTCOMES, row.outcome, 'outcome') satisfies AuditOutcome,
    actorId: row.actor_id,
    actorKind: oneOf(ACTOR_KINDS, row.actor_kind, 'actor_kind'),
    actorDisplayName: row.actor_display_name ?? undefined,
    roles: stringArray(row.roles),
    odsCode: row.ods_code ?? undefined,
    purposeOfUse: row.purpose_of_use ?? undefined,
    breakGlassReason: row.break_glass_reason ?? undefined,
    clientAddress: row.client_address ?? undefined,
    nhsNumber: row.nhs_number ?? undefined,
    ehrId: row.ehr_id ?? undefined,
    resourceType: row.resource_type ?? undefined,
    resourceId: row.resource_id ?? undefined,
    detail: jsonObject(row.detail),
    prevHash: row.prev_hash ?? undefined,
    hash: row.hash,
  };
}

/** A row that cannot be an entry at all: something wrote it without `appendAudit`. */
export class UnreadableAuditRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableAuditRowError';
  }
}

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new UnreadableAuditRowError(`${column} holds an unknown value ${JSON.stringify(value)}`);
  return found;
}

function stringArray(value: unknown): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new UnreadableAuditRowError('roles is not an array of text');
}

function jsonObject(value: unknown): { readonly [key: string]: ReadonlyJsonValue } {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as { readonly [key: string]: ReadonlyJsonValue };
  }
  throw new UnreadableAuditRowError('detail is not a JSON object');
}
