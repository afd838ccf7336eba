import { describe, expect, it } from 'vitest';
import { qualityGaps } from './quality-gates.js';

const RESPECT = 'ReSPECT-3.v0';
const H = 'respect-3/respect_headings';
const CAPACITY = `${H}/a5._capacity_for_involvement/mental_capacity/does_the_person_have_capacity_to_participate_in_making_recommendations_on_this_plan`;
const LACKS = `${H}/a5._capacity_for_involvement/mental_capacity/if_no_in_what_way_does_this_person_lack_capacity`;
const INVOLVEMENT = `${H}/a6._involvement_in_making_plan/respect_involvement/involvement_in_recommendations`;
const CPR = `${H}/a4._clinical_recommendations/cpr_decision`;

const complete = {
  [`${CPR}/cpr_decision|code`]: 'at0005',
  [`${CPR}/_other_participation:0|name`]: 'Dr Ada Partner',
  [`${CPR}/_other_participation:0|identifiers_id:0`]: 'GMC 1234567',
  [`${CAPACITY}|code`]: 'at0003',
  [`${INVOLVEMENT}/involvement:0|code`]: 'at0003',
};
const respect = (flat: Record<string, string>) => ({ moduleId: 'respect', templateId: RESPECT, title: 'ReSPECT', flat });
const gapsOf = (flat: Record<string, string>, reviewDate: string | null = '2027-01-01') =>
  qualityGaps({ modules: [respect(flat)], reviewDate }).map((gap) => gap.gate);

describe('the ReSPECT quality gates', () => {
  it('pass a complete ReSPECT section, and do not apply to a plan without one', () => {
    expect(gapsOf(complete)).toEqual([]);
    expect(qualityGaps({ modules: [respect({})], reviewDate: null })).toEqual([]);
  });

  it('name each missing answer', () => {
    expect(gapsOf({ [`${H}/a3._what_matters_to_me/what_matters_to_me/what_i_most_value`]: 'My garden' }, null)).toEqual([
      'capacity',
      'involvement',
      'decisionMaker',
      'reviewDate',
    ]);
  });

  it('take the reason under option D instead of a discussion, and any instance of the involvement', () => {
    const { [`${INVOLVEMENT}/involvement:0|code`]: _dropped, ...rest } = complete;
    expect(gapsOf(rest)).toEqual(['involvement']);
    expect(gapsOf({ ...rest, [`${INVOLVEMENT}/option_d`]: 'Person unconscious; family not reachable overnight' })).toEqual([]);
    expect(gapsOf({ ...rest, [`${INVOLVEMENT}/involvement:1|code`]: 'at0004' })).toEqual([]);
  });

  it('ask in what way a person lacks capacity when they do', () => {
    expect(gapsOf({ ...complete, [`${CAPACITY}|code`]: 'at0004' })).toEqual(['lackOfCapacityExplained']);
    expect(gapsOf({ ...complete, [`${CAPACITY}|code`]: 'at0004', [LACKS]: 'Cannot retain the information' })).toEqual([]);
  });

  it('need the decision maker named with a registration number on the CPR decision, not elsewhere', () => {
    const { [`${CPR}/_other_participation:0|identifiers_id:0`]: _number, ...unregistered } = complete;
    expect(gapsOf(unregistered)).toEqual(['decisionMaker']);
    expect(
      gapsOf({ ...unregistered, [`${H}/a4._clinical_recommendations/recommendation/_other_participation:0|identifiers_id:0`]: 'GMC 1' }),
    ).toEqual(['decisionMaker']);
    // The same path in another template is not a ReSPECT section.
    expect(qualityGaps({ modules: [{ ...respect(unregistered), templateId: 'Other.v1' }], reviewDate: null })).toEqual([]);
  });

  it("gate a CPR decision in the preferences section on its maker's registration", () => {
    const decision = 'end_of_life_patient_preferences/legal_information:0/cpr_decision';
    const preferences = (flat: Record<string, string>) => ({
      moduleId: 'preferences',
      templateId: 'IDCR - End of Life Patient Preferences.v0',
      title: 'Preferences',
      flat,
    });
    expect(qualityGaps({ modules: [preferences({ [`${decision}/comment`]: 'x' })], reviewDate: null })).toEqual([]);
    expect(qualityGaps({ modules: [preferences({ [`${decision}/cpr_decision|code`]: 'at0005' })], reviewDate: null })).toEqual([
      expect.objectContaining({ gate: 'decisionMaker', moduleId: 'preferences' }),
    ]);
  });
});
