import type { AuditEntry, AuditRecord } from './audit-record.js';
import type { ReadonlyJsonValue } from '../shared/json.js';

/** A record in exactly the form the database will give back, ready to be hashed. */
export type StorableAuditRecord = Omit<AuditEntry, 'seq' | 'recordedAt' | 'prevHash' | 'hash'>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The hash is computed before the row is written and checked against what is read back, so the
 * two must be identical. PostgreSQL cannot store U+0000 in text or jsonb, and a lone surrogate
 * does not survive UTF-8; both become U+FFFD here rather than failing the write (which would
 * refuse the access) or breaking the chain. `detail` goes through JSON, as jsonb would take it.
 */
export function storableAuditRecord(record: AuditRecord): StorableAuditRecord {
  const text = (value: string | undefined): string | undefined => (value === undefined ? undefined : cleanString(value));
  return {
    action: record.action,
    outcome: record.outcome,
    actorId: cleanString(record.actorId),
    actorKind: record.actorKind,
    actorDisplayName: text(record.actorDisplayName),
    roles: record.roles.map(cleanString),
    odsCode: text(record.odsCode),
    purposeOfUse: text(record.purposeOfUse),
    breakGlassReason: text(record.breakGlassReason),
    clientAddress: text(record.clientAddress),
    nhsNumber: text(record.nhsNumber),
    ehrId: text(record.ehrId),
    resourceType: text(record.resourceType),
    resourceId: text(record.resourceId),
    detail: cleanObject(record.detail),
  };
}

function cleanString(value: string): string {
  return value.replaceAll('\0', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

/** JSON's own rules: undefined members are dropped, non-finite numbers become null. */
function cleanObject(value: { readonly [key: string]: unknown }): { [key: string]: ReadonlyJsonValue } {
  const result: { [key: string]: ReadonlyJsonValue } = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    result[cleanString(key)] = cleanValue(member);
  }
  return result;
}

function cleanValue(value: unknown): ReadonlyJsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cleanString(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(cleanValue);
  if (typeof value === 'object' && isPlainObject(value)) {
    return cleanObject(value as { readonly [key: string]: unknown });
  }
  throw new TypeError(`audit detail may hold only JSON values, not ${Object.prototype.toString.call(value)}`);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
