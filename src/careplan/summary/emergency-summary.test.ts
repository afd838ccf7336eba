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

function module(moduleId: string, pathwayId: string, flat: Record<string, string | boolean>): SummaryModuleInput {
  return { moduleId, title: moduleId, templateId: `${moduleId}.v1`, pathwayId, flat, labelOf: (path) => path.split('/').pop() ?? path };
}

const R = 'respect-3/respect_headings';

describe('the emergency summary', () => {
  it('puts the CPR recommendation, focus of care and what matters first, from whichever module says them', () => {
    const summary = emergencySummary(
      plan,
      [
        module('respect', 'core', {
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
          'relevant_contacts_list/relevant_contacts/relevant_contact:0/individual_person/person_name/unstructured_name': 'Grace Hopper',
          'relevant_contacts_list/relevant_contacts/relevant_contact:0/individual_person/contact_details:0/comms_description':
            '07700 900123',
          'relevant_contacts_list/relevant_contacts/relevant_contact:0/relationship_role': 'Daughter',
          'relevant_contacts_list/relevant_contacts/relevant_contact:0/is_next_of_kin': true,
        }),
        module('support', 'core', { 'ucp_support/home/key_safe_code': 'Key safe by the back door, code given on request' }),
        module('allergies', 'core', {
          'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/causative_agent': 'Penicillin',
          'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/reaction_event:0/manifestation:0': 'Anaphylaxis',
          'adverse_reaction_list/allergies_and_adverse_reactions/adverse_reaction_risk:0/criticality|value': 'High',
        }),
        module('problems', 'core', {
          'problem_list/problems_and_issues:0/problem_diagnosis:0/problem_diagnosis_name': 'Sickle cell anaemia',
        }),
        module('sickle-cell', 'sickle-cell', { 'ucp_sickle_cell/crisis/first_line_analgesia': 'Oral morphine 10 mg; avoid pethidine' }),
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
    expect(summary.whatMattersMost).toEqual([{ label: 'what_i_most_value', value: 'Being at home with my cat' }]);
    expect(summary.legalProxies).toEqual([{ label: 'type', value: 'Power of attorney' }]);
    expect(summary.whoToCallFirst).toEqual([
      { name: 'Grace Hopper', relationship: 'Daughter', telephone: '07700 900123', nextOfKin: true },
    ]);
    expect(summary.homeAccess).toEqual([{ label: 'key_safe_code', value: 'Key safe by the back door, code given on request' }]);
    expect(summary.allergies).toEqual([{ substance: 'Penicillin', reaction: 'Anaphylaxis', criticality: 'High' }]);
    expect(summary.diagnoses).toEqual(['Sickle cell anaemia']);
    expect(summary.pathwayHighlights).toEqual([
      {
        pathwayId: 'sickle-cell',
        pathway: 'Sickle cell',
        items: [{ label: 'first_line_analgesia', value: 'Oral morphine 10 mg; avoid pethidine' }],
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
