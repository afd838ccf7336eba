import { expect } from 'vitest';
import type { EmergencySummary } from '../../src/careplan/summary/emergency-summary.js';
import { AMBULANCE, type PlanTestKit } from './care-plan-test-kit.js';

/**
 * What a crew acts on, as the emergency summary shows it and as AQL over the person's current
 * compositions finds it. The two must always be equal: the summary is a projection, the
 * compositions are the record every openEHR client reads.
 */
export interface ActionableFacts {
  /** `none`: nothing published (404); `deleted`: deleted or withdrawn (410); else the plan's status. */
  status: 'none' | 'deleted' | 'published' | 'closed';
  dateOfDeath: string | null;
  cpr: { recommendation: string; code: string | null; notForCpr: boolean; decidedOn: string | null } | null;
  ceilingOfTreatment: string | null;
  /** Everyone to call, by name (one person named in two sections is one contact), sorted. */
  contacts: string[];
}

const NOT_FOR_CPR = '450476008';
const HEADER = 'COMPOSITION h[openEHR-EHR-COMPOSITION.care_plan.v0]';
const ONE_PERSON = 'WHERE e/ehr_id/value = $ehr_id';
const CPR = 'cpr/data[at0001]/items[at0003]/value';

/** Asserts that the summary's status, CPR recommendation, ceiling of treatment and contacts are what AQL over the compositions gives. */
export async function expectSummaryToAgreeWithAql(kit: PlanTestKit, ehrId: string, step: string): Promise<ActionableFacts> {
  const shown = await summaryFacts(kit, ehrId);
  const recorded = await aqlFacts(kit, ehrId);
  expect(shown, `after ${step}: the emergency summary against AQL over the compositions`).toEqual(recorded);
  return shown;
}

async function summaryFacts(kit: PlanTestKit, ehrId: string): Promise<ActionableFacts> {
  const crew = await kit.as(['viewer'], AMBULANCE);
  const response = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/emergency-summary` });
  const nothing = { dateOfDeath: null, cpr: null, ceilingOfTreatment: null, contacts: [] };
  if (response.statusCode === 404) return { status: 'none', ...nothing };
  if (response.statusCode === 410) return { status: 'deleted', ...nothing };
  expect(response.statusCode, response.body).toBe(200);
  const summary = response.json<EmergencySummary>();
  expect(['published', 'closed']).toContain(summary.status);
  return {
    status: summary.status as 'published' | 'closed',
    dateOfDeath: summary.death?.date ?? null,
    cpr: summary.cpr && { ...summary.cpr, decidedOn: instant(summary.cpr.decidedOn) },
    ceilingOfTreatment: summary.ceilingOfTreatment,
    contacts: names(summary.whoToCallFirst.map((contact) => contact.name)),
  };
}

async function aqlFacts(kit: PlanTestKit, ehrId: string): Promise<ActionableFacts> {
  const aql = async (q: string): Promise<unknown[][]> => {
    const response = await kit.test.inject({
      method: 'POST',
      url: '/openehr/v1/query/aql',
      payload: { q, query_parameters: { ehr_id: ehrId } },
    });
    expect(response.statusCode, `${q}\n${response.body}`).toBe(200);
    return response.json<{ rows: unknown[][] }>().rows;
  };
  // One after another: a caller may run only a few queries at once (the query share, docs/scaling.md).
  const queries = [
    `SELECT s/data[at0001]/items[at0002]/value/defining_code/code_string, s/data[at0001]/items[at0011]/value/value
       FROM EHR e CONTAINS ${HEADER} CONTAINS ADMIN_ENTRY s[openEHR-EHR-ADMIN_ENTRY.ucp_plan_status.v0] ${ONE_PERSON}`,
    `SELECT d/data[at0001]/items[at0002]/value/value FROM EHR e CONTAINS ${HEADER} CONTAINS ADMIN_ENTRY d[openEHR-EHR-ADMIN_ENTRY.ucp_death.v0] ${ONE_PERSON}`,
    `SELECT c/archetype_details/template_id/value, ${CPR}/value, ${CPR}/mappings/target/code_string, cpr/data[at0001]/items[at0002]/value/value
       FROM EHR e CONTAINS COMPOSITION c CONTAINS EVALUATION cpr[openEHR-EHR-EVALUATION.cpr_decision_uk.v0] ${ONE_PERSON}`,
    `SELECT r/data[at0001]/items[at0003, 'Clinical guidance on interventions']/value/value
       FROM EHR e CONTAINS COMPOSITION c CONTAINS EVALUATION r[openEHR-EHR-EVALUATION.recommendation.v1]
       ${ONE_PERSON} AND c/archetype_details/template_id/value = 'ReSPECT-3.v0'`,
    `SELECT rc/data[at0001]/items[openEHR-EHR-CLUSTER.individual_person_uk.v1]/items[openEHR-EHR-CLUSTER.person_name.v1]/items[at0001]/value/value
       FROM EHR e CONTAINS COMPOSITION c CONTAINS ADMIN_ENTRY rc[openEHR-EHR-ADMIN_ENTRY.relevant_contact_rcp.v1] ${ONE_PERSON}`,
    `SELECT n/items[at0009]/value/value
       FROM EHR e CONTAINS COMPOSITION c CONTAINS ADMIN_ENTRY t[openEHR-EHR-ADMIN_ENTRY.care_team.v0] CONTAINS CLUSTER n[openEHR-EHR-CLUSTER.name_cc.v0]
       ${ONE_PERSON} AND c/archetype_details/template_id/value = 'ReSPECT-3.v0'`,
  ];
  const answers: unknown[][][] = [];
  for (const q of queries) answers.push(await aql(q));
  const [header = [], death = [], cpr = [], ceiling = [], contacts = [], emergencyContacts = []] = answers;
  // At most one current header: drafts are incomplete compositions, which AQL never returns.
  expect(header.length).toBeLessThanOrEqual(1);
  const [statusCode, deleted] = header[0] ?? [];
  const status: ActionableFacts['status'] =
    header.length === 0 ? 'none' : deleted === true ? 'deleted' : statusCode === 'at0005' ? 'published' : 'closed';
  // ReSPECT's decision is the one shown when another section records one too (they agree: one CPR truth).
  const decision = cpr.find(([template]) => template === 'ReSPECT-3.v0') ?? cpr[0];
  // Whatever the status, what AQL finds is compared: a summary that shows nothing (no plan
  // published, or deleted) must have no current composition behind it that says otherwise.
  return {
    status,
    dateOfDeath: text(death[0]?.[0]),
    cpr: decision
      ? {
          recommendation: String(decision[1]),
          code: text(decision[2]),
          notForCpr: decision[2] === NOT_FOR_CPR,
          decidedOn: instant(text(decision[3])),
        }
      : null,
    ceilingOfTreatment: text(ceiling[0]?.[0]),
    contacts: names([...contacts, ...emergencyContacts].flatMap(([name]) => (typeof name === 'string' ? [name] : []))),
  };
}

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

/** A date-time as an instant (FLAT and canonical JSON may spell one differently); a date as it is. */
function instant(value: string | null): string | null {
  return value && value.includes('T') ? new Date(value).toISOString() : value;
}

function names(values: readonly string[]): string[] {
  return [...new Set(values.map((name) => name.trim().toLowerCase().replace(/\s+/g, ' ')).filter((name) => name !== ''))].sort();
}
