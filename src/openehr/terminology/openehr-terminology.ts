/**
 * Groups of the openEHR Support Terminology used by the repository, with their English rubrics
 * (openEHR Terminology specification). One source for every module that reads or writes these
 * codes: the CDR's own audits and versions, the web template (labels of coded lists), FLAT (codes
 * a client may give by rubric) and validation.
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

// --- groups of clinical data ---------------------------------------------------------------------

/** One group of the terminology: code → English rubric, in the order the terminology lists them. */
export type OpenehrGroup = ReadonlyMap<string, string>;

const group = (entries: readonly (readonly [string, string])[]): OpenehrGroup => new Map(entries);

/** Group "setting" (EVENT_CONTEXT.setting). */
export const SETTING: OpenehrGroup = group([
  ['225', 'home'],
  ['227', 'emergency care'],
  ['228', 'primary medical care'],
  ['229', 'primary nursing care'],
  ['230', 'primary allied health care'],
  ['231', 'midwifery care'],
  ['232', 'secondary medical care'],
  ['233', 'secondary nursing care'],
  ['234', 'secondary allied health care'],
  ['235', 'complementary health care'],
  ['236', 'dental care'],
  ['237', 'nursing home care'],
  ['238', 'other care'],
]);

/** Group "composition category". */
export const COMPOSITION_CATEGORY: OpenehrGroup = group([
  ['431', 'persistent'],
  ['433', 'event'],
  ['451', 'episodic'],
]);

/** Group "null flavours" (ELEMENT.null_flavour). */
export const NULL_FLAVOURS: OpenehrGroup = group([
  ['253', 'unknown'],
  ['271', 'no information'],
  ['272', 'masked'],
  ['273', 'not applicable'],
]);

/** Group "instruction states": the ISM states of ISM_TRANSITION.current_state. */
export const INSTRUCTION_STATES: OpenehrGroup = group([
  ['524', 'initial'],
  ['526', 'planned'],
  ['527', 'postponed'],
  ['528', 'cancelled'],
  ['529', 'scheduled'],
  ['245', 'active'],
  ['530', 'suspended'],
  ['531', 'aborted'],
  ['532', 'completed'],
  ['533', 'expired'],
]);

/** Group "event math function" (INTERVAL_EVENT.math_function). */
export const EVENT_MATH_FUNCTION: OpenehrGroup = group([
  ['144', 'maximum'],
  ['145', 'minimum'],
  ['146', 'mean'],
  ['147', 'change'],
  ['148', 'total'],
  ['149', 'variation'],
  ['267', 'mode'],
  ['268', 'median'],
  ['521', 'decrease'],
  ['522', 'increase'],
  ['640', 'actual'],
]);

/** Group "participation mode". */
export const PARTICIPATION_MODE: OpenehrGroup = group([
  ['193', 'not specified'],
  ['216', 'face-to-face communication'],
  ['223', 'interpreted face-to-face communication'],
  ['217', 'signing (face-to-face)'],
  ['195', 'live audiovisual; videoconference; videophone'],
  ['198', 'videoconferencing'],
  ['197', 'videophone'],
  ['218', 'signing over video'],
  ['224', 'interpreted video communication'],
  ['194', 'asynchronous audiovisual; recorded video'],
  ['196', 'recorded video'],
  ['202', 'live audio-only; telephone; internet phone; teleconference'],
  ['204', 'telephone'],
  ['203', 'teleconference'],
  ['205', 'internet telephone'],
  ['222', 'interpreted audio-only'],
  ['199', 'asynchronous audio-only; dictated; voice mail'],
  ['200', 'dictated'],
  ['201', 'voice-mail'],
  ['212', 'live text-only; internet chat; SMS chat; interactive written note'],
  ['213', 'internet chat'],
  ['214', 'SMS chat'],
  ['215', 'interactive written note'],
  ['206', 'asynchronous text; email; fax; letter; handwritten note; SMS message'],
  ['211', 'handwritten note'],
  ['210', 'printed/typed letter'],
  ['207', 'email'],
  ['208', 'facsimile/telefax'],
  ['221', 'translated text'],
  ['209', 'SMS message'],
  ['219', 'physically present'],
  ['220', 'physically remote'],
]);

/** The groups a bare openEHR code is looked up in, in this order (not the CDR's own audit and version groups). */
const ALL_GROUPS: readonly OpenehrGroup[] = [
  SETTING,
  COMPOSITION_CATEGORY,
  NULL_FLAVOURS,
  INSTRUCTION_STATES,
  EVENT_MATH_FUNCTION,
  PARTICIPATION_MODE,
];

/** Rubric of an openEHR code, looking in the given group first. */
export function openehrRubric(code: string, preferred?: OpenehrGroup): string | undefined {
  return preferred?.get(code) ?? ALL_GROUPS.map((g) => g.get(code)).find((r) => r !== undefined);
}

/** Resolves a value given either as code or as rubric within one group. */
export function openehrTerm(group: OpenehrGroup, codeOrRubric: string): { code: string; rubric: string } | undefined {
  const rubric = group.get(codeOrRubric);
  if (rubric !== undefined) return { code: codeOrRubric, rubric };
  for (const [code, r] of group) if (r === codeOrRubric) return { code, rubric: r };
  return undefined;
}
