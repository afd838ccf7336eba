import { beforeAll, describe, expect, it } from 'vitest';
import { buildFormDefinition } from '../careplan/pathway/form-definition.js';
import { readShippedPathways, readUcpTemplates } from '../careplan/pathway/load-pathways.js';
import type { PathwayDefinition } from '../careplan/pathway/pathway-definition.js';
import { MENTAL_HEALTH_CRISIS_PATHWAY } from '../demo/demo-pathways.js';
import type { WebTemplate, WebTemplateNode } from '../openehr/template/web-template-model.js';
import { describeVersionChanges, type FormOf } from './pathway-diff-words.js';

const PLAN = 'mental_health_crisis_plan/crisis_plan';
const MODULE = '/definition/modules/mental-health-crisis-plan';
const FRAILTY_PLAN = 'frailty/frailty_response_plan';
const NOTES = [{ hazard: 'A crew does not reach the crisis team.', controls: 'The contact is required.' }];

let webTemplates: Map<string, WebTemplate>;
/** The forms of the shipped templates, each revision 1; revision 2 of the frailty template is `frailtyV2`. */
let formOf: FormOf;
let frailtyV2: WebTemplate;

const described = (before: unknown, after: unknown, notes: { before?: unknown; after?: unknown } = {}) =>
  describeVersionChanges(
    { definition: before, safetyNotes: notes.before ?? NOTES },
    { definition: after, safetyNotes: notes.after ?? NOTES },
    formOf,
  ).map(({ path, description }) => ({ path, description }));

/** A copy of the mental health crisis pathway with its one module changed. */
function crisisWith(change: (module: PathwayDefinition['modules'][number]) => void, pathway: Partial<PathwayDefinition> = {}) {
  const copy = structuredClone({ ...MENTAL_HEALTH_CRISIS_PATHWAY, ...pathway });
  const [module] = copy.modules;
  if (module) change(module);
  return copy;
}

beforeAll(async () => {
  webTemplates = new Map([...(await readUcpTemplates())].map(([id, template]) => [id, template.webTemplate]));
  // The frailty template's next revision, as the composer would make it: a node renamed away
  // (its path gone), a field added, and one more allowed value for the preferred response.
  const frailty = structuredClone(webTemplates.get('UCP - Frailty.v1') as WebTemplate);
  const visit = (node: WebTemplateNode): void => {
    for (const child of node.children ?? []) visit(child);
    if (node.id === 'usual_cognition') node.id = 'cognition';
    const list = node.inputs?.find((input) => input.list?.some((entry) => entry.label === 'Hospital assessment'))?.list;
    list?.push({ value: 'at0014', label: 'Call the GP first' });
  };
  visit(frailty.tree);
  frailtyV2 = frailty;
  formOf = ({ templateId, templateVersion, labels }) => {
    const webTemplate = templateId === 'UCP - Frailty.v1' && templateVersion === 2 ? frailtyV2 : webTemplates.get(templateId);
    return webTemplate ? buildFormDefinition(webTemplate, { labels }) : undefined;
  };
});

