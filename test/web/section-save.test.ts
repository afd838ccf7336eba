import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySectionSave } from '../../src/careplan/diff/flat-merge.js';
import { sectionPatch } from '../../web/src/plan-form/section-patch.js';

type FlatContent = Record<string, string | number | boolean>;

/** FLAT keys as the forms write them: coded values, plain values, repeating instances with sub-keys. */
const KEYS = [
  'p/wish',
  'p/cpr|code',
  'p/cpr|value',
  'p/cpr|terminology',
  'p/contact:0/name',
  'p/contact:0/phone:0',
  'p/contact:0/phone:1',
  'p/contact:0/kin',
  'p/contact:1/name',
  'p/contact:1/kin',
  'p/contact:2/name',
  'p/dose|magnitude',
  'p/dose|unit',
] as const;

const content = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.string({ maxLength: 3 }), fc.boolean(), fc.integer()), {
  maxKeys: KEYS.length,
});

describe("the web form's section save", () => {
  it('sends a patch that turns the section as the form opened it into the section as edited, whatever the edit', () => {
    fc.assert(
      fc.property(content, content, (base: FlatContent, edited: FlatContent) => {
        expect(applySectionSave(base, sectionPatch(base, edited), 'merge')).toEqual(edited);
      }),
      { numRuns: 500 },
    );
  });

  it('sends nothing about the fields the editor left alone, so a save never touches them', () => {
    const base: FlatContent = { 'p/wish': 'home', 'p/contact:0/name': 'Kemi', 'p/contact:1/name': 'Tom', 'p/contact:1/kin': true };
    expect(sectionPatch(base, { ...base, 'p/wish': 'hospice' })).toEqual({ 'p/wish': 'hospice' });
    // Removing the first contact moves the second up (as the form does): its values are sent at :0, and :1 goes.
    expect(sectionPatch(base, { 'p/wish': 'home', 'p/contact:0/name': 'Tom', 'p/contact:0/kin': true })).toEqual({
      'p/contact:0/name': 'Tom',
      'p/contact:0/kin': true,
      'p/contact:1/name': null,
      'p/contact:1/kin': null,
    });
  });
});
