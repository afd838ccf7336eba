import { AppError } from '../../errors/app-error.js';
import type { PartyIdentified } from '../rm/common.js';
import type { CommitAudit } from '../store/version-store.js';

export type ReturnPreference = 'minimal' | 'representation' | 'identifier';

/** `Prefer: return=…`; the openEHR REST API defaults to minimal. */
export function returnPreference(header: string | undefined): ReturnPreference {
  const match = /return\s*=\s*"?(minimal|representation|identifier)"?/i.exec(header ?? '');
  return (match?.[1]?.toLowerCase() as ReturnPreference | undefined) ?? 'minimal';
}

/** The version id in an `If-Match` header (quotes, as ETags carry them, are removed). */
export function ifMatchVersion(header: string | undefined, operation: string): string {
  if (!header || header.trim() === '') {
    throw new AppError(
      'precondition-required',
      `${operation} needs an If-Match header with the version id you based the change on (the ETag you read).`,
    );
  }
  return header.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * Reads `openEHR-AUDIT_DETAILS.committer` (name="…", external_ref.id="…", …) and
 * `openEHR-AUDIT_DETAILS.description`. Until callers are authenticated, the committer is whoever
 * the client says, or an anonymous party.
 */
export function commitAudit(headers: Record<string, string | string[] | undefined>): CommitAudit {
  const committerHeader = single(headers['openehr-audit_details.committer']);
  const description = single(headers['openehr-audit_details.description']);
  const fields = parseKeyValues(committerHeader ?? '');
  const externalId = fields['external_ref.id'];
  const committer: PartyIdentified = {
    _type: 'PARTY_IDENTIFIED',
    name: fields['name'] ?? 'unauthenticated client',
    ...(externalId
      ? {
          external_ref: {
            _type: 'PARTY_REF',
            id: { _type: 'GENERIC_ID', value: externalId, scheme: fields['external_ref.scheme'] ?? 'local' },
            namespace: fields['external_ref.namespace'] ?? 'local',
            type: fields['external_ref.type'] ?? 'PERSON',
          },
        }
      : {}),
  };
  return { committer, ...(description ? { description: description.replace(/^"|"$/g, '') } : {}) };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseKeyValues(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of text.matchAll(/([\w.]+)\s*=\s*(?:"([^"]*)"|([^,]*))/g)) {
    const key = match[1];
    if (key) fields[key] = (match[2] ?? match[3] ?? '').trim();
  }
  return fields;
}
