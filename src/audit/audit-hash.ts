import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';
import type { ReadonlyJsonValue } from '../shared/json.js';

/** The `prev_hash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Names the serialisation, so that a later change to it cannot collide with this one. Format 1
 * rows are linked (they include the previous row's hash); format 2 rows stand alone and are
 * bound into order by the seals' Merkle tree heads (audit-seal.ts).
 */
const LINKED_FORMAT = 'ucp-audit/1';
const SEALED_FORMAT = 'ucp-audit/2';

/** Everything a row's hash covers: the whole row except the hash itself. */
export type AuditContent = Omit<AuditEntry, 'hash'>;

/**
 * The canonical text of a row. Every column is present (absent values as null) under a fixed
 * name, so moving text from one field to its neighbour, or a value from a field to nothing,
 * changes the text. A row written before sealing (format 1) includes the previous row's hash,
 * which made the rows a chain; a sealed row (format 2, `prevHash` undefined) includes its seq.
 */
export function auditContentText(content: AuditContent): string {
  const fields = contentFields(content);
  // canonicalJson of the object, with its keys' order and their text worked out once (below).
  let text = '{';
  for (const [index, key] of memberKeys(fields).entries()) {
    text += `${index > 0 ? ',' : ''}${keyText(key)}${canonicalJson(fields[key] ?? null)}`;
  }
  return `${text}}`;
}

/**
 * The members of a row's text in canonical order. Every row of a format has the same keys, so
 * they are sorted once per format rather than for every row hashed (each read appends one, and
 * the sealer hashes each again).
 */
const SORTED_KEYS = new Map<string, readonly string[]>();
const KEY_TEXT = new Map<string, string>();

function memberKeys(fields: { [key: string]: ReadonlyJsonValue }): readonly string[] {
  const keys = Object.keys(fields);
  const signature = keys.join('\u0000');
  let sorted = SORTED_KEYS.get(signature);
  if (!sorted) {
    sorted = [...keys].sort();
    SORTED_KEYS.set(signature, sorted);
  }
  return sorted;
}

function keyText(key: string): string {
  let text = KEY_TEXT.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`;
    KEY_TEXT.set(key, text);
  }
  return text;
}

/**
 * The canonical text of a sealed-format row (format 2) with holes where its position and time
 * go, for the database to fill in as it appends the row (audit-log.ts): the text is
 * `beforeRecordedAt + JSON string of recordedAt + beforeSeq + seq + after`.
 */
export interface AuditTextAroundPosition {
  beforeRecordedAt: string;
  beforeSeq: string;
  after: string;
}

export function auditTextAroundPosition(content: Omit<AuditContent, 'seq' | 'recordedAt' | 'prevHash'>): AuditTextAroundPosition {
  const fields = contentFields({ ...content, seq: 0, recordedAt: '', prevHash: undefined });
  // canonicalJson of an object, written out so that two members' values can be left open.
  const pieces: string[] = [];
  let text = '{';
  for (const [index, key] of memberKeys(fields).entries()) {
    text += `${index > 0 ? ',' : ''}${keyText(key)}`;
    if (key === 'recordedAt' || key === 'seq') {
      pieces.push(text);
      text = '';
    } else {
      text += canonicalJson(fields[key] ?? null);
    }
  }
  const [beforeRecordedAt, beforeSeq] = pieces;
  // 'recordedAt' sorts before 'seq': the holes come in that order.
  if (pieces.length !== 2 || beforeRecordedAt === undefined || beforeSeq === undefined) throw new Error('the audit text has no holes');
  return { beforeRecordedAt, beforeSeq, after: `${text}}` };
}

/**
 * The canonical text of a sealed-format row from its text around the holes and the position and
 * time the database gave it: exactly `auditContentText` of the whole row (a property test holds
 * them equal), without serialising the record a second time.
 */
export function auditTextAtPosition(text: AuditTextAroundPosition, seq: number, recordedAt: string): string {
  return `${text.beforeRecordedAt}${JSON.stringify(recordedAt)}${text.beforeSeq}${seq}${text.after}`;
}

/** SHA-256 (hex) of a sealed-format row's canonical text, from its text around the holes. */
export function auditHashAtPosition(text: AuditTextAroundPosition, seq: number, recordedAt: string): string {
  return createHash('sha256')
    .update(auditTextAtPosition(text, seq, recordedAt), 'utf8')
    .digest('hex');
}

function contentFields(content: AuditContent): { [key: string]: ReadonlyJsonValue } {
  const linked = content.prevHash !== undefined;
  return {
    format: linked ? LINKED_FORMAT : SEALED_FORMAT,
    seq: content.seq,
    recordedAt: content.recordedAt,
    action: content.action,
    outcome: content.outcome,
    actorId: content.actorId,
    actorKind: content.actorKind,
    actorDisplayName: content.actorDisplayName ?? null,
    roles: [...content.roles],
    odsCode: content.odsCode ?? null,
    purposeOfUse: content.purposeOfUse ?? null,
    breakGlassReason: content.breakGlassReason ?? null,
    clientAddress: content.clientAddress ?? null,
    nhsNumber: content.nhsNumber ?? null,
    ehrId: content.ehrId ?? null,
    resourceType: content.resourceType ?? null,
    resourceId: content.resourceId ?? null,
    detail: content.detail,
    ...(linked ? { prevHash: content.prevHash } : {}),
  };
}

/** SHA-256 (hex) of the row's canonical text. */
export function auditHash(content: AuditContent): string {
  return createHash('sha256').update(auditContentText(content), 'utf8').digest('hex');
}
