import { PLAN_HEADER_TEMPLATE_ID } from '../header/plan-header-flat.js';
import { CORE_PATHWAY_ID, DEFAULT_REVIEW_MAX_MONTHS, PlanCatalogue, type PathwayDefinition, type PlanModuleDefinition } from './plan-catalogue.js';

/**
 * The core modules every plan has, on the published templates the platform carries (ReSPECT,
 * end-of-life preferences, contacts, allergies, problems, medications). The UCP templates (header,
 * About me, Support, pathway modules) join them as they are installed.
 */
export const CORE_MODULES: readonly PlanModuleDefinition[] = [
  { id: 'about-me', title: 'About me: what matters to me', templateId: 'UCP - About me.v1', kind: 'non-clinical', seniorDecision: false },
  { id: 'support', title: 'Support, care team and medicines at home', templateId: 'UCP - Support.v1', kind: 'non-clinical', seniorDecision: false },
  { id: 'respect', title: 'ReSPECT: recommendations for emergency care and treatment', templateId: 'ReSPECT-3.v0', kind: 'clinical', seniorDecision: true },
  { id: 'preferences', title: 'Preferences and advance decisions', templateId: 'IDCR - End of Life Patient Preferences.v0', kind: 'clinical', seniorDecision: false },
  { id: 'contacts', title: 'Who to call', templateId: 'IDCR - Relevant contacts.v0', kind: 'non-clinical', seniorDecision: false },
  { id: 'allergies', title: 'Allergies and adverse reactions', templateId: 'Adverse Reaction List.v1', kind: 'clinical', seniorDecision: false },
  { id: 'problems', title: 'Diagnoses and problems', templateId: 'IDCR - Problem List.v1', kind: 'clinical', seniorDecision: false },
  { id: 'medications', title: 'Medicines', templateId: 'IDCR - Medication Statement List.v0', kind: 'clinical', seniorDecision: false },
];

export const CORE_PATHWAY: PathwayDefinition = {
  id: CORE_PATHWAY_ID,
  title: 'Urgent care plan',
  modules: CORE_MODULES,
  reviewMaxMonths: DEFAULT_REVIEW_MAX_MONTHS,
  // A clinician may publish the core plan; a change to ReSPECT/CPR content still needs a senior.
  approval: 'clinician',
};

/**
 * Pathway plans. Sickle cell plans are agreed by the haematology centre, so a senior approves
 * each version; frailty and learning disability/autism plans may be published by a clinician.
 */
export const PATHWAYS: readonly PathwayDefinition[] = [
  {
    id: 'sickle-cell',
    title: 'Sickle cell crisis plan',
    reviewMaxMonths: DEFAULT_REVIEW_MAX_MONTHS,
    approval: 'senior',
    modules: [
      {
        id: 'sickle-cell',
        title: 'Sickle cell crisis plan',
        templateId: 'UCP - Sickle cell crisis plan.v1',
        kind: 'clinical',
        seniorDecision: false,
        highlights: ['first-line_analgesia', 'time_to_first_analgesia', 'analgesics_to_avoid', 'baseline_haemoglobin', 'baseline_oxygen_saturation', 'red_cell_antibodies', 'phenotype', 'when_to_escalate', 'haematology_contact:\\d+/professional/(name|telephone)'],
      },
    ],
  },
  {
    id: 'frailty',
    title: 'Frailty',
    reviewMaxMonths: DEFAULT_REVIEW_MAX_MONTHS,
    approval: 'clinician',
    modules: [
      {
        id: 'frailty',
        title: 'Frailty',
        templateId: 'UCP - Frailty.v1',
        kind: 'clinical',
        seniorDecision: false,
        highlights: ['clinical_frailty_scale_level', 'if_fallen_but_uninjured', 'preferred_response', 'usual_cognition', 'delirium_risk/risk_assessment', 'mobility_aids', 'falls_alarm'],
      },
    ],
  },
  {
    id: 'learning-disability-and-autism',
    title: 'Learning disability and autism',
    reviewMaxMonths: DEFAULT_REVIEW_MAX_MONTHS,
    approval: 'clinician',
    modules: [
      {
        id: 'learning-disability-and-autism',
        title: 'Learning disability and autism',
        templateId: 'UCP - Learning disability and autism.v1',
        kind: 'clinical',
        seniorDecision: false,
        highlights: ['how_to_communicate_with_me/how_to_communicate_with_me$', 'adjustment', 'how_i_show_pain', 'what_to_avoid', 'sensitivity', 'what_helps', 'hospital_passport_location', 'who_knows_me_best'],
      },
    ],
  },
];

/** The plan catalogue: the core plan, its pathways and the header template. */
export function coreCatalogue(extraCoreModules: readonly PlanModuleDefinition[] = [], pathways: readonly PathwayDefinition[] = PATHWAYS, headerTemplateId: string | undefined = PLAN_HEADER_TEMPLATE_ID): PlanCatalogue {
  return new PlanCatalogue({ ...CORE_PATHWAY, modules: [...extraCoreModules, ...CORE_MODULES] }, pathways, headerTemplateId);
}
