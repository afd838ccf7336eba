import { describe, expect, it } from 'vitest';
import { emergencySummary, type SummaryModuleInput, type SummaryPlanFacts } from './emergency-summary.js';

const plan: SummaryPlanFacts = {
  ehrId: 'e-1',
  corePathwayId: 'core',
  status: 'published',
  planVersion: 3,
  lastUpdated: '2026-12-04T10:00:00Z',
  reviewDate: '2026-12-01',
  pathways: [{ id: 'sickle-cell', title: 'Sickle cell' }],
  approvedBy: 'Dr Ada, Thames Hospice',
  death: undefined,
};

const TEMPLATES: Record<string, string> = {
  respect: 'ReSPECT-3.v0',
  contacts: 'IDCR - Relevant contacts.v0',
  'about-me': 'UCP - About me.v1',
  allergies: 'Adverse Reaction List.v1',
  problems: 'IDCR - Problem List.v1',
  'sickle-cell': 'UCP - Sickle cell crisis plan.v1',
};

/** Labels as the web template gives them: the names of the nodes from the section down. */
const breadcrumb = (path: string) => path.split('/').slice(1).join(' › ');

function module(moduleId: string, pathwayId: string, flat: Record<string, string | boolean>, highlights?: string[]): SummaryModuleInput {
  const templateId = TEMPLATES[moduleId] ?? `${moduleId}.v1`;
  return { moduleId, title: moduleId, templateId, pathwayId, flat, labelOf: breadcrumb, ...(highlights ? { highlights } : {}) };
}

const CONTACT = 'relevant_contacts_list/relevant_contacts/relevant_contact';
const RESPECT_CONTACT = 'respect-3/respect_headings/a8._emergency_contacts/emergency_contacts/care_team/participant';
const SICKLE = 'sickle_cell_crisis_plan/sickle_cell_crisis_plan';

const R = 'respect-3/respect_headings';

describe('the emergency summary', () => {
  it('puts the CPR recommendation, focus of care and what matters first, from whichever module says them', () => {
    const summary = emergencySummary(
      plan,
      [
        module('respect', 'core', {
          // The same daughter named again in ReSPECT's emergency contacts, without the next-of-kin flag.
          [`${RESPECT_CONTACT}:0/member/name:0/contact_name`]: 'grace  hopper',
          [`${RESPECT_CONTACT}:0/member/telephone:0/telephone_number`]: '020 7946 0000',
          [`${R}/a4._clinical_recommendations/cpr_decision/cpr_decision|code`]: 'at0005',
          [`${R}/a4._clinical_recommendations/cpr_decision/cpr_decision|value`]: 'CPR attempts not recommended adult or child.',
          [`${R}/a4._clinical_recommendations/cpr_decision/date_of_cpr_decision`]: '2026-11-30T09:00:00Z',
          [`${R}/a4._clinical_recommendations/recommendation/clinical_focus`]: 'Prioritise comfort',
          [`${R}/a4._clinical_recommendations/recommendation/clinical_guidance_on_interventions`]: 'Ward-based care; no ICU',
          [`${R}/a3._what_matters_to_me/what_matters_to_me/what_i_most_value`]: 'Being at home with my cat',
          [`${R}/a2._shared_understanding/legal_welfare_proxies/legal_welfare_proxy_in_place:0/type`]: 'Power of attorney',
          [`${R}/a4._clinical_recommendations/cpr_decision/language|code`]: 'en',
        }),
        module('contacts', 'core', {
          [`${CONTACT}:0/individual_person/person_name/unstructured_name`]: 'Grace Hopper',
          [`${CONTACT}:0/individual_person/contact_details:0/comms_description`]: '07700 900123',
          [`${CONTACT}:0/relationship_category|value`]: 'Main informal carer',
          [`${CONTACT}:0/relationship_role`]: 'Daughter',
          [`${CONTACT}:0/is_next_of_kin`]: true,
          [`${CONTACT}:1/individual_person/person_name/unstructured_name`]: 'Dr Amir Khan',
          [`${CONTACT}:1/relationship_role`]: 'GP',
          [`${CONTACT}:1/is_next_of_kin`]: false,
        }),
        module('about-me', 'core', {
          'about_me/access_to_the_home/key_safe': true,
          'about_me/access_to_the_home/key_safe_code': 'Given on request',
        }),
        module('allergies', 'core', {
          'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/causative_agent': 'Penicillin',
          'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/reaction_event:0/manifestation:0': 'Anaphylaxis',
          'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/criticality|value': 'High',
        }),
        module('problems', 'core', {
          'problem_list/problems_and_issues:0/problem_diagnosis:0/problem_diagnosis_name': 'Sickle cell anaemia',
        }),
        module(
          'sickle-cell',
          'sickle-cell',
          {
            [`${SICKLE}/when_to_escalate`]: 'Pain not controlled within an hour',
            [`${SICKLE}/preferred_first-line_analgesia:0/medicine`]: 'Oral morphine 10 mg',
          },
          [`${SICKLE}/preferred_first-line_analgesia:0`, `${SICKLE}/when_to_escalate`],
        ),
      ],
      '2026-12-04',
    );
    expect(summary.cpr).toEqual({
      recommendation: 'CPR attempts not recommended adult or child.',
      code: '450476008',
      notForCpr: true,
      decidedOn: '2026-11-30T09:00:00Z',
    });
    expect(summary.focusOfCare).toBe('Prioritise comfort');
    expect(summary.ceilingOfTreatment).toBe('Ward-based care; no ICU');
    expect(summary.whatMattersMost).toEqual([{ label: 'what_matters_to_me › what_i_most_value', value: 'Being at home with my cat' }]);
    expect(summary.legalProxies).toEqual([{ label: 'legal_welfare_proxy_in_place:0 › type', value: 'Power of attorney' }]);
    // One entry per person across sections; the relationship as recorded, not its category.
    expect(summary.whoToCallFirst).toEqual([
      { name: 'Grace Hopper', relationship: 'Daughter', telephone: '07700 900123', nextOfKin: true },
      { name: 'Dr Amir Khan', relationship: 'GP', telephone: null, nextOfKin: false },
    ]);
    expect(summary.homeAccess).toEqual([
      { label: 'access_to_the_home › key_safe', value: 'Yes' },
      { label: 'access_to_the_home › key_safe_code', value: 'Given on request' },
    ]);
    expect(summary.allergies).toEqual([{ substance: 'Penicillin', reaction: 'Anaphylaxis', criticality: 'High' }]);
    expect(summary.diagnoses).toEqual(['Sickle cell anaemia']);
    expect(summary.pathwayHighlights).toEqual([
      {
        pathwayId: 'sickle-cell',
        pathway: 'Sickle cell',
        items: [
          { label: 'preferred_first-line_analgesia:0 › medicine', value: 'Oral morphine 10 mg' },
          { label: 'sickle_cell_crisis_plan › when_to_escalate', value: 'Pain not controlled within an hour' },
        ],
      },
    ]);
    expect(summary.reviewOverdue).toBe(true);
    expect(summary.sections.map((section) => section.href)).toContain('/api/care-plans/e-1/modules/respect');
  });

  it('says nothing it was not told: no CPR decision is null, never a guess', () => {
    const summary = emergencySummary({ ...plan, reviewDate: undefined }, [module('contacts', 'core', {})], '2026-12-04');
    expect(summary).toMatchObject({
      cpr: null,
      focusOfCare: null,
      whoToCallFirst: [],
      allergies: [],
      noKnownAllergies: false,
      reviewOverdue: false,
      pathwayHighlights: [],
    });
  });
});
