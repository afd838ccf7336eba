import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../support/test-database.js';
import { createPlanTestKit, HOSPICE, type PlanTestKit } from '../careplan/care-plan-test-kit.js';

type Request = (options: InjectOptions) => Promise<LightMyRequestResponse>;

interface CatalogueNode {
  key: string;
  rmType: string;
  text: string;
  valueType?: string;
  children?: CatalogueNode[];
}
interface CatalogueArchetype {
  archetypeId: string;
  rmType: string;
  text: string;
  local: boolean;
  usedBy: string[];
  nodes: CatalogueNode[];
}
interface TreeNode {
  path: string;
  name: string;
  rmType: string;
  min: number;
  max: number;
  valueType?: string;
  children: TreeNode[];
}

const CARE_PLAN = 'openEHR-EHR-COMPOSITION.care_plan.v0';
const CRISIS = 'openEHR-EHR-EVALUATION.ucp_mental_health_crisis_plan.v0';
const HEALTH_RISK = 'openEHR-EHR-EVALUATION.health_risk.v1';
const TEMPLATE = 'UCP - Crisis plan from archetypes.v1';
const COMPOSER = `/api/designer/templates/${encodeURIComponent(TEMPLATE)}`;

const NEW_TEMPLATE = {
  templateId: TEMPLATE,
  name: 'Crisis plan',
  purpose: 'A short mental health crisis plan, made in the composer.',
  composition: CARE_PLAN,
  entries: [{ archetypeId: CRISIS, nodes: ['at0002', 'at0004', 'at0008'] }],
};

