import { PLAN_HEADER_TEMPLATE_ID } from '../header/plan-header-flat.js';
import type { LoadedPathways, PathwayDefinition as StoredPathwayDefinition } from '../pathway/index.js';
import { DEFAULT_REVIEW_MAX_MONTHS, PlanCatalogue, type PathwayDefinition, type PlanModuleDefinition } from './plan-catalogue.js';

/**
 * The plan catalogue as the pathway definitions (templates/pathways/*.json) describe it, built
 * without reading files so the services can be made synchronously; a test keeps it equal to what
 * `loadPathways()` reads. `catalogueFromPathways` builds it from the loaded definitions instead.
 */

const SICKLE_CELL = 'sickle_cell_crisis_plan/sickle_cell_crisis_plan';
const FRAILTY_RESPONSE = 'frailty/frailty_response_plan';
const LD = 'learning_disability_and_autism';

/**
 * What the emergency summary shows first of each pathway module: the nodes (declared FLAT paths,
 * `:0` for any instance), most important first, by template. A test checks each against the
 * committed templates.
 */
export const PATHWAY_HIGHLIGHTS: Readonly<Record<string, readonly string[]>> = {
  'UCP - Sickle cell crisis plan.v1': [
    `${SICKLE_CELL}/preferred_first-line_analgesia:0`,
    `${SICKLE_CELL}/time_to_first_analgesia`,
    `${SICKLE_CELL}/analgesics_to_avoid:0`,
    'sickle_cell_crisis_plan/sickle_cell_baseline/baseline_haemoglobin',
    'sickle_cell_crisis_plan/sickle_cell_baseline/baseline_oxygen_saturation',
    `${SICKLE_CELL}/red_cell_antibodies:0`,
    `${SICKLE_CELL}/extended_phenotype-matched_blood_needed`,
    `${SICKLE_CELL}/when_to_escalate`,
    'sickle_cell_crisis_plan/haematology_centre/care_team/haematology_contact:0/professional/name',
    'sickle_cell_crisis_plan/haematology_centre/care_team/haematology_contact:0/professional/telephone:0/number',
  ],
  'UCP - Frailty.v1': [
    'frailty/clinical_frailty_scale/any_event:0/clinical_frailty_scale_level',
    `${FRAILTY_RESPONSE}/if_fallen_but_uninjured`,
    `${FRAILTY_RESPONSE}/preferred_response`,
    `${FRAILTY_RESPONSE}/usual_cognition`,
    `${FRAILTY_RESPONSE}/usual_cognition_description`,
    'frailty/delirium_risk/risk_assessment',
    'frailty/mobility/mobility_aids',
    'frailty/falls_history/falls_alarm',
  ],
  'UCP - Learning disability and autism.v1': [
    `${LD}/how_to_communicate_with_me/how_to_communicate_with_me`,
    `${LD}/reasonable_adjustments/adjustment:0`,
    `${LD}/reasonable_adjustments/adjustment_details`,
    `${LD}/distress/how_i_show_pain`,
    `${LD}/distress/what_to_avoid`,
    `${LD}/sensory_needs/sensitivity:0`,
    `${LD}/sensory_needs/what_helps`,
    `${LD}/distress/behaviour_of_distress:0/what_helps`,
    `${LD}/reasonable_adjustments/hospital_passport_location`,
    `${LD}/about_me/who_knows_me_best:0`,
  ],
};

const module = (
  id: string,
  title: string,
  templateId: string,
  kind: PlanModuleDefinition['kind'],
  seniorDecision = false,
  neededToPublish = false,
): PlanModuleDefinition => ({
  id,
  title,
  templateId,
  kind,
  seniorDecision,
  ...(neededToPublish ? { neededToPublish } : {}),
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
    module('preferences', 'Preferences and advance decisions', 'IDCR - End of Life Patient Preferences.v0', 'clinical'),
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
    modules: [module('frailty', 'Frailty', 'UCP - Frailty.v1', 'clinical', false, true)],
  },
  {
    id: 'learning-disability-autism',
    title: 'Learning disability and autism',
    reviewMaxMonths: 12,
    approval: 'clinician',
    modules: [
      module(
        'learning-disability-autism',
        'Learning disability and autism',
        'UCP - Learning disability and autism.v1',
        'non-clinical',
        false,
        true,
      ),
    ],
  },
  {
    id: 'sickle-cell',
    title: 'Sickle cell disease',
    reviewMaxMonths: 12,
    approval: 'senior',
    modules: [module('sickle-cell-crisis-plan', 'Sickle cell crisis plan', 'UCP - Sickle cell crisis plan.v1', 'clinical', false, true)],
  },
];

/** The plan catalogue: the core plan, its pathways and the header template. */
export function coreCatalogue(): PlanCatalogue {
  return new PlanCatalogue(CORE_PATHWAY, PATHWAYS, PLAN_HEADER_TEMPLATE_ID);
}

/** A pathway definition (templates/pathways, or a version in the database) as the catalogue holds it. */
export function catalogueEntry(pathway: StoredPathwayDefinition): PathwayDefinition {
  return {
    id: pathway.id,
    title: pathway.title,
    reviewMaxMonths: pathway.reviewMaxMonths,
    approval: pathway.approval,
    ...(pathway.recordType ? { recordType: pathway.recordType } : {}),
    modules: pathway.modules.map((entry) => ({
      ...module(entry.id, entry.title, entry.templateId, entry.kind, entry.seniorDecision, entry.neededToPublish),
      ...(entry.form ? { form: entry.form } : {}),
      ...(entry.rules ? { rules: entry.rules } : {}),
      ...(entry.prefill ? { prefill: entry.prefill } : {}),
    })),
  };
}

/** The catalogue from the loaded pathway definitions (the templates' own loader). */
export function catalogueFromPathways(loaded: LoadedPathways): PlanCatalogue {
  return new PlanCatalogue(
    catalogueEntry(loaded.core),
    loaded.pathways.filter((pathway) => pathway !== loaded.core).map(catalogueEntry),
    loaded.core.headerTemplateId,
  );
}
