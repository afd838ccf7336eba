import { CORE_PATHWAY_ID, DEFAULT_REVIEW_MAX_MONTHS, PlanCatalogue, type PathwayDefinition, type PlanModuleDefinition } from './plan-catalogue.js';

/**
 * The core modules every plan has, on the published templates the platform carries (ReSPECT,
 * end-of-life preferences, contacts, allergies, problems, medications). The UCP templates (header,
 * About me, Support, pathway modules) join them as they are installed.
 */
export const CORE_MODULES: readonly PlanModuleDefinition[] = [
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

/** The catalogue of the core plan alone. */
export function coreCatalogue(extraCoreModules: readonly PlanModuleDefinition[] = [], pathways: readonly PathwayDefinition[] = [], headerTemplateId?: string): PlanCatalogue {
  return new PlanCatalogue({ ...CORE_PATHWAY, modules: [...extraCoreModules, ...CORE_MODULES] }, pathways, headerTemplateId);
}
