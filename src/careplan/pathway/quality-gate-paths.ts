import { EMERGENCY_SUMMARY_PATHS, type SummaryPath } from './emergency-summary-paths.js';

/**
 * The ReSPECT quality gates a plan must pass before it is submitted or approved (issue #11; the
 * CQC 2021 and HIW 2024 DNACPR reviews found exactly these inconsistently recorded): where each
 * gate's answer is recorded, by template node (FLAT path, `:0` for any instance), and what to add
 * when it is missing. The test beside emergency-summary-paths.ts keeps every node true to the
 * committed templates.
 *
 * What the committed ReSPECT template (ReSPECT-3.v0) cannot hold, and so is not gated:
 * - a separate record of the discussion with family or an attorney when the person has capacity:
 *   section 6 holds one choice (A: the person has capacity and took part; B: without capacity,
 *   made with their legal proxy or family; C1–C3 for children) or the reason none applies
 *   (option D). "Name and role of those involved" (at0017 of the involvement archetype) is not in
 *   the template.
 * - a next review date: section 9 records reviews done (an ACTION), not when the next is due; the
 *   plan's own planned review date (UCP - Plan.v1) is the one gated.
 */

export type QualityGateId = 'capacity' | 'lackOfCapacityExplained' | 'involvement' | 'decisionMaker' | 'reviewDate';

export interface QualityGate {
  readonly id: QualityGateId;
  /** The template whose modules the gate applies to. */
  readonly templateId: string;
  /** The section of the form the answer belongs in, as the person filling it sees it. */
  readonly section: string;
  /** What to add, said to the person submitting the plan. */
  readonly toAdd: string;
  /**
   * When the gate applies: once the module records anything; once `node` is recorded; or once
   * `node` holds the coded answer `code`.
   */
  readonly appliesWhen: { readonly recorded: 'module' } | { readonly recorded: string } | { readonly node: string; readonly code: string };
  /**
   * How it is met: a value recorded at any of `anyOf`; for each recorded instance of the entry
   * `entry`, a participant named with an identifier (their professional registration number); or
   * the plan's header recording `header` (the planned review date).
   */
  readonly meetsWhen: { readonly anyOf: readonly string[] } | { readonly entry: string } | { readonly header: SummaryPath };
}

const RESPECT = 'ReSPECT-3.v0';
const PREFERENCES = 'IDCR - End of Life Patient Preferences.v0';
const HEADINGS = 'respect-3/respect_headings';
const CAPACITY = `${HEADINGS}/a5._capacity_for_involvement/mental_capacity`;
const INVOLVEMENT = `${HEADINGS}/a6._involvement_in_making_plan/respect_involvement/involvement_in_recommendations`;
const RESPECT_CPR = `${HEADINGS}/a4._clinical_recommendations/cpr_decision`;
const PREFERENCES_CPR = 'end_of_life_patient_preferences/legal_information:0/cpr_decision';
const CAPACITY_STATUS = `${CAPACITY}/does_the_person_have_capacity_to_participate_in_making_recommendations_on_this_plan`;

export const QUALITY_GATES: readonly QualityGate[] = [
  {
    id: 'capacity',
    templateId: RESPECT,
    section: 'ReSPECT section 5 (Capacity for involvement)',
    toAdd: 'record whether the person has capacity to take part in making these recommendations',
    appliesWhen: { recorded: 'module' },
    meetsWhen: { anyOf: [CAPACITY_STATUS] },
  },
  {
    id: 'lackOfCapacityExplained',
    templateId: RESPECT,
    section: 'ReSPECT section 5 (Capacity for involvement)',
    toAdd: 'the person does not have capacity: record in what way they lack it',
    appliesWhen: { node: CAPACITY_STATUS, code: 'at0004' },
    meetsWhen: { anyOf: [`${CAPACITY}/if_no_in_what_way_does_this_person_lack_capacity`] },
  },
  {
    id: 'involvement',
    templateId: RESPECT,
    section: 'ReSPECT section 6 (Involvement in making plan)',
    toAdd:
      'record who the recommendations were discussed with — the person (A), their legal proxy or family (B), or for a child (C) — or, under option D, why not',
    appliesWhen: { recorded: 'module' },
    meetsWhen: { anyOf: [`${INVOLVEMENT}/involvement:0`, `${INVOLVEMENT}/option_d`] },
  },
  {
    id: 'decisionMaker',
    templateId: RESPECT,
    section: 'ReSPECT section 4 (Clinical recommendations), the CPR recommendation',
    toAdd:
      'record the CPR recommendation with the clinician who made it and their professional registration number (GMC, NMC, HCPC …): they save it from an account holding the number, or it is sent as the decision’s participant',
    appliesWhen: { recorded: 'module' },
    meetsWhen: { entry: RESPECT_CPR },
  },
  {
    id: 'decisionMaker',
    templateId: PREFERENCES,
    section: 'Preferences and advance decisions, the CPR decision',
    toAdd:
      'record the clinician who made the CPR decision and their professional registration number (GMC, NMC, HCPC …): they save it from an account holding the number, or it is sent as the decision’s participant',
    appliesWhen: { recorded: `${PREFERENCES_CPR}/cpr_decision` },
    meetsWhen: { entry: PREFERENCES_CPR },
  },
  {
    id: 'reviewDate',
    templateId: RESPECT,
    section: 'the plan’s review date',
    toAdd: 'set when the plan (and its ReSPECT recommendations) will next be reviewed',
    appliesWhen: { recorded: 'module' },
    meetsWhen: { header: EMERGENCY_SUMMARY_PATHS.reviewDate },
  },
];

/** Every node a gate reads, by template (for the test that holds them to the committed templates). */
export function qualityGateNodes(): SummaryPath[] {
  return QUALITY_GATES.flatMap((gate) => {
    const at = (path: string): SummaryPath => ({ templateId: gate.templateId, path });
    const { appliesWhen: applies, meetsWhen: meets } = gate;
    const appliesAt = 'node' in applies ? [at(applies.node)] : applies.recorded === 'module' ? [] : [at(applies.recorded)];
    const meetsAt = 'entry' in meets ? [at(meets.entry)] : 'header' in meets ? [meets.header] : meets.anyOf.map(at);
    return [...appliesAt, ...meetsAt];
  });
}
