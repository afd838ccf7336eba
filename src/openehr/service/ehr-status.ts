import type { ErrorIssue } from '../../errors/app-error.js';
import type { EhrStatusFacts, SubjectRef } from '../store/ehr-store.js';
import { isJsonObject, type JsonObject } from '../../shared/json.js';

export const DEFAULT_EHR_STATUS_ARCHETYPE = 'openEHR-EHR-EHR_STATUS.generic.v1';

/** The EHR_STATUS a new EHR gets when the client sends none. */
export function defaultEhrStatus(): JsonObject {
  return {
    _type: 'EHR_STATUS',
    archetype_node_id: DEFAULT_EHR_STATUS_ARCHETYPE,
    name: { _type: 'DV_TEXT', value: 'EHR Status' },
    subject: { _type: 'PARTY_SELF' },
    is_queryable: true,
    is_modifiable: true,
  };
}

/** An EHR_STATUS whose subject is identified by an external reference (e.g. an NHS number). */
export function ehrStatusForSubject(subject: SubjectRef): JsonObject {
  return {
    ...defaultEhrStatus(),
    subject: {
      _type: 'PARTY_SELF',
      external_ref: {
        _type: 'PARTY_REF',
        id: { _type: 'GENERIC_ID', value: subject.id, scheme: 'id' },
        namespace: subject.namespace,
        type: 'PERSON',
      },
    },
  };
}

/**
 * Checks what the repository itself relies on in an EHR_STATUS (on top of the RM structure
 * check): the subject reference it indexes and the two flags it enforces.
 */
export function readEhrStatusFacts(status: unknown): { facts: EhrStatusFacts; issues: [] } | { issues: ErrorIssue[] } {
  const issues: ErrorIssue[] = [];
  if (!isJsonObject(status)) return { issues: [{ path: '/', message: 'must be an EHR_STATUS object' }] };
  if (status['_type'] !== 'EHR_STATUS') {
    issues.push({ path: '/_type', message: `must be "EHR_STATUS" (got ${JSON.stringify(status['_type'] ?? null)})` });
  }
  if (typeof status['archetype_node_id'] !== 'string' || status['archetype_node_id'] === '') {
    issues.push({ path: '/archetype_node_id', message: 'is required' });
  }
  const name = status['name'];
  if (!isJsonObject(name) || typeof name['value'] !== 'string' || name['value'] === '') {
    issues.push({ path: '/name/value', message: 'is required' });
  }
  for (const flag of ['is_queryable', 'is_modifiable'] as const) {
    if (typeof status[flag] !== 'boolean') issues.push({ path: `/${flag}`, message: 'is required and must be true or false' });
  }
  let subject: SubjectRef | undefined;
  const party = status['subject'];
  if (!isJsonObject(party)) {
    issues.push({ path: '/subject', message: 'is required (a PARTY_SELF)' });
  } else {
    if (party['_type'] !== undefined && party['_type'] !== 'PARTY_SELF') {
      issues.push({ path: '/subject/_type', message: 'must be PARTY_SELF' });
    }
    const ref = party['external_ref'];
    if (party['_type'] === undefined && ref === undefined) {
      issues.push({ path: '/subject', message: 'must be a PARTY_SELF: give its _type or an external_ref' });
    }
    if (ref !== undefined) {
      const id = isJsonObject(ref) && isJsonObject(ref['id']) ? ref['id']['value'] : undefined;
      const namespace = isJsonObject(ref) ? ref['namespace'] : undefined;
      if (typeof id !== 'string' || id.trim() === '') {
        issues.push({ path: '/subject/external_ref/id/value', message: 'is required and may not be empty' });
      }
      if (typeof namespace !== 'string' || namespace.trim() === '') {
        issues.push({ path: '/subject/external_ref/namespace', message: 'is required and may not be empty' });
      }
      if (typeof id === 'string' && typeof namespace === 'string' && id.trim() && namespace.trim()) {
        subject = { id, namespace };
      }
    }
  }
  if (issues.length > 0) return { issues };
  return {
    facts: { subject, isQueryable: status['is_queryable'] === true, isModifiable: status['is_modifiable'] === true },
    issues: [],
  };
}