describe('the reviewer’s diff in plain words', () => {
  it('finds nothing between each shipped pathway, or the fifth, and its copy', async () => {
    const pathways = [...(await readShippedPathways()), MENTAL_HEALTH_CRISIS_PATHWAY];
    expect(pathways.length).toBeGreaterThanOrEqual(5);
    for (const pathway of pathways) expect(described(pathway, structuredClone(pathway))).toEqual([]);
  });

  it('names a field by its module, section and label, and says what happened to its label, help, visibility and requirement', () => {
    const after = crisisWith((module) => {
      module.form = {
        labels: { [`${PLAN}/preferred_place_of_safety`]: 'Where they feel safe' },
        help: { [`${PLAN}/what_helps`]: 'In their own words.' },
        hidden: [`${PLAN}/risks`],
      };
      module.rules = [
        ...(module.rules ?? []),
        {
          id: 'required-fields',
          description: 'Fields the plan must have',
          when: { '!!': [true] },
          then: [{ require: `${PLAN}/known_triggers` }],
        },
      ];
    });
    const section = 'Module ‘Mental health crisis plan’ › section ‘Crisis plan’';
    expect(described(MENTAL_HEALTH_CRISIS_PATHWAY, after)).toEqual([
      {
        path: `${MODULE}/form/help/mental_health_crisis_plan~1crisis_plan~1crisis_team_contact`,
        description: `${section} › field ‘Crisis team contact’: help text ‘A number that is answered day and night, and the team’s name.’ removed`,
      },
      {
        path: `${MODULE}/form/help/mental_health_crisis_plan~1crisis_plan~1what_helps`,
        description: `${section} › field ‘What helps’: help text changed from ‘In the person's own words where you can.’ to ‘In their own words.’`,
      },
      {
        path: `${MODULE}/form/labels/mental_health_crisis_plan~1crisis_plan~1preferred_place_of_safety`,
        description: `${section} › field ‘Preferred place of safety’: label changed from ‘Preferred place of safety’ (the template’s) to ‘Where they feel safe’`,
      },
      {
        path: `${MODULE}/form/hidden/mental_health_crisis_plan~1crisis_plan~1risks`,
        description: `${section} › field ‘Risks’: hidden, left out of the form`,
      },
      {
        path: `${MODULE}/rules/required-fields/mental_health_crisis_plan~1crisis_plan~1known_triggers`,
        description: `${section} › field ‘Known triggers’: required (a clinician cannot save the section without it)`,
      },
    ]);
    // Back again: the template's label, shown again, no longer required.
    expect(described(after, MENTAL_HEALTH_CRISIS_PATHWAY).map((change) => change.description)).toEqual(
      expect.arrayContaining([
        `${section} › field ‘Where they feel safe’: label changed from ‘Where they feel safe’ back to the template’s ‘Preferred place of safety’`,
        `${section} › field ‘Risks’: shown in the form again`,
        `${section} › field ‘Known triggers’: no longer required`,
      ]),
    );
  });

  it('describes rules in the editor’s words, coded answers by their labels, and prefills by where they fill from', () => {
    const frailty = { id: 'frailty', title: 'Frailty', templateId: 'UCP - Frailty.v1', kind: 'clinical' as const, seniorDecision: false };
    const before = { ...MENTAL_HEALTH_CRISIS_PATHWAY, id: 'frailty', modules: [frailty] };
    const after = {
      ...before,
      modules: [
        {
          ...frailty,
          rules: [
            {
              id: 'rule-1',
              description: 'Say how to reach the GP when the person has dementia.',
              when: { '==': [{ var: `${FRAILTY_PLAN}/usual_cognition` }, 'at0005'] },
              then: [{ show: `${FRAILTY_PLAN}/preferred_response` }, { set: `${FRAILTY_PLAN}/preferred_response`, value: 'at0013' }],
            },
          ],
          prefill: [{ path: `${FRAILTY_PLAN}/community_response_team/name`, from: { demographics: 'gp' as const } }],
        },
      ],
    };
    const changes = described(before, after);
    expect(changes).toContainEqual({
      path: '/definition/modules/frailty/rules/rule-1',
      description:
        'Module ‘Frailty’: rule ‘rule-1’ added: When “Usual cognition” is “Dementia”: show “Preferred response”, ' +
        'set “Preferred response” to “Hospital assessment” (Say how to reach the GP when the person has dementia.)',
    });
    expect(changes).toContainEqual({
      path: '/definition/modules/frailty/prefill/0',
      description:
        'Module ‘Frailty’ › section ‘Frailty response plan’ › section ‘Community response team’ › field ‘Name’: prefilled from their registered GP practice',
    });

    // The rule changed: said as it was and as it is.
    const changed = structuredClone(after);
    const rule = changed.modules[0]?.rules?.[0];
    if (rule) rule.when = { '==': [{ var: `${FRAILTY_PLAN}/usual_cognition` }, 'at0004'] };
    expect(described(after, changed)).toEqual([
      {
        path: '/definition/modules/frailty/rules/rule-1',
        description:
          'Module ‘Frailty’: rule ‘rule-1’ changed from ‘When “Usual cognition” is “Dementia”: show “Preferred response”, set “Preferred response” to “Hospital assessment”’ ' +
          'to ‘When “Usual cognition” is “Mild cognitive impairment”: show “Preferred response”, set “Preferred response” to “Hospital assessment”’',
      },
    ]);
  });

  it('names sections added, removed and re-ordered, and pathway settings in words', async () => {
    const shipped = await readShippedPathways();
    const core = shipped.find((pathway) => pathway.core === true) as PathwayDefinition;
    const sickleCell = shipped.find((pathway) => pathway.id === 'sickle-cell') as PathwayDefinition;
    const [first, second, ...rest] = core.modules;
    if (!first || !second) throw new Error('the core pathway has at least two modules');
    const after = {
      ...core,
      approval: 'senior' as const,
      reviewMaxMonths: 6,
      modules: [second, first, ...rest.slice(1), ...sickleCell.modules],
    };
    const removed = rest[0];
    const changes = described(core, after);
    expect(changes).toEqual(
      expect.arrayContaining([
        {
          path: '/definition/approval',
          description: 'Approval of a plan changed from ‘any clinician may publish’ to ‘a senior clinician approves every version’',
        },
        { path: '/definition/reviewMaxMonths', description: 'Longest time before a plan is reviewed changed from 12 months to 6 months' },
        {
          path: '/definition/modules/sickle-cell-crisis-plan',
          description: 'Module ‘Sickle cell crisis plan’ added, template ‘UCP - Sickle cell crisis plan.v1’',
        },
        { path: `/definition/modules/${removed?.id}`, description: `Module ‘${removed?.title}’ removed` },
        {
          path: '/definition/modules#order',
          description: expect.stringMatching(
            new RegExp(
              `^Modules re-ordered: now ‘${second.title}’, ‘${first.title}’, .* \\(was ‘${first.title}’, ‘${second.title}’, .*\\)$`,
            ),
          ),
        },
      ]),
    );
    // A module added says its own settings once, in its added line: nothing else about it here.
    expect(changes.filter((change) => change.path.startsWith('/definition/modules/sickle-cell-crisis-plan'))).toHaveLength(1);
    expect(described(MENTAL_HEALTH_CRISIS_PATHWAY, { ...MENTAL_HEALTH_CRISIS_PATHWAY, recordType: undefined })).toEqual([
      {
        path: '/definition/recordType',
        description: 'National record locator type changed from ‘Mental health crisis plan’ (SNOMED CT 736253002) to none',
      },
    ]);
  });

  it('lists the fields and allowed values a new template revision brings to a module', () => {
    const frailty = { id: 'frailty', title: 'Frailty', templateId: 'UCP - Frailty.v1', kind: 'clinical' as const, seniorDecision: false };
    const before = { ...MENTAL_HEALTH_CRISIS_PATHWAY, id: 'frailty', modules: [{ ...frailty, templateVersion: 1 }] };
    const after = { ...before, modules: [{ ...frailty, templateVersion: 2 }] };
    const section = 'Module ‘Frailty’ › section ‘Frailty response plan’';
    expect(described(before, after).map((change) => change.description)).toEqual([
      'Module ‘Frailty’: template revision it is designed on changed from revision 1 to revision 2',
      `${section} › field ‘Usual cognition’: added by the template; allowed values ‘No known cognitive impairment’, ‘Mild cognitive impairment’, ‘Dementia’, ‘Not known’`,
      `${section} › field ‘Preferred response’: allowed values now ‘Stay at home with community support’, ‘Urgent community response’, ` +
        '‘Hospital only if injured or seriously unwell’, ‘Hospital assessment’, ‘Call the GP first’ (added ‘Call the GP first’)',
      `${section} › field ‘Usual cognition’: no longer in the template`,
    ]);
  });

  it('says safety notes added, removed and changed, matched by their hazard', () => {
    const notes = [
      { hazard: 'A', controls: 'Control A' },
      { hazard: 'B', controls: 'Control B' },
    ];
    const next = [
      { hazard: 'B', controls: 'Control B, reviewed yearly' },
      { hazard: 'C', controls: 'Control C' },
    ];
    expect(described(MENTAL_HEALTH_CRISIS_PATHWAY, MENTAL_HEALTH_CRISIS_PATHWAY, { before: notes, after: next })).toEqual([
      {
        path: '/safetyNotes/0/controls',
        description: 'Safety note on the hazard ‘B’: controls changed from ‘Control B’ to ‘Control B, reviewed yearly’',
      },
      { path: '/safetyNotes/1', description: 'Safety note added: hazard ‘C’, controls ‘Control C’' },
      { path: '/safetyNotes/0', description: 'Safety note removed: hazard ‘A’, controls ‘Control A’' },
    ]);
  });

  it('lists what it cannot read as a pathway (an unsound draft) leaf by leaf, at its pointer', () => {
    const unsound = { ...MENTAL_HEALTH_CRISIS_PATHWAY, modules: 'not a list', extra: { a: 1 } };
    const changes = described(MENTAL_HEALTH_CRISIS_PATHWAY, unsound);
    expect(changes).toContainEqual({ path: '/definition/extra/a', description: 'Pathway ‘extra’ (/definition/extra/a): 1 added' });
    expect(changes).toContainEqual({ path: '/definition/modules', description: 'Modules (/definition/modules): ‘not a list’ added' });
  });
});
