/**
 * Where the emergency summary's facts live: the FLAT path of each, by template. A repeating node
 * on the way has `:0` (the first instance; read every index). The test beside this file keeps the
 * paths true to the committed templates, so a template change that moves one fails the build.
 */
export interface SummaryPath {
  readonly templateId: string;
  readonly path: string;
}

export const EMERGENCY_SUMMARY_PATHS = {
  planStatus: { templateId: 'UCP - Plan.v1', path: 'urgent_care_plan/plan_status/status' },
  reviewDate: { templateId: 'UCP - Plan.v1', path: 'urgent_care_plan/plan_status/planned_review_date' },
  approver: { templateId: 'UCP - Plan.v1', path: 'urgent_care_plan/plan_status/approver/name' },
  consentStatus: { templateId: 'UCP - Plan.v1', path: 'urgent_care_plan/consent_to_share/consent_status' },
  dateOfDeath: { templateId: 'UCP - Plan.v1', path: 'urgent_care_plan/death/date_of_death' },
  cprRecommendation: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision',
  },
  cprDecisionDate: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/date_of_cpr_decision',
  },
  focusOfCare: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_focus',
  },
  ceilingOfTreatment: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_guidance_on_interventions',
  },
  whatIMostValue: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a3._what_matters_to_me/what_matters_to_me/what_i_most_value',
  },
  whatIMostFear: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a3._what_matters_to_me/what_matters_to_me/what_i_most_fear_wish_to_avoid',
  },
  legalProxyType: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a2._shared_understanding/legal_welfare_proxies/legal_welfare_proxy_in_place:0/type',
  },
  legalProxyStatus: {
    templateId: 'ReSPECT-3.v0',
    path: 'respect-3/respect_headings/a2._shared_understanding/legal_welfare_proxies/legal_welfare_proxy_in_place:0/status',
  },
  adrtStatus: {
    templateId: 'IDCR - End of Life Patient Preferences.v0',
    path: 'end_of_life_patient_preferences/legal_information:0/advance_decision_to_refuse_treatment/decision_status',
  },
  adrtComment: {
    templateId: 'IDCR - End of Life Patient Preferences.v0',
    path: 'end_of_life_patient_preferences/legal_information:0/advance_decision_to_refuse_treatment/comment',
  },
  preferredPlaceOfDeath: {
    templateId: 'IDCR - End of Life Patient Preferences.v0',
    path: 'end_of_life_patient_preferences/legal_information:0/preferred_priorities_of_care:0/preferred_place_of_death:0',
  },
  preferredPlaceOfCare: {
    templateId: 'IDCR - End of Life Patient Preferences.v0',
    path: 'end_of_life_patient_preferences/legal_information:0/preferred_priorities_of_care:0/preferred_place_of_care:0',
  },
  whatMattersDayToDay: { templateId: 'UCP - About me.v1', path: 'about_me/what_matters_to_me/what_matters_to_me_day_to_day' },
  inMyOwnWords: { templateId: 'UCP - About me.v1', path: 'about_me/what_matters_to_me/in_my_own_words' },
  advanceStatement: { templateId: 'UCP - About me.v1', path: 'about_me/advance_statement/what_my_advance_statement_says' },
  homeAccess: { templateId: 'UCP - About me.v1', path: 'about_me/access_to_the_home/access_instructions' },
  keySafeLocation: { templateId: 'UCP - About me.v1', path: 'about_me/access_to_the_home/key_safe_location' },
  keySafeCode: { templateId: 'UCP - About me.v1', path: 'about_me/access_to_the_home/key_safe_code' },
  homeHazards: { templateId: 'UCP - About me.v1', path: 'about_me/access_to_the_home/hazards_at_the_home' },
  contactName: {
    templateId: 'IDCR - Relevant contacts.v0',
    path: 'relevant_contacts_list/relevant_contacts/relevant_contact:0/individual_person/person_name/unstructured_name',
  },
  contactTelephone: {
    templateId: 'IDCR - Relevant contacts.v0',
    path: 'relevant_contacts_list/relevant_contacts/relevant_contact:0/individual_person/contact_details:0/comms_description',
  },
  contactRelationship: {
    templateId: 'IDCR - Relevant contacts.v0',
    path: 'relevant_contacts_list/relevant_contacts/relevant_contact:0/relationship_role',
  },
  contactIsNextOfKin: {
    templateId: 'IDCR - Relevant contacts.v0',
    path: 'relevant_contacts_list/relevant_contacts/relevant_contact:0/is_next_of_kin',
  },
  anticipatoryMedicinesStatus: { templateId: 'UCP - Support.v1', path: 'support/anticipatory_medicines/anticipatory_medicines_status:0' },
  anticipatoryMedicines: { templateId: 'UCP - Support.v1', path: 'support/anticipatory_medicines/medicines' },
  anticipatoryMedicinesLocation: { templateId: 'UCP - Support.v1', path: 'support/anticipatory_medicines/location' },
  prognosis: { templateId: 'UCP - Support.v1', path: 'support/prognosis/likely_prognosis' },
  diagnosis: {
    templateId: 'IDCR - Problem List.v1',
    path: 'problem_list/problems_and_issues:0/problem_diagnosis:0/problem_diagnosis_name',
  },
  allergySubstance: {
    templateId: 'Adverse Reaction List.v1',
    path: 'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/causative_agent',
  },
  allergyReaction: {
    templateId: 'Adverse Reaction List.v1',
    path: 'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/reaction_event:0/manifestation:0',
  },
  allergyCriticality: {
    templateId: 'Adverse Reaction List.v1',
    path: 'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/criticality',
  },
  noKnownAllergies: {
    templateId: 'Adverse Reaction List.v1',
    path: 'adverse_reaction_list/allergies_and_adverse_reactions/empty_list_info/exclusion_-_global/global_exclusion_of_adverse_reactions',
  },
} as const satisfies Record<string, SummaryPath>;

