/**
 * English rubrics of the openEHR terminology codes a template can constrain (openEHR Terminology
 * groups: composition category, setting, instruction states, null flavours, event math function).
 * Only rubrics are needed here: they label coded lists in the web template.
 */
const RUBRICS: Readonly<Record<string, string>> = {
  // composition category
  '431': 'persistent',
  '433': 'event',
  '451': 'episodic',
  // setting
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
  // instruction states
  '524': 'initial',
  '526': 'planned',
  '527': 'postponed',
  '528': 'cancelled',
  '529': 'scheduled',
  '245': 'active',
  '530': 'suspended',
  '531': 'aborted',
  '532': 'completed',
  // null flavours
  '253': 'unknown',
  '271': 'no information',
  '272': 'masked',
  '273': 'not applicable',
  // event math function
  '144': 'maximum',
  '145': 'minimum',
  '146': 'mean',
  '147': 'change',
  '148': 'total',
  '149': 'variation',
  '267': 'mode',
  '268': 'median',
  '521': 'decrease',
  '522': 'increase',
  '640': 'actual',
};

/** The math functions an interval event may use, in the order the terminology lists them. */
export const EVENT_MATH_FUNCTIONS: readonly string[] = ['144', '145', '146', '147', '148', '149', '267', '268', '521', '522', '640'];

/** Composition categories, for a category the template leaves unconstrained. */
export const COMPOSITION_CATEGORIES: readonly string[] = ['431', '433', '451'];

export function openehrRubric(code: string): string | undefined {
  return RUBRICS[code];
}
