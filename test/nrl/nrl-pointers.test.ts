import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCaller } from '../../src/access/caller.js';
import { seedDemoPathways } from '../../src/demo/demo-pathways.js';
import { StubNrlClient } from '../../src/nrl/nrl-client.js';
import {
  createPlanTestKit,
  decidedBy,
  HOSPICE,
  planOf,
  publishedPlan,
  RESPECT_CPR_ENTRY,
  type PlanTestKit,
} from '../careplan/care-plan-test-kit.js';

/** The example ReSPECT and preferences, their CPR decisions named with who made them (a quality gate). */
const RESPECT = decidedBy(RESPECT_CPR_ENTRY);
const PREFERENCES = decidedBy('end_of_life_patient_preferences/legal_information:0/cpr_decision');
import { eventually } from '../support/eventually.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';

describe(`national record locator pointers on ${backend}`, () => {
  let kit: PlanTestKit;
  let nrl: StubNrlClient;
  beforeAll(async () => {
    kit = await createPlanTestKit();
    const client = kit.test.services.nrl;
    if (!(client instanceof StubNrlClient)) throw new Error('the tests run with the stub locator');
    nrl = client;
  });
  afterAll(() => kit.close());

  const pointersOf = (nhsNumber: string) => [...nrl.pointers.values()].filter((pointer) => pointer.nhsNumber === nhsNumber);

  it('creates a pointer of each national type a published plan is, from the outbox, and supersedes them when the person dies', async () => {
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(
      kit,
      nhsNumber,
      { respect: RESPECT, preferences: PREFERENCES, contacts: 'example', 'sickle-cell-crisis-plan': 'example' },
      ['sickle-cell'],
    );
    const created = await eventually(
      () => (pointersOf(nhsNumber).length === 4 ? pointersOf(nhsNumber) : undefined),
      10_000,
      'four pointers',
    );
    expect(created.map((pointer) => pointer.type.code).sort()).toEqual([
      '1382601000000107',
      '736366004',
      '861421000000109',
      '887701000000100',
    ]);
    expect(
      created.every((pointer) => pointer.status === 'current' && pointer.version === 1 && pointer.url.endsWith(`/fhir/CarePlan/${ehrId}`)),
    ).toBe(true);

    const clinician = await kit.as(['clinician'], HOSPICE);
    const died = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/death`,
      headers: { 'if-match': revision },
      payload: { date: new Date().toISOString().slice(0, 10), place: 'Home' },
    });
    expect(planOf(died).status).toBe('closed');
    await eventually(
      () => (pointersOf(nhsNumber).every((pointer) => pointer.status === 'superseded') ? true : undefined),
      10_000,
      'superseded pointers',
    );
    expect(nrl.log.filter((entry) => entry.pointer.nhsNumber === nhsNumber).map((entry) => entry.action)).toEqual([
      'create',
      'create',
      'create',
      'create',
      'update',
      'update',
      'update',
      'update',
    ]);
  });

  it("lists a plan of the fifth pathway under the pathway's own record type, and supersedes that pointer when the person dies", async () => {
    const designer = (id: string) =>
      clientCaller({ clientId: id, organisation: undefined, roles: ['clinical-designer'], scopes: ['admin'] });
    await seedDemoPathways(kit.test.services.pathwayDesign, { author: designer('designer'), reviewer: designer('designer2') });
    const nhsNumber = nextTestNhsNumber();
    const { ehrId, revision } = await publishedPlan(
      kit,
      nhsNumber,
      { contacts: 'example', 'mental-health-crisis-plan': { 'mental_health_crisis_plan/crisis_plan/what_helps': 'A quiet room' } },
      ['mental-health-crisis'],
    );
    const created = await eventually(
      () => (pointersOf(nhsNumber).length === 2 ? pointersOf(nhsNumber) : undefined),
      10_000,
      `two pointers, found ${JSON.stringify(pointersOf(nhsNumber).map((p) => p.type))}`,
    );
    expect(created.map((pointer) => pointer.type).sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: '736253002', display: 'Mental health crisis plan' },
      { code: '861421000000109', display: 'End of life care coordination summary' },
    ]);
    expect(created.find((pointer) => pointer.type.code === '736253002')?.masterIdentifier).toBe(`${ehrId}/736253002`);

    const clinician = await kit.as(['clinician'], HOSPICE);
    const died = await clinician({
      method: 'POST',
      url: `/api/care-plans/${ehrId}/death`,
      headers: { 'if-match': revision },
      payload: { date: new Date().toISOString().slice(0, 10), place: 'Home' },
    });
    expect(planOf(died).status).toBe('closed');
    const superseded = await eventually(
      () => (pointersOf(nhsNumber).every((pointer) => pointer.status === 'superseded') ? pointersOf(nhsNumber) : undefined),
      10_000,
      'superseded pointers',
    );
    // The closing event names no pathway: the pathway's type is superseded with the display kept with the pointer.
    expect(superseded.find((pointer) => pointer.type.code === '736253002')?.type.display).toBe('Mental health crisis plan');
  });

  it('keeps every change while the locator is unreachable and makes it once it answers again, in order', async () => {
    nrl.failing = new Error('NRL unavailable');
    const first = nextTestNhsNumber();
    const second = nextTestNhsNumber();
    await publishedPlan(kit, first, { respect: RESPECT });
    await publishedPlan(kit, second, { contacts: 'example' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pointersOf(first)).toEqual([]);
    nrl.failing = undefined;
    await eventually(() => (pointersOf(second).length === 1 ? true : undefined), 15_000, 'the second plan’s pointer');
    const order = nrl.log.filter((entry) => [first, second].includes(entry.pointer.nhsNumber)).map((entry) => entry.pointer.nhsNumber);
    expect(order).toEqual([first, first, second]);
  });
});
