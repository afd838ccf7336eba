import { describe, expect, it } from 'vitest';
import { MENTAL_HEALTH_CRISIS_PATHWAY } from '../demo/demo-pathways.js';
import { rewriteModulePaths } from './pathway-path-moves.js';

const PLAN = 'mental_health_crisis_plan/crisis_plan';
const UNDER_A_TEAM = `${PLAN}/under_a_crisis_or_community_mental_health_team`;
const CONTACT = `${PLAN}/crisis_team_contact`;
const module = MENTAL_HEALTH_CRISIS_PATHWAY.modules[0];
if (!module) throw new Error('the fifth pathway has its module');

describe("rewriting a module's bindings to the FLAT paths a template revision moved", () => {
  it('rewrites rule conditions and actions, help, labels, hidden fields and prefills, and lists what it rewrote', () => {
    const bound = {
      ...module,
      form: { ...module.form, labels: { [CONTACT]: 'Crisis line' }, hidden: [`${PLAN}/risks`] },
    };
    const revisions = [
      { moves: [{ from: UNDER_A_TEAM, to: `${PLAN}/under_a_crisis_team` }] },
      {
        moves: [
          { from: CONTACT, to: `${PLAN}/crisis_contact` },
          { from: `${PLAN}/risks`, to: `${PLAN}/known_risks` },
        ],
      },
      // A path moved twice ends at the last.
      { moves: [{ from: `${PLAN}/crisis_contact`, to: `${PLAN}/crisis_line` }] },
    ];
    const { module: rewritten, rewritten: list } = rewriteModulePaths(bound, revisions, () => false);
    expect(rewritten.rules?.[0]).toEqual({
      ...bound.rules?.[0],
      when: { '==': [{ var: `${PLAN}/under_a_crisis_team` }, true] },
      then: [{ show: `${PLAN}/crisis_line` }, { require: `${PLAN}/crisis_line` }],
    });
    expect(Object.keys(rewritten.form?.help ?? {})).toEqual([`${PLAN}/what_helps`, `${PLAN}/crisis_line`]);
    expect(rewritten.form?.labels).toEqual({ [`${PLAN}/crisis_line`]: 'Crisis line' });
    expect(rewritten.form?.hidden).toEqual([`${PLAN}/known_risks`]);
    expect(rewritten.prefill).toEqual(bound.prefill);
    expect(list).toEqual([
      { module: module.id, from: CONTACT, to: `${PLAN}/crisis_line` },
      { module: module.id, from: `${PLAN}/risks`, to: `${PLAN}/known_risks` },
      { module: module.id, from: UNDER_A_TEAM, to: `${PLAN}/under_a_crisis_team` },
    ]);
  });

  it('leaves a path the current template has again alone, and a module no move touches as it was', () => {
    const revisions = [{ moves: [{ from: UNDER_A_TEAM, to: `${PLAN}/under_a_crisis_team` }] }];
    const again = rewriteModulePaths(module, revisions, (path) => path === UNDER_A_TEAM);
    expect(again.rewritten).toEqual([]);
    expect(again.module).toEqual(module);
    const untouched = rewriteModulePaths(module, [{ moves: [{ from: `${PLAN}/other`, to: `${PLAN}/elsewhere` }] }], () => false);
    expect(untouched).toEqual({ module, rewritten: [] });
  });
});
