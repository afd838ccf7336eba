import { describe, expect, it } from 'vitest';
import type { WebTemplate } from '../../openehr/template/index.js';
import { diffFlat } from './flat-diff.js';
import { labelOfFlatPath } from './flat-fields.js';

const webTemplate: WebTemplate = {
  templateId: 't',
  version: '2.3',
  defaultLanguage: 'en',
  languages: ['en'],
  tree: {
    id: 'plan',
    rmType: 'COMPOSITION',
    min: 1,
    max: 1,
    children: [
      {
        id: 'cpr',
        name: 'CPR decision',
        rmType: 'EVALUATION',
        min: 0,
        max: -1,
        children: [{ id: 'decision', localizedName: 'Decision', rmType: 'ELEMENT', min: 1, max: 1 }],
      },
    ],
  },
};

describe('the plan diff', () => {
  it('compares data values, not their FLAT keys, labelled as the form labels them', () => {
    const before = {
      'plan/cpr:0/decision|code': 'at0004',
      'plan/cpr:0/decision|value': 'For CPR',
      'plan/cpr:0/decision|terminology': 'local',
      'plan/cpr:0/decision/_mapping:0|match': '=',
      'plan/cpr:0/decision/_mapping:0/target|code': '450475007',
      'plan/language|code': 'en',
    };
    const after = {
      'plan/cpr:0/decision|code': 'at0005',
      'plan/cpr:0/decision|value': 'Not for CPR',
      'plan/cpr:0/decision/_mapping:0|match': '=',
      'plan/cpr:0/decision/_mapping:0/target|code': '450476008',
      'plan/cpr:1/decision|value': 'Second',
      'plan/language|code': 'de',
      'ctx/composer_name': 'X',
    };
    const changes = diffFlat(before, after, (path) => labelOfFlatPath(webTemplate, path));
    expect(changes).toEqual([
      { path: 'plan/cpr:0/decision', label: 'CPR decision › Decision', change: 'changed', before: 'For CPR', after: 'Not for CPR' },
      { path: 'plan/cpr:1/decision', label: 'CPR decision #2 › Decision', change: 'added', before: undefined, after: 'Second' },
    ]);
    expect(diffFlat(after, undefined, (path) => path).map((change) => change.change)).toEqual(['removed', 'removed']);
    expect(diffFlat(before, before, (path) => path)).toEqual([]);
  });
});
