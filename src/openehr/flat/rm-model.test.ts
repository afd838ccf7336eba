import { describe, expect, it } from 'vitest';
import { isLocatableType, isMultiValued } from './rm-model.js';

describe('RM facts the FLAT codec takes from rm-info', () => {
  it('knows which attributes hold lists, by class where the class is known', () => {
    const lists: [string, string][] = [
      ['COMPOSITION', 'content'],
      ['SECTION', 'items'],
      ['CLUSTER', 'items'],
      ['ITEM_TREE', 'items'],
      ['ITEM_TABLE', 'rows'],
      ['HISTORY', 'events'],
      ['INSTRUCTION', 'activities'],
      ['ELEMENT', 'links'],
      ['EVENT_CONTEXT', 'participations'],
      ['OBSERVATION', 'other_participations'],
      ['PARTY_IDENTIFIED', 'identifiers'],
      ['DV_CODED_TEXT', 'mappings'],
      ['DV_QUANTITY', 'other_reference_ranges'],
      ['ISM_TRANSITION', 'reason'],
      ['FEEDER_AUDIT', 'feeder_system_item_ids'],
      ['FEEDER_AUDIT', 'originating_system_item_ids'],
    ];
    for (const [type, attribute] of lists) expect(isMultiValued(type, attribute), `${type}.${attribute}`).toBe(true);
    for (const [type, attribute] of [
      ['OBSERVATION', 'data'],
      ['POINT_EVENT', 'data'],
      ['ITEM_SINGLE', 'item'],
      ['COMPOSITION', 'context'],
      ['ELEMENT', 'value'],
    ]) {
      expect(isMultiValued(type ?? '', attribute ?? ''), `${type}.${attribute}`).toBe(false);
    }
    // ATTESTATION.reason is one DV_TEXT: the class decides, not the name.
    expect(isMultiValued('ATTESTATION', 'reason')).toBe(false);
    // An object of unknown class: the attribute name decides.
    expect(isMultiValued('', 'items')).toBe(true);
    expect(isMultiValued('', 'data')).toBe(false);
  });

  it('knows the LOCATABLE types', () => {
    for (const type of [
      'COMPOSITION',
      'SECTION',
      'OBSERVATION',
      'EVALUATION',
      'INSTRUCTION',
      'ACTION',
      'ADMIN_ENTRY',
      'GENERIC_ENTRY',
      'CLUSTER',
      'ELEMENT',
      'HISTORY',
      'EVENT',
      'POINT_EVENT',
      'INTERVAL_EVENT',
      'ACTIVITY',
      'ITEM_TREE',
      'ITEM_LIST',
      'ITEM_SINGLE',
      'ITEM_TABLE',
      'ITEM_STRUCTURE',
    ]) {
      expect(isLocatableType(type), type).toBe(true);
    }
    for (const type of ['EVENT_CONTEXT', 'ISM_TRANSITION', 'DV_TEXT', 'PARTY_SELF', 'NOT_A_TYPE'])
      expect(isLocatableType(type), type).toBe(false);
  });
});