const RESPECT = 'ReSPECT-3.v0';
const PREFERENCES = 'IDCR - End of Life Patient Preferences.v0';
const ABOUT_ME = 'UCP - About me.v1';
const CONTACTS = 'IDCR - Relevant contacts.v0';
const ALLERGIES = 'Adverse Reaction List.v1';
const R4 = 'respect-3/respect_headings/a4._clinical_recommendations';
const LEGAL = 'end_of_life_patient_preferences/legal_information:0';

/**
 * Where each fact of the emergency summary is recorded: the nodes (FLAT paths, `:0` for any
 * instance of a repeating node), by template. A fact drawn from a node covers everything recorded
 * under it. The test beside this file checks each against the committed templates.
 */
export const EMERGENCY_SUMMARY_FACTS = {
  /** ReSPECT first: when both say one, ReSPECT's recommendation is the one shown. */
  cprDecision: [
    { templateId: RESPECT, path: `${R4}/cpr_decision/cpr_decision` },
    { templateId: PREFERENCES, path: `${LEGAL}/cpr_decision/cpr_decision` },
  ],
  cprDecisionDate: [
    { templateId: RESPECT, path: `${R4}/cpr_decision/date_of_cpr_decision` },
    { templateId: PREFERENCES, path: `${LEGAL}/cpr_decision/date_of_cpr_decision` },
  ],
  focusOfCare: [EMERGENCY_SUMMARY_PATHS.focusOfCare],
  ceilingOfTreatment: [EMERGENCY_SUMMARY_PATHS.ceilingOfTreatment],
  advanceDecisions: [
    { templateId: ABOUT_ME, path: 'about_me/advance_statement' },
    EMERGENCY_SUMMARY_PATHS.adrtStatus,
    EMERGENCY_SUMMARY_PATHS.adrtComment,
  ],
  legalProxies: [{ templateId: RESPECT, path: 'respect-3/respect_headings/a2._shared_understanding/legal_welfare_proxies' }],
  whatMattersMost: [
    { templateId: RESPECT, path: 'respect-3/respect_headings/a3._what_matters_to_me/what_matters_to_me' },
    { templateId: ABOUT_ME, path: 'about_me/what_matters_to_me' },
  ],
  homeAccess: [{ templateId: ABOUT_ME, path: 'about_me/access_to_the_home' }],
  anticipatoryMedicines: [{ templateId: 'UCP - Support.v1', path: 'support/anticipatory_medicines' }],
  preferredPlaces: [EMERGENCY_SUMMARY_PATHS.preferredPlaceOfCare, EMERGENCY_SUMMARY_PATHS.preferredPlaceOfDeath],
  diagnoses: [EMERGENCY_SUMMARY_PATHS.diagnosis],
  noKnownAllergies: [EMERGENCY_SUMMARY_PATHS.noKnownAllergies],
} as const satisfies Record<string, readonly SummaryPath[]>;

/** A repeating entry (a contact, an allergy) and where each of its parts is, relative to the entry. */
export interface SummaryEntry<Part extends string> {
  readonly templateId: string;
  readonly path: string;
  /** Each part's paths below the entry, the first recorded one wins. */
  readonly parts: Readonly<Record<Part, readonly string[]>>;
}

export type ContactPart = 'name' | 'relationship' | 'telephone' | 'nextOfKin';
export type AllergyPart = 'substance' | 'reaction' | 'criticality';

/** The people to call, from the contacts section and ReSPECT's emergency contacts; one person named in both is one contact. */
export const EMERGENCY_SUMMARY_CONTACTS: readonly SummaryEntry<ContactPart>[] = [
  {
    templateId: CONTACTS,
    path: 'relevant_contacts_list/relevant_contacts/relevant_contact:0',
    parts: {
      name: ['individual_person/person_name/unstructured_name'],
      // The relationship as recorded ("Daughter") before its category ("Main informal carer").
      relationship: ['relationship_role', 'relationship_category'],
      telephone: ['individual_person/contact_details:0/comms_description'],
      nextOfKin: ['is_next_of_kin'],
    },
  },
  {
    templateId: RESPECT,
    path: 'respect-3/respect_headings/a8._emergency_contacts/emergency_contacts/care_team/participant:0',
    parts: {
      name: ['member/name:0/contact_name'],
      relationship: ['role_and_relationship:0'],
      telephone: ['member/telephone:0/telephone_number'],
      nextOfKin: [],
    },
  },
];

export const EMERGENCY_SUMMARY_ALLERGIES: readonly SummaryEntry<AllergyPart>[] = [
  {
    templateId: ALLERGIES,
    path: 'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0',
    parts: { substance: ['causative_agent'], reaction: ['reaction_event:0/manifestation:0'], criticality: ['criticality'] },
  },
];