describe(`a new template from the bundled archetypes on ${backend}`, () => {
  let kit: PlanTestKit;
  let designer: Request;
  let clinician: Request;
  const templateIds = async (): Promise<string[]> =>
    (await designer({ method: 'GET', url: '/api/designer/templates' }))
      .json<{ templates: { templateId: string }[] }>()
      .templates.map((template) => template.templateId);
  const create = (payload: Record<string, unknown>): Promise<LightMyRequestResponse> =>
    designer({ method: 'POST', url: '/api/designer/templates', payload });

  beforeAll(async () => {
    kit = await createPlanTestKit();
    designer = await kit.as(['clinical-designer'], HOSPICE);
    clinician = await kit.as(['clinician'], HOSPICE);
  }, 120_000);
  afterAll(() => kit.close());

  it('lists the archetypes of the shipped descriptions, CKM and local, with their nodes', async () => {
    const response = await designer({ method: 'GET', url: '/api/designer/archetypes' });
    expect(response.statusCode, response.body).toBe(200);
    const archetypes = response.json<{ archetypes: CatalogueArchetype[] }>().archetypes;
    expect(archetypes[0]).toMatchObject({ archetypeId: CARE_PLAN, rmType: 'COMPOSITION', local: false });
    const crisis = archetypes.find((archetype) => archetype.archetypeId === CRISIS);
    expect(crisis).toMatchObject({ rmType: 'EVALUATION', local: true, usedBy: ['UCP - Mental health crisis plan.v1'] });
    expect(crisis?.nodes).toHaveLength(9);
    expect(crisis?.nodes).toContainEqual(
      expect.objectContaining({
        key: 'at0008',
        rmType: 'ELEMENT',
        text: 'Under a crisis or community mental health team',
        valueType: 'DV_BOOLEAN',
      }),
    );
    // A CKM archetype keeps its own text, not a template's rename ("Delirium risk").
    expect(archetypes.find((archetype) => archetype.archetypeId === HEALTH_RISK)).toMatchObject({
      text: 'Health risk assessment',
      local: false,
    });
    // A CLUSTER archetype several templates use carries the union of their nodes, each once.
    const person = archetypes.find((archetype) => archetype.archetypeId === 'openEHR-EHR-CLUSTER.person.v1');
    const keys = person?.nodes.map((node) => node.key) ?? [];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('openEHR-EHR-CLUSTER.organisation.v1');
  });

  it('refuses a bad choice with every problem at its path, and stores nothing', async () => {
    const before = await templateIds();
    const response = await create({
      ...NEW_TEMPLATE,
      composition: CRISIS,
      entries: [
        { archetypeId: CARE_PLAN },
        { archetypeId: CRISIS, nodes: ['at0002', 'at9999', 'at0002'] },
        { archetypeId: CRISIS },
        { archetypeId: 'openEHR-EHR-EVALUATION.nowhere.v1' },
      ],
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const paths = response.json<{ errors: { path: string; message: string }[] }>().errors.map((error) => error.path);
    expect(paths.sort()).toEqual([
      '/composition',
      '/entries/0/archetypeId',
      '/entries/1/nodes/1',
      '/entries/1/nodes/2',
      '/entries/2/archetypeId',
      '/entries/3/archetypeId',
    ]);
    // The shape is checked first: a template id without its version, an unknown field.
    const shape = await create({ ...NEW_TEMPLATE, templateId: 'No version', colour: 'blue' });
    expect(shape.statusCode).toBe(400);
    expect(shape.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await templateIds()).toEqual(before);
  });

  it('is for designers only', async () => {
    expect((await clinician({ method: 'GET', url: '/api/designer/archetypes' })).statusCode).toBe(403);
    const refused = await clinician({ method: 'POST', url: '/api/designer/templates', payload: NEW_TEMPLATE });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await templateIds()).not.toContain(TEMPLATE);
  });

  it('makes a template of the chosen nodes, which the composer then revises and a pathway can use', async () => {
    const response = await create(NEW_TEMPLATE);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ revision: { templateId: TEMPLATE, version: 1, current: true } });
    const audited = await kit.test.database.db.query<{ action: string; step: string }>(
      `SELECT action, detail->>'step' AS step FROM audit_log WHERE resource_type = 'template' AND resource_id = $1`,
      [`${TEMPLATE}/1`],
    );
    expect(audited.rows).toEqual([{ action: 'create', step: 'upload' }]);

    const tree = (await designer({ method: 'GET', url: `${COMPOSER}/tree` })).json<{ composable: boolean; tree: TreeNode }>();
    expect(tree.composable).toBe(true);
    expect(tree.tree.name).toBe('Crisis plan');
    const entry = tree.tree.children[0];
    expect(entry?.path).toBe('crisis_plan/crisis_plan');
    expect(entry?.children.map((node) => [node.name, node.valueType])).toEqual([
      ['Early warning signs', 'DV_TEXT'],
      ['What helps', 'DV_TEXT'],
      ['Under a crisis or community mental health team', 'DV_BOOLEAN'],
    ]);
    const description = (await designer({ method: 'GET', url: `${COMPOSER}/description` })).json<{
      description: { localArchetypes: string[] };
    }>();
    expect(description.description.localArchetypes).toEqual([CRISIS]);

    // The composer revises it: a node of the archetype added, another renamed (no plan holds data yet).
    const revised = await designer({
      method: 'POST',
      url: `${COMPOSER}/revisions`,
      payload: {
        edits: [
          {
            op: 'add',
            parent: 'crisis_plan/crisis_plan',
            node: {
              rmType: 'ELEMENT',
              code: 'at0009',
              text: 'Crisis team contact',
              description: 'The team to call.',
              occurrences: '0..1',
              value: { type: 'DV_TEXT' },
            },
          },
          { op: 'rename', path: 'crisis_plan/crisis_plan/early_warning_signs', name: 'Warning signs' },
        ],
      },
    });
    expect(revised.statusCode, revised.body).toBe(201);
    const after = (await designer({ method: 'GET', url: `${COMPOSER}/tree` })).json<{ version: number; tree: TreeNode }>();
    expect(after.version).toBe(2);
    expect(after.tree.children[0]?.children.map((node) => node.path)).toEqual([
      'crisis_plan/crisis_plan/warning_signs',
      'crisis_plan/crisis_plan/what_helps',
      'crisis_plan/crisis_plan/under_a_crisis_or_community_mental_health_team',
      'crisis_plan/crisis_plan/crisis_team_contact',
    ]);

    // The form it generates, for a pathway draft on it before any pathway using it is published.
    const form = await designer({ method: 'GET', url: `${COMPOSER}/form` });
    expect(form.statusCode, form.body).toBe(200);
    expect(JSON.stringify(form.json())).toContain('crisis_plan/crisis_plan/crisis_team_contact');

    // Its id is taken now.
    const again = await create(NEW_TEMPLATE);
    expect(again.statusCode).toBe(409);
    expect((await designer({ method: 'GET', url: `${COMPOSER}/revisions` })).json<{ revisions: unknown[] }>().revisions).toHaveLength(2);

    // A pathway draft on the new template: the template is known, its field paths check.
    const draft = await designer({
      method: 'POST',
      url: '/api/designer/pathways',
      payload: {
        definition: {
          id: 'crisis-from-archetypes',
          title: 'Crisis plan from archetypes',
          description: 'A pathway on the composed template.',
          approval: 'clinician',
          reviewMaxMonths: 6,
          modules: [
            {
              id: 'crisis-from-archetypes',
              title: 'Crisis plan',
              templateId: TEMPLATE,
              kind: 'clinical',
              seniorDecision: false,
              form: { help: { 'crisis_plan/crisis_plan/crisis_team_contact': 'A number answered day and night.' } },
            },
          ],
        },
        safetyNotes: [],
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json<{ problems: unknown[] }>().problems).toEqual([]);
  });
});
