import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCaller } from '../../src/access/caller.js';
import { loadUcpTemplates } from '../../src/careplan/pathway/load-pathways.js';
import { MENTAL_HEALTH_CRISIS_PATHWAY, seedDemoPathways } from '../../src/demo/demo-pathways.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { compileTemplate } from '../../src/openehr/template-builder/index.js';
import { backend } from '../support/test-database.js';
import { createPlanTestKit, GP, HOSPICE, NOT_FOR_CPR, publishedPlan, type PlanTestKit } from '../careplan/care-plan-test-kit.js';

type Request = (options: InjectOptions) => Promise<LightMyRequestResponse>;
interface Revision {
  templateId: string;
  version: number;
  current: boolean;
  uploadedBy: { id: string; name: string } | null;
}
interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

interface Description {
  root: { content: { items: { text: string }[] }[] };
}

const TEMPLATE = 'UCP - Mental health crisis plan.v1';
const API = '/openehr/v1';
const OPT_URL = `${API}/definition/template/adl1.4/${encodeURIComponent(TEMPLATE)}`;
const COMPOSER = `/api/designer/templates/${encodeURIComponent(TEMPLATE)}`;
const PLAN = 'mental_health_crisis_plan/crisis_plan';
const WARNING_SIGNS = `${PLAN}/early_warning_signs`;
const TRIGGERS = `${PLAN}/known_triggers`;
const UNDER_A_TEAM = `${PLAN}/under_a_crisis_or_community_mental_health_team`;
const UNDER_A_TEAM_NOW = `${PLAN}/under_a_crisis_team`;

