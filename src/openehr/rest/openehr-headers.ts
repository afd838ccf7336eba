import { AppError } from '../../errors/app-error.js';
import type { FastifyRequest } from 'fastify';
import type { PartyIdentified } from '../rm/common.js';
import type { VersionOptions } from '../service/composition-service.js';
import type { Committer } from '../../repository/person-records.js';
import { AUDIT_CHANGE_TYPE_BY_CODE, VERSION_LIFECYCLE_STATE_BY_CODE } from '../terminology/openehr-terminology.js';

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
 * The audit details of a commit. A signed-in person is always the committer; a machine client
 * (an integration committing on someone's behalf) may name the committer in
 * `openEHR-AUDIT_DETAILS.committer` (name="…", external_ref.id="…", …), else it is the client.
 * `openEHR-AUDIT_DETAILS.description` gives the description.
 */
export function commitAudit(request: FastifyRequest): Committer {
  const { headers, caller } = request;
  const committerHeader = single(headers['openehr-audit_details.committer']);
  const description = single(headers['openehr-audit_details.description']);
  const fields = parseKeyValues(committerHeader ?? '');
  const named = caller?.kind !== 'user' && fields['name'] !== undefined;
  const name = named ? fields['name'] : (caller?.displayName ?? 'unknown caller');
  const externalId = named ? fields['external_ref.id'] : caller?.id;
  const committer: PartyIdentified = {
    _type: 'PARTY_IDENTIFIED',
    name,
    ...(externalId
      ? {
          external_ref: {
            _type: 'PARTY_REF',
            id: { _type: 'GENERIC_ID', value: externalId, scheme: named ? (fields['external_ref.scheme'] ?? 'local') : 'ucp' },
            namespace: named ? (fields['external_ref.namespace'] ?? 'local') : caller?.kind === 'user' ? 'ucp-users' : 'ucp-clients',
            type: named ? (fields['external_ref.type'] ?? 'PERSON') : caller?.kind === 'user' ? 'PERSON' : 'SOFTWARE',
          },
        }
      : {}),
  };
  return {
    committer,
    ...(description ? { description: description.replace(/^"|"$/g, '') } : {}),
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `key=value, key="quoted, value"` pairs, in one pass. The regular expression this replaces
 * backtracked quadratically on a long run of word characters without `=`: a 16 KB header took
 * 1.7 s of the event loop per request (found by the header property test).
 */
function trailingName(segment: string): string | undefined {
  let start = segment.length;
  while (start > 0 && /[\w.]/.test(segment[start - 1] ?? '')) start--;
  return start < segment.length ? segment.slice(start) : undefined;
}

function parseKeyValues(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let index = 0;
  while (index < text.length) {
    const equals = text.indexOf('=', index);
    if (equals < 0) break;
    const key = trailingName(text.slice(index, equals).trimEnd());
    let valueStart = equals + 1;
    while (text[valueStart] === ' ' || text[valueStart] === '\t') valueStart++;
    let value: string;
    if (text[valueStart] === '"') {
      const close = text.indexOf('"', valueStart + 1);
      value = close < 0 ? text.slice(valueStart + 1) : text.slice(valueStart + 1, close);
      index = close < 0 ? text.length : close + 1;
    } else {
      const comma = text.indexOf(',', valueStart);
      value = (comma < 0 ? text.slice(valueStart) : text.slice(valueStart, comma)).trim();
      index = comma < 0 ? text.length : comma;
    }
    if (key) fields[key] = value.trim();
    const nextComma = text.indexOf(',', index);
    index = nextComma < 0 ? text.length : nextComma + 1;
  }
  return fields;
}

/** The change types a client may choose when it commits (deletion has its own endpoint). */
const CLIENT_CHANGE_TYPES: ReadonlySet<string> = new Set(['creation', 'amendment', 'modification', 'synthesis']);

/**
 * Reads `openEHR-VERSION.lifecycle_state=code_string="553"` (incomplete: a draft) and
 * `openEHR-AUDIT_DETAILS.change_type=code_string="250"` (amendment). Unknown codes are refused
 * rather than ignored, so a client never believes it stored a draft when it did not.
 */
export function versionHeaders(headers: Record<string, string | string[] | undefined>): VersionOptions {
  const result: VersionOptions = {};
  const lifecycle = single(headers['openehr-version.lifecycle_state']);
  if (lifecycle) {
    const code = parseKeyValues(lifecycle)['code_string'] ?? lifecycle.replace(/"/g, '').trim();
    const state = VERSION_LIFECYCLE_STATE_BY_CODE.get(code);
    if (state !== 'complete' && state !== 'incomplete')
      throw new AppError(
        'bad-request',
        `openEHR-VERSION.lifecycle_state must be code_string="532" (complete) or "553" (incomplete); got ${lifecycle}.`,
      );
    result.lifecycleState = state;
  }
  const changeType = single(headers['openehr-audit_details.change_type']);
  if (changeType) {
    const code = parseKeyValues(changeType)['code_string'] ?? changeType.replace(/"/g, '').trim();
    const type = AUDIT_CHANGE_TYPE_BY_CODE.get(code);
    if (!type || !CLIENT_CHANGE_TYPES.has(type))
      throw new AppError(
        'bad-request',
        `openEHR-AUDIT_DETAILS.change_type must be an openEHR audit change type code (249, 250, 251, 252); got ${changeType}.`,
      );
    result.changeType = type;
  }
  return result;
}
