import { describe, expect, it } from 'vitest';
import { applySectionSave, carriedOver } from './flat-merge.js';

const CURRENT = {
  'p/cpr/decision|code': 'at0005',
  'p/cpr/decision|value': 'Not for CPR',
  'p/cpr/decision|terminology': 'local',
  'p/cpr/date': '2026-01-01',
  'p/contact:0/name': 'Kemi',
  'p/contact:0/phone:0': '020 7946 0001',
  'p/contact:1/name': 'Tom',
  'p/contact:1/phone:0': '020 7946 0002',
  'p/contact:10/name': 'Ten',
  'p/wish': 'At home',
};

describe('a section save', () => {
  it('changes only what was sent: values set, nulls removed, the rest kept', () => {
    const after = applySectionSave(CURRENT, { 'p/wish': 'At home with my dog', 'p/cpr/date': null }, 'merge');
    expect(after).toEqual({
      ...Object.fromEntries(Object.entries(CURRENT).filter(([key]) => key !== 'p/cpr/date')),
      'p/wish': 'At home with my dog',
    });
  });

  it('replaces a data value as a whole, so a code never keeps the text of another', () => {
    const after = applySectionSave(CURRENT, { 'p/cpr/decision|code': 'at0004', 'p/cpr/decision|value': 'For CPR' }, 'merge');
    expect(Object.entries(after).filter(([key]) => key.startsWith('p/cpr/decision'))).toEqual([
      ['p/cpr/decision|code', 'at0004'],
      ['p/cpr/decision|value', 'For CPR'],
    ]);
  });

  it('removes a repeating instance with its sub-keys, and only that instance', () => {
    const after = applySectionSave(CURRENT, { 'p/contact:1': null }, 'merge');
    expect(Object.keys(after).filter((key) => key.startsWith('p/contact'))).toEqual([
      'p/contact:0/name',
      'p/contact:0/phone:0',
      'p/contact:10/name',
    ]);
    // A node named without an index is its first instance; a whole value by its path.
    expect(Object.keys(applySectionSave(CURRENT, { 'p/contact': null, 'p/cpr/decision': null }, 'merge'))).toEqual([
      'p/cpr/date',
      'p/contact:1/name',
      'p/contact:1/phone:0',
      'p/contact:10/name',
      'p/wish',
    ]);
    // A null on one key of a value removes that key only.
    expect(applySectionSave(CURRENT, { 'p/cpr/decision|terminology': null }, 'merge')).not.toHaveProperty(['p/cpr/decision|terminology']);
  });

  it('replaces the whole section only when asked to', () => {
    expect(applySectionSave(CURRENT, { 'p/wish': 'Hospice', 'p/cpr/date': null }, 'replace')).toEqual({ 'p/wish': 'Hospice' });
  });

  it('never carries over who wrote the previous version, or when', () => {
    expect(
      carriedOver({
        'ctx/language': 'en',
        'p/composer|name': 'Dr Previous',
        'p/language|code': 'en',
        'p/context/start_time': '2026-01-01T00:00:00Z',
        'p/context/_health_care_facility|name': 'Old Trust',
        'p/entry/subject': 'x',
        'p/entry/_other_participation:0|name': 'Dr Decision Maker',
        'p/wish': 'At home',
      }),
    ).toEqual({ 'p/entry/_other_participation:0|name': 'Dr Decision Maker', 'p/wish': 'At home' });
  });
});
