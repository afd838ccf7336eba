import { PLAN_HEADER_TEMPLATE_ID } from '../header/plan-header-flat.js';
import type { LoadedPathways } from '../pathway/index.js';
import { DEFAULT_REVIEW_MAX_MONTHS, PlanCatalogue, type PathwayDefinition, type PlanModuleDefinition } from './plan-catalogue.js';

/**
 * The plan catalogue as the pathway definitions (templates/pathways/*.json) describe it, built
 * without reading files so the services can be made synchronously; a test keeps it equal to what
 * `loadPathways()` reads. `catalogueFromPathways` builds it from the loaded definitions instead.
 */

/**
 * What the emergency summary shows first of each pathway module (regular expressions over its
 * FLAT paths, most important first), by template.
 */
export const PATHWAY_HIGHLIGHTS: Readonly<Record<string, readonly string[]>> = {
  'UCP - Sickle cell crisis plan.v1': [
    'first-line_analgesia',
    'time_to_first_analgesia',
    'analgesics_to_avoid',
    'baseline_haemoglobin',
    'baseline_oxygen_saturation',
    'red_cell_antibodies',
    'phenotype',
    'when_to_escalate',
    'haematology_contact:\\d+/professional/(name|telephone)',
  ],
  'UCP - Frailty.v1': [
    'clinical_frailty_scale_level',
    'if_fallen_but_uninjured',
    'preferred_response',
    'usual_cognition',
    'delirium_risk/risk_assessment',
    'mobility_aids',
    'falls_alarm',
  ],
  'UCP - Learning disability and autism.v1': [
    'how_to_communicate_with_me/how_to_communicate_with_me$',
    'adjustment',
    'how_i_show_pain',
    'what_to_avoid',
    'sensitivity',
    'what_helps',
    'hospital_passport_location',
    'who_knows_me_best',
  ],
};

const module = (
  id: string,
  title: string,
  templateId: string,
  kind: PlanModuleDefinition['kind'],
  seniorDecision = false,
): PlanModuleDefinition => ({
  id,
  title,
  templateId,
  kind,
  seniorDecision,
  ...(PATHWAY_HIGHLIGHTS[templateId] ? { highlights: PATHWAY_HIGHLIGHTS[templateId] } : {}),
});

export const CORE_PATHWAY: PathwayDefinition = {
  id: 'end-of-life',
  title: 'Urgent care plan',
  reviewMaxMonths: DEFAULT_REVIEW_MAX_MONTHS,
  // A clinician may publish the core plan; a change to ReSPECT/CPR content still needs a senior.
  approval: 'clinician',
  modules: [
    module('about-me', 'About me', 'UCP - About me.v1', 'non-clinical'),
    module('support', 'Support, functional status and prognosis', 'UCP - Support.v1', 'clinical'),
    module('respect', 'ReSPECT: recommendations for emergency care and treatment', 'ReSPECT-3.v0', 'clinical', true),
    module('preferences', 'Preferences and advance decisions', 'IDCR - End of Life Patient Preferences.v0', 'clinical', true),
    module('contacts', 'Who to call', 'IDCR - Relevant contacts.v0', 'non-clinical'),
    module('allergies', 'Allergies and adverse reactions', 'Adverse Reaction List.v1', 'clinical'),
    module('problems', 'Diagnoses and problems', 'IDCR - Problem List.v1', 'clinical'),
    module('medications', 'Medicines', 'IDCR - Medication Statement List.v0', 'clinical'),
  ],
};

/**
 * Sickle cell plans are agreed by the haematology centre, so a senior approves each version;
 * frailty and learning disability/autism plans may be published by a clinician.
 */
export const PATHWAYS: readonly PathwayDefinition[] = [
  {
    id: 'frailty',
    title: 'Frailty',
    reviewMaxMonths: 12,
    approval: 'clinician',
    modules: [module('frailty', 'Frailty', 'UCP - Frailty.v1', 'clinical')],
  },
  {
    id: 'learning-disability-autism',
    title: 'Learning disability and autism',
    reviewMaxMonths: 12,
    approval: 'clinician',
    modules: [
      module('learning-disability-autism', 'Learning disability and autism', 'UCP - Learning disability and autism.v1', 'non-clinical'),
    ],
  },
  {
    id: 'sickle-cell',
    title: 'Sickle cell disease',
    reviewMaxMonths: 12,
    approval: 'senior',
    modules: [module('sickle-cell-crisis-plan', 'Sickle cell crisis plan', 'UCP - Sickle cell crisis plan.v1', 'clinical')],
  },
];

/** The plan catalogue: the core plan, its pathways and the header template. */
export function coreCatalogue(): PlanCatalogue {
  return new PlanCatalogue(CORE_PATHWAY, PATHWAYS, PLAN_HEADER_TEMPLATE_ID);
}

/** The catalogue from the loaded pathway definitions (the templates' own loader). */
export function catalogueFromPathways(loaded: LoadedPathways): PlanCatalogue {
  const convert = (pathway: LoadedPathways['core']): PathwayDefinition => ({
    id: pathway.id,
    title: pathway.title,
    reviewMaxMonths: pathway.reviewMaxMonths,
    approval: pathway.approval,
    modules: pathway.modules.map((entry) => module(entry.id, entry.title, entry.templateId, entry.kind, entry.seniorDecision)),
  });
  return new PlanCatalogue(
    convert(loaded.core),
    loaded.pathways.filter((pathway) => pathway !== loaded.core).map(convert),
    loaded.core.headerTemplateId,
  );
}
