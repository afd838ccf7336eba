/** The groups of the conformance table, in the order they are printed. */
export const GROUPS = {
  validTemplates: 'templates: valid OPT uploads',
  invalidTemplates: 'templates: invalid OPT refused',
  webTemplates: 'web templates match answer keys',
  ehrStatus: 'ehr_status: valid accepted, invalid refused',
  canonicalJson: 'compositions: canonical JSON',
  canonicalXml: 'compositions: canonical XML',
  flat: 'compositions: FLAT',
  flatRoundTrip: 'round trip: FLAT → canonical → FLAT',
  structured: 'compositions: STRUCTURED',
  canonicalRoundTrip: 'round trip: canonical → FLAT → canonical',
  exclusions: 'exclusions: each names a case',
} as const;

export type Group = (typeof GROUPS)[keyof typeof GROUPS];
