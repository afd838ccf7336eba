/**
 * The few groups of the openEHR terminology that FLAT lets a client give by code or by rubric
 * alone (`ctx/setting`, `|mode`, `ctx/action_ism_transition_current_state`, a bare `|code`).
 * Codes and rubrics are from the openEHR Support Terminology specification.
 */

type Group = ReadonlyMap<string, string>;

const group = (entries: Record<string, string>): Group => new Map(Object.entries(entries));

export const SETTING: Group = group({
  '225': 'home',
  '227': 'emergency care',
  '228': 'primary medical care',
  '229': 'primary nursing care',
  '230': 'primary allied health care',
  '231': 'midwifery care',
  '232': 'secondary medical care',
  '233': 'secondary nursing care',
  '234': 'secondary allied health care',
  '235': 'complementary health care',
  '236': 'dental care',
  '237': 'nursing home care',
  '238': 'other care',
});

export const COMPOSITION_CATEGORY: Group = group({ '431': 'persistent', '433': 'event', '451': 'episodic' });

export const NULL_FLAVOURS: Group = group({
  '253': 'unknown',
  '271': 'no information',
  '272': 'masked',
  '273': 'not applicable',
});

export const INSTRUCTION_STATES: Group = group({
  '524': 'initial',
  '526': 'planned',
  '527': 'postponed',
  '528': 'cancelled',
  '529': 'scheduled',
  '245': 'active',
  '530': 'suspended',
  '531': 'aborted',
  '532': 'completed',
  '533': 'expired',
});

export const EVENT_MATH_FUNCTION: Group = group({
  '144': 'maximum',
  '145': 'minimum',
  '146': 'mean',
  '147': 'change',
  '148': 'total',
  '149': 'variation',
  '521': 'mode',
  '522': 'median',
});

export const PARTICIPATION_MODE: Group = group({
  '193': 'not specified',
  '216': 'face-to-face communication',
  '223': 'interpreted face-to-face communication',
  '217': 'signing (face-to-face)',
  '195': 'live audiovisual; videoconference; videophone',
  '198': 'videoconferencing',
  '197': 'videophone',
  '218': 'signing over video',
  '224': 'interpreted video communication',
  '194': 'asynchronous audiovisual; recorded video',
  '196': 'recorded video',
  '202': 'live audio-only; telephone; internet phone; teleconference',
  '204': 'telephone',
  '203': 'teleconference',
  '205': 'internet telephone',
  '222': 'interpreted audio-only',
  '199': 'asynchronous audio-only; dictated; voice mail',
  '200': 'dictated',
  '201': 'voice-mail',
  '212': 'live text-only; internet chat; SMS chat; interactive written note',
  '213': 'internet chat',
  '214': 'SMS chat',
  '215': 'interactive written note',
  '206': 'asynchronous text; email; fax; letter; handwritten note; SMS message',
  '211': 'handwritten note',
  '210': 'printed/typed letter',
  '207': 'email',
  '208': 'facsimile/telefax',
  '221': 'translated text',
  '209': 'SMS message',
  '219': 'physically present',
  '220': 'physically remote',
});

const ALL_GROUPS: readonly Group[] = [
  SETTING,
  COMPOSITION_CATEGORY,
  NULL_FLAVOURS,
  INSTRUCTION_STATES,
  EVENT_MATH_FUNCTION,
  PARTICIPATION_MODE,
];

/** Rubric of an openEHR code, looking in the given group first. */
export function openehrRubric(code: string, preferred?: Group): string | undefined {
  return preferred?.get(code) ?? ALL_GROUPS.map((g) => g.get(code)).find((r) => r !== undefined);
}

/** Resolves a value given either as code or as rubric within one group. */
export function openehrTerm(group: Group, codeOrRubric: string): { code: string; rubric: string } | undefined {
  const rubric = group.get(codeOrRubric);
  if (rubric !== undefined) return { code: codeOrRubric, rubric };
  for (const [code, r] of group) if (r === codeOrRubric) return { code, rubric: r };
  return undefined;
}