describe(`template revisions and the template composer on ${backend}`, () => {
  let kit: PlanTestKit;
  let openehr: Request;
  let designer: Request;
  let designer2: Request;
  let clinician: Request;
  let ehrId: string;
  /** The example composition (every node filled), stored as canonical JSON. */
  let full: string;
  /** The same without known triggers, stored as FLAT. */
  let withoutTriggers: string;
  /** A published care plan holding a mental health crisis plan (a third composition of the template). */
  let plan: string;
  const planContent = { [`${PLAN}/what_helps`]: 'A quiet room and time with her sister' };
  const readPlan = async () =>
    (await clinician({ method: 'GET', url: `/api/care-plans/${plan}` })).json<{
      modules: { moduleId: string; flat: Record<string, unknown> | null }[];
    }>();

  const revisions = async (): Promise<Revision[]> =>
    (await designer({ method: 'GET', url: `${COMPOSER}/revisions` })).json<{ revisions: Revision[] }>().revisions;
  const currentOpt = async (): Promise<string> =>
    (await openehr({ method: 'GET', url: OPT_URL, headers: { accept: 'application/xml' } })).body;
  const revise = (edits: unknown[]): Promise<LightMyRequestResponse> =>
    designer({ method: 'POST', url: `${COMPOSER}/revisions`, payload: { edits } });
  const objectId = (response: LightMyRequestResponse): string => String(response.headers['etag']).replaceAll('"', '').split('::')[0] ?? '';

  /** Refused with 409, every stored composition's breakage listed, and nothing stored. */
  const expectRefused = async (response: LightMyRequestResponse, before: { opt: string; count: number }): Promise<Problem> => {
    expect(response.statusCode, response.body).toBe(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const problem = response.json<Problem>();
    expect(problem.detail).toMatch(/would make \d+ existing composition\(s\) invalid or unreadable; it was not stored/);
    expect(await currentOpt()).toBe(before.opt);
    expect(await revisions()).toHaveLength(before.count);
    return problem;
  };

  beforeAll(async () => {
    kit = await createPlanTestKit();
    openehr = kit.test.inject;
    designer = await kit.as(['clinical-designer'], HOSPICE);
    designer2 = await kit.as(['clinical-designer'], GP);
    clinician = await kit.as(['clinician'], HOSPICE);
    ehrId = String((await openehr({ method: 'POST', url: `${API}/ehr` })).headers['location']).split('/ehr/')[1] ?? '';
    const example = (await openehr({ method: 'GET', url: `${OPT_URL}/example` })).json<Record<string, unknown>>();
    const created = await openehr({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition`,
      payload: example,
      headers: { prefer: 'return=minimal' },
    });
    expect(created.statusCode, created.body).toBe(201);
    full = objectId(created);
    const flat = (await openehr({ method: 'GET', url: `${OPT_URL}/example?format=FLAT` })).json<Record<string, unknown>>();
    const partial = Object.fromEntries(Object.entries(flat).filter(([key]) => !key.startsWith(TRIGGERS)));
    const second = await openehr({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition?templateId=${encodeURIComponent(TEMPLATE)}&format=FLAT`,
      payload: partial,
    });
    expect(second.statusCode, second.body).toBe(201);
    withoutTriggers = objectId(second);
    const asDesigner = (id: string) =>
      clientCaller({ clientId: id, organisation: undefined, roles: ['clinical-designer'], scopes: ['admin'] });
    await seedDemoPathways(kit.test.services.pathwayDesign, { author: asDesigner('designer'), reviewer: asDesigner('designer2') });
    plan = (
      await publishedPlan(kit, nextTestNhsNumber(), { respect: NOT_FOR_CPR, 'mental-health-crisis-plan': planContent }, [
        'mental-health-crisis',
      ])
    ).ehrId;
  }, 120_000);
  afterAll(() => kit.close());

  it('is for designers only', async () => {
    expect((await clinician({ method: 'GET', url: '/api/designer/templates' })).statusCode).toBe(403);
    expect(
      (await clinician({ method: 'POST', url: `${COMPOSER}/revisions`, payload: { edits: [{ op: 'remove', path: WARNING_SIGNS }] } }))
        .statusCode,
    ).toBe(403);
    const list = (await designer({ method: 'GET', url: '/api/designer/templates' })).json<{ templates: Revision[] }>().templates;
    expect(list).toContainEqual(expect.objectContaining({ templateId: TEMPLATE, version: 1, current: true }));
  });

  it('refuses a revision that would orphan stored data, listing what breaks, and changes nothing', async () => {
    const before = { opt: await currentOpt(), count: (await revisions()).length };

    // Removing an optional node both compositions hold: each would hold a node the template lacks.
    const removed = await expectRefused(await revise([{ op: 'remove', path: WARNING_SIGNS }]), before);
    const removedPaths = (removed.errors ?? []).map((error) => error.path);
    expect(removedPaths.some((path) => path.startsWith(`composition ${full}/content`))).toBe(true);
    expect(removedPaths.some((path) => path.startsWith(`composition ${withoutTriggers}/content`))).toBe(true);

    // Making known triggers required breaks only the composition without them.
    const tightened = await expectRefused(await revise([{ op: 'occurrences', path: TRIGGERS, occurrences: '1..1' }]), before);
    expect(tightened.detail).toMatch(/would make 1 existing composition/);
    expect((tightened.errors ?? []).every((error) => error.path.startsWith(`composition ${withoutTriggers}`))).toBe(true);

    // A rename moves the node's FLAT path; stored data would no longer be found at it.
    const renamed = await expectRefused(await revise([{ op: 'rename', path: WARNING_SIGNS, name: 'Warning signs' }]), before);
    expect(renamed.errors).toContainEqual({
      path: `composition ${full} ${WARNING_SIGNS}`,
      message: expect.stringContaining(`would move to ${PLAN}/warning_signs`),
    });

    // An OPT uploaded through the openEHR API is checked the same way, and refused in its error format.
    const description = (await designer({ method: 'GET', url: `${COMPOSER}/description` })).json<{
      version: number;
      description: Description;
    }>();
    expect(description.version).toBe(1);
    const entry = description.description.root.content[0];
    entry?.items.splice(
      entry.items.findIndex((item) => item.text === 'Early warning signs'),
      1,
    );
    const upload = await openehr({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      payload: compileTemplate(description.description),
    });
    expect(upload.statusCode, upload.body).toBe(409);
    const body = upload.json<{ message: string; validationErrors: string[] }>();
    expect(body.message).toMatch(/would make 3 existing composition/);
    expect(body.validationErrors.join('\n')).toContain(`composition ${full}/content`);
    expect(await currentOpt()).toBe(before.opt);
    expect(await revisions()).toHaveLength(before.count);
  });

  it('refuses edits it cannot apply with 422, changing nothing', async () => {
    const before = (await revisions()).length;
    const response = await revise([
      { op: 'remove', path: `${PLAN}/no_such_node` },
      {
        op: 'add',
        parent: PLAN,
        node: { rmType: 'ELEMENT', code: 'at0050', text: 'Required', description: 'x', occurrences: '1..1', value: { type: 'DV_TEXT' } },
      },
    ]);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json<Problem>().errors?.map((error) => error.path)).toEqual(['/edits/0', '/edits/1']);
    expect(await revisions()).toHaveLength(before);
  });

  it('accepts an additive revision: old compositions still validate and read, and new ones use the new node', async () => {
    const v1 = await currentOpt();
    const added = await revise([
      {
        op: 'add',
        parent: PLAN,
        node: {
          rmType: 'ELEMENT',
          code: 'at0050',
          text: 'Carer view',
          description: 'What the carer says helps.',
          value: { type: 'DV_TEXT' },
        },
      },
    ]);
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ revision: { version: 2, current: true, uploadedBy: { id: expect.any(String) } }, revisedFrom: 1 });

    // A node nobody has used yet may be renamed: its FLAT path moves, but no data is there.
    const renamed = await revise([{ op: 'rename', path: `${PLAN}/carer_view`, name: 'Family view' }]);
    expect(renamed.statusCode, renamed.body).toBe(201);
    expect(renamed.json()).toMatchObject({ revision: { version: 3 }, revisedFrom: 2 });

    // Every revision is kept, with who uploaded it; the first is still retrievable.
    const history = await revisions();
    expect(history.map((revision) => [revision.version, revision.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(history[0]?.uploadedBy).toEqual(history[1]?.uploadedBy);
    expect((await openehr({ method: 'GET', url: `${OPT_URL}?version=1`, headers: { accept: 'application/xml' } })).body).toBe(v1);
    const { rows } = await kit.test.database.db.query<{ resource_id: string; action: string }>(
      "SELECT resource_id, action FROM audit_log WHERE resource_type = 'template' ORDER BY seq",
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { resource_id: `${TEMPLATE}/2`, action: 'update' },
        { resource_id: `${TEMPLATE}/3`, action: 'update' },
      ]),
    );

    // A restart installs the shipped templates again: the shipped file is revision 1, already stored, so the designer's stays current.
    expect(await loadUcpTemplates(kit.test.services.openehr.templates)).toEqual([]);

    // The old compositions validate against the current revision and read as canonical JSON and FLAT.
    const current = await kit.test.services.openehr.templates.get(TEMPLATE);
    expect(current.version).toBe(3);
    for (const uid of [full, withoutTriggers]) {
      const canonical = await openehr({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${uid}` });
      expect(canonical.statusCode).toBe(200);
      expect(current.validate(canonical.json())).toEqual([]);
      const flat = await openehr({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${uid}?format=FLAT` });
      expect(flat.statusCode, flat.body).toBe(200);
      expect(Object.keys(flat.json<object>()).some((key) => key.startsWith(WARNING_SIGNS))).toBe(true);
    }

    // The published care plan reads as before, through the care plan API (FLAT with the current revision).
    expect((await readPlan()).modules.find((module) => module.moduleId === 'mental-health-crisis-plan')?.flat).toMatchObject(planContent);

    // A new composition using the new node saves, and reads back with it.
    const flat = (await openehr({ method: 'GET', url: `${OPT_URL}/example?format=FLAT` })).json<Record<string, unknown>>();
    expect(Object.keys(flat).some((key) => key.startsWith(`${PLAN}/family_view`))).toBe(true);
    const created = await openehr({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition?templateId=${encodeURIComponent(TEMPLATE)}&format=FLAT`,
      payload: { ...flat, [`${PLAN}/family_view`]: 'Their sister says a quiet room helps.' },
      headers: { prefer: 'return=minimal' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const read = await openehr({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${objectId(created)}?format=FLAT` });
    expect(read.json<Record<string, unknown>>()[`${PLAN}/family_view`]).toBe('Their sister says a quiet room helps.');
  });

  it('lets a pathway version name the template revision it was built on, and only one that exists', async () => {
    const draft = (templateVersion: number) => ({
      definition: {
        ...MENTAL_HEALTH_CRISIS_PATHWAY,
        modules: MENTAL_HEALTH_CRISIS_PATHWAY.modules.map((module) => ({ ...module, templateVersion })),
      },
    });
    const versions = '/api/designer/pathways/mental-health-crisis/versions';
    const unknown = await designer({ method: 'POST', url: versions, payload: draft(99) });
    expect(unknown.statusCode, unknown.body).toBe(201);
    expect(unknown.json<{ problems: { path: string }[] }>().problems).toContainEqual(
      expect.objectContaining({ path: '/modules/0/templateVersion' }),
    );
    const { version } = unknown.json<{ version: number }>();
    const named = await designer({ method: 'PUT', url: `${versions}/${version}`, payload: draft(3) });
    expect(named.statusCode, named.body).toBe(200);
    expect(named.json<{ problems: { path: string }[] }>().problems).toEqual([]);
  });

  it('accepts a rename of a node holding data only with its path map: old compositions read at the new path, and the next pathway draft follows it', async () => {
    // The draft naming revision 3 (above) is published first: its rule binds the node renamed below.
    const versions = '/api/designer/pathways/mental-health-crisis/versions';
    const open = (await designer({ method: 'GET', url: '/api/designer/pathways/mental-health-crisis' })).json<{
      versions: { version: number; status: string; definition: typeof MENTAL_HEALTH_CRISIS_PATHWAY }[];
    }>().versions[0];
    expect(open?.status).toBe('draft');
    const v = open?.version ?? 0;
    const notes = [{ hazard: 'The crisis team is not called.', controls: 'Its contact is required when the person is under one.' }];
    expect(
      (await designer({ method: 'PUT', url: `${versions}/${v}`, payload: { definition: open?.definition, safetyNotes: notes } }))
        .statusCode,
    ).toBe(200);
    expect((await designer({ method: 'POST', url: `${versions}/${v}/submit` })).statusCode).toBe(200);
    expect((await designer2({ method: 'POST', url: `${versions}/${v}/review`, payload: { outcome: 'approve' } })).statusCode).toBe(200);
    const published = await designer2({ method: 'POST', url: `${versions}/${v}/publish` });
    expect(published.statusCode, published.body).toBe(200);

    const flatOf = async (uid: string) =>
      (await openehr({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${uid}?format=FLAT` })).json<Record<string, unknown>>();
    const before = await flatOf(full);
    const held = Object.entries(before).filter(([key]) => key.startsWith(UNDER_A_TEAM));
    expect(held.length).toBeGreaterThan(0);
    const count = (await revisions()).length;
    const rename = [{ op: 'rename', path: UNDER_A_TEAM, name: 'Under a crisis team' }];

    // Without the map: refused, naming the path that holds data and where it would move.
    const refused = await expectRefused(await revise(rename), { opt: await currentOpt(), count });
    expect(refused.errors).toContainEqual({
      path: `composition ${full} ${UNDER_A_TEAM}`,
      message: expect.stringContaining(`would move to ${UNDER_A_TEAM_NOW}`),
    });

    // A map that does not say what the revision moves: 422, nothing stored.
    const wrong = await designer({
      method: 'POST',
      url: `${COMPOSER}/revisions`,
      payload: { edits: rename, pathMap: [{ from: UNDER_A_TEAM, to: `${PLAN}/elsewhere` }] },
    });
    expect(wrong.statusCode, wrong.body).toBe(422);
    expect(wrong.json<Problem>().errors?.map((error) => error.path)).toEqual(['/pathMap/0', '/pathMap/0']);
    expect(await revisions()).toHaveLength(count);

    // With the map: accepted and kept with the revision.
    const pathMap = [{ from: UNDER_A_TEAM, to: UNDER_A_TEAM_NOW }];
    const accepted = await designer({ method: 'POST', url: `${COMPOSER}/revisions`, payload: { edits: rename, pathMap } });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ revision: { version: count + 1, pathMap }, revisedFrom: count });
    expect((await revisions())[0]).toMatchObject({ version: count + 1, current: true, pathMap });

    // Every stored composition still validates, and reads through FLAT with its data at the new path.
    const current = await kit.test.services.openehr.templates.get(TEMPLATE);
    const after = await flatOf(full);
    for (const [key, value] of held) expect(after[key.replace(UNDER_A_TEAM, UNDER_A_TEAM_NOW)]).toEqual(value);
    expect(Object.keys(after).some((key) => key.startsWith(UNDER_A_TEAM))).toBe(false);
    for (const uid of [full, withoutTriggers]) {
      const canonical = await openehr({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${uid}` });
      expect(current.validate(canonical.json())).toEqual([]);
    }
    expect((await readPlan()).modules.find((module) => module.moduleId === 'mental-health-crisis-plan')?.flat).toMatchObject(planContent);

    // A client still writing FLAT with the old path keeps working: its data is stored at the new one.
    const written = await openehr({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition?templateId=${encodeURIComponent(TEMPLATE)}&format=FLAT`,
      payload: { ...Object.fromEntries(Object.entries(after).filter(([key]) => !key.startsWith(UNDER_A_TEAM_NOW))), [UNDER_A_TEAM]: false },
      headers: { prefer: 'return=minimal' },
    });
    expect(written.statusCode, written.body).toBe(201);
    expect((await flatOf(objectId(written)))[UNDER_A_TEAM_NOW]).toBe(false);

    // The next draft of the pathway follows the move: its rule names the new path, on the new revision.
    const draft = await designer({ method: 'POST', url: versions, payload: { fromVersion: v } });
    expect(draft.statusCode, draft.body).toBe(201);
    const copied = draft.json<{ version: number; definition: typeof MENTAL_HEALTH_CRISIS_PATHWAY; problems: unknown[] }>();
    const module = copied.definition.modules[0];
    expect(module?.rules?.[0]?.when).toEqual({ '==': [{ var: UNDER_A_TEAM_NOW }, true] });
    expect(module?.templateVersion).toBe(count + 1);
    expect(copied.problems).toEqual([]);
    const { rows } = await kit.test.database.db.query<{ detail: { movedPaths?: unknown } }>(
      "SELECT detail FROM audit_log WHERE resource_type = 'pathway-version' AND resource_id = $1 AND action = 'create'",
      [`mental-health-crisis/${copied.version}`],
    );
    expect(rows[0]?.detail.movedPaths).toEqual([{ module: 'mental-health-crisis-plan', from: UNDER_A_TEAM, to: UNDER_A_TEAM_NOW }]);
  });
});
