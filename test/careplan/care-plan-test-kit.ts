import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { CallerOrganisation } from '../../src/access/caller.js';
import type { Role } from '../../src/access/roles.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { loadUcpTemplates } from '../../src/careplan/pathway/index.js';
import type { PlanView } from '../../src/careplan/care-plan-service.js';
import { buildExampleFlat } from '../../src/openehr/example/index.js';
import type { JsonValue } from '../../src/openehr/flat/index.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

/** Organisations of the care plan tests: the hospice that writes the plan, the crews that read it. */
export const HOSPICE: CallerOrganisation = {
  odsCode: 'CPHOS1',
  name: 'Thames Hospice',
  kind: 'hospice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};
export const AMBULANCE: CallerOrganisation = {
  odsCode: 'CPAMB1',
  name: 'London Ambulance',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
export const GP: CallerOrganisation = {
  odsCode: 'CPGP01',
  name: 'Riverside Practice',
  kind: 'gp-practice',
  ics: 'North Central London',
  dataSecurityStatus: 'standards-met',
};
export const STRANGER: CallerOrganisation = {
  odsCode: 'CPSTR1',
  name: 'Faraway Trust',
  kind: 'acute-trust',
  ics: 'North West London',
  dataSecurityStatus: 'standards-met',
};

export type Flat = Record<string, JsonValue>;

export interface PlanTestKit {
  test: TestApp;
  as(roles: Role[], organisation: CallerOrganisation): Promise<(options: InjectOptions) => Promise<LightMyRequestResponse>>;
  /** A FLAT example of a module's template filling every node, without `ctx/` (the service adds it). */
  exampleFlat(moduleId: string, overrides?: Flat): Promise<Flat>;
  close(): Promise<void>;
}

export async function createPlanTestKit(options: TestAppOptions = {}): Promise<PlanTestKit> {
  const test = await createTestApp(options);
  for (const organisation of [HOSPICE, AMBULANCE, GP, STRANGER]) await upsertOrganisation(test.database.db, organisation);
  await loadUcpTemplates(test.services.openehr.templates);
  const tokens = new Map<string, string>();
  return {
    test,
    async as(roles, organisation) {
      const key = `${roles.join('+')}@${organisation.odsCode}`;
      let token = tokens.get(key);
      if (!token) {
        token = await issueTestToken(test.services, test.database.db, {
          clientId: `cp-${roles.join('-')}-${organisation.odsCode}`.toLowerCase(),
          scopes: SCOPES,
          roles,
          organisationOdsCode: organisation.odsCode,
        });
        tokens.set(key, token);
      }
      const bearer = token;
      return (options) => test.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${bearer}` } });
    },
    async exampleFlat(moduleId, overrides = {}) {
      const module = test.services.carePlans.catalogue
        .modulesOf(test.services.carePlans.catalogue.pathways.map((p) => p.id))
        .find((m) => m.id === moduleId);
      if (!module) throw new Error(`no module ${moduleId}`);
      const template = await test.services.openehr.templates.get(module.templateId);
      const flat = buildExampleFlat(template.webTemplate, { now: `${new Date().toISOString().slice(0, 10)}T09:00:00Z` }) as Flat;
      return { ...Object.fromEntries(Object.entries(flat).filter(([key]) => !key.startsWith('ctx/'))), ...overrides };
    },
    close: () => test.close(),
  };
}

export function etag(response: LightMyRequestResponse): string {
  return String(response.headers['etag']);
}

export function planOf(response: LightMyRequestResponse): PlanView {
  return response.json<PlanView>();
}

/** A review date `months` ahead of today (never past the allowed limit). */
export function reviewDateIn(months: number): string {
  const date = new Date();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/**
 * The clinician who made a CPR decision, named on it with their registration number: a machine
 * client's account holds none, so a test names the maker as an integration sends it.
 */
export function decidedBy(entry: string, name = 'Dr Ada Partner', registration = 'GMC 7000001'): Flat {
  return {
    [`${entry}/_other_participation:0|function`]: 'CPR decision maker: GP partner',
    [`${entry}/_other_participation:0|name`]: name,
    [`${entry}/_other_participation:0|identifiers_id:0`]: registration,
    [`${entry}/_other_participation:0|identifiers_type:0`]: 'Professional registration number',
    [`${entry}/_other_participation:0|mode`]: 'face-to-face communication',
  };
}

export const RESPECT_CPR_ENTRY = 'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision';

export const NOT_FOR_CPR: Flat = {
  ...decidedBy(RESPECT_CPR_ENTRY),
  'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|code': 'at0005',
  'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|value': 'CPR attempts not recommended adult or child.',
  'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_focus': 'Prioritise comfort',
};

/** The preferences module's CPR decision agreeing with NOT_FOR_CPR: a plan holds one CPR recommendation. */
export const PREFERENCES_NOT_FOR_CPR: Flat = {
  ...decidedBy('end_of_life_patient_preferences/legal_information:0/cpr_decision'),
  'end_of_life_patient_preferences/legal_information:0/cpr_decision/cpr_decision|code': 'at0005',
  'end_of_life_patient_preferences/legal_information:0/cpr_decision/cpr_decision|value': 'Not for attempted cardiopulmonary resuscitation',
};

/**
 * A published plan with the given modules (ReSPECT and preferences written by a senior, the rest
 * by a clinician of the hospice); returns its EHR id and current revision.
 */
type Request = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/** The caller's organisation declares that it is caring for the person: the one way to join their care team. */
export async function declareCare(request: Request, nhsNumber: string): Promise<void> {
  const declared = await request({
    method: 'POST',
    url: `/api/people/${nhsNumber}/care-team`,
    payload: { reason: 'providing-care: referred to us for palliative care at home this week' },
  });
  if (declared.statusCode !== 201 && declared.statusCode !== 200) throw new Error(`declaring care: ${declared.body}`);
}

export async function publishedPlan(
  kit: PlanTestKit,
  nhsNumber: string,
  modules: Record<string, Flat | 'example'> = { respect: NOT_FOR_CPR, contacts: 'example' },
  pathways: string[] = [],
): Promise<{ ehrId: string; revision: string }> {
  const senior = await kit.as(['senior-clinician'], HOSPICE);
  await declareCare(senior, nhsNumber);
  const created = await senior({
    method: 'POST',
    url: '/api/care-plans',
    payload: { nhsNumber, pathways, consent: { toShare: true, route: 'explicit' } },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const ehrId = planOf(created).ehrId;
  let revision = etag(created);
  for (const [moduleId, content] of Object.entries(modules)) {
    const flat = await kit.exampleFlat(moduleId, content === 'example' ? {} : content);
    const saved = await senior({
      method: 'PUT',
      url: `/api/care-plans/${ehrId}/draft/modules/${moduleId}`,
      headers: { 'if-match': revision },
      payload: { flat },
    });
    if (saved.statusCode !== 200) throw new Error(`${moduleId}: ${saved.body}`);
    revision = etag(saved);
  }
  const submitted = await senior({
    method: 'POST',
    url: `/api/care-plans/${ehrId}/draft/submit`,
    headers: { 'if-match': revision },
    payload: { reviewDate: reviewDateIn(3) },
  });
  if (submitted.statusCode !== 200) throw new Error(submitted.body);
  const approved = await senior({
    method: 'POST',
    url: `/api/care-plans/${ehrId}/draft/approve`,
    headers: { 'if-match': etag(submitted) },
  });
  if (approved.statusCode !== 200) throw new Error(approved.body);
  return { ehrId, revision: etag(approved) };
}
