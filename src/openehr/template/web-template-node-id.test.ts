import { describe, expect, it } from 'vitest';
import type { WebTemplateNode } from './web-template-model.js';
import { makeSiblingIdsUnique, webTemplateNodeId } from './web-template-node-id.js';

describe('webTemplateNodeId', () => {
  it.each([
    ['Test all types', 'test_all_types'],
    ['Kategorie (LOINC)', 'kategorie_loinc'],
    ['What I most fear / wish to avoid', 'what_i_most_fear_wish_to_avoid'],
    ['If no, in what way does this person lack capacity?', 'if_no_in_what_way_does_this_person_lack_capacity'],
    ['Labortest-Bezeichnung', 'labortest-bezeichnung'],
    ['Tägliche Dosierung', 'tägliche_dosierung'],
    ['2. Shared understanding', 'a2._shared_understanding'],
    ['24 hour average', 'a24_hour_average'],
    ['  (padded)  ', 'padded'],
    ['???', 'node'],
  ])('%s -> %s', (name, id) => {
    expect(webTemplateNodeId(name)).toBe(id);
  });
});

describe('makeSiblingIdsUnique', () => {
  it('numbers repeated ids from 2 in document order', () => {
    const node = (id: string): WebTemplateNode => ({ id, rmType: 'ELEMENT', min: 0, max: 1, aqlPath: '' });
    const siblings = ['time', 'subject', 'time', 'time', 'time2'].map(node);
    makeSiblingIdsUnique(siblings);
    expect(siblings.map((sibling) => sibling.id)).toEqual(['time', 'subject', 'time2', 'time3', 'time22']);
  });
});
