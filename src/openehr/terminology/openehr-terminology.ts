/**
 * Groups of the openEHR Support Terminology used by the repository itself, with their English
 * rubrics (openEHR Terminology specification). One source for every module that reads or writes
 * these codes.
 */

export type AuditChangeType = 'creation' | 'amendment' | 'modification' | 'synthesis' | 'unknown' | 'deleted' | 'attestation';

/** Group "audit change type". */
export const AUDIT_CHANGE_TYPE_CODES: Readonly<Record<AuditChangeType, string>> = {
  creation: '249',
  amendment: '250',
  modification: '251',
  synthesis: '252',
  unknown: '253',
  deleted: '523',
  attestation: '666',
};

export type VersionLifecycleState = 'complete' | 'incomplete' | 'deleted';

/** Group "version lifecycle state". */
export const VERSION_LIFECYCLE_STATE_CODES: Readonly<Record<VersionLifecycleState, string>> = {
  complete: '532',
  incomplete: '553',
  deleted: '523',
};

function inverse<K extends string>(codes: Readonly<Record<K, string>>): ReadonlyMap<string, K> {
  return new Map((Object.entries(codes) as [K, string][]).map(([rubric, code]) => [code, rubric]));
}

export const AUDIT_CHANGE_TYPE_BY_CODE = inverse(AUDIT_CHANGE_TYPE_CODES);
export const VERSION_LIFECYCLE_STATE_BY_CODE = inverse(VERSION_LIFECYCLE_STATE_CODES);

/** A DV_CODED_TEXT from the openEHR terminology, in canonical JSON. */
export function openehrCodedText(rubric: string, code: string) {
  return {
    _type: 'DV_CODED_TEXT',
    value: rubric,
    defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: code },
  };
}
