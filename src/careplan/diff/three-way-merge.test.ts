import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySectionSave, isWithin, valuePath, type FlatContent } from './flat-merge.js';
import { accumulateChanges, mergeSection, patchTarget } from './three-way-merge.js';

const P = 'ucp_about_me';
const base: FlatContent = {
  [`${P}/what_matters/text`]: 'Gardening',
  [`${P}/name_preferred`]: 'Bill',
  [`${P}/key_safe|code`]: 'at0001',
  [`${P}/key_safe|value`]: 'Yes',
  [`${P}/key_safe|terminology`]: 'local',
};

const fields = fc.constantFrom(`${P}/a`, `${P}/a/x`, `${P}/b`, `${P}/c`, `${P}/d`);
const content = fc.dictionary(fields, fc.constantFrom('x', 'y', 'z'));
const patch = fc.dictionary(fields, fc.option(fc.constantFrom('x', 'y', 'z'), { nil: null }));

describe('mergeSection', () => {
  it("takes the author's change to a field nobody else touched and keeps everyone else's", () => {
    const theirs = { ...base, [`${P}/name_preferred`]: 'William' };
    const merged = mergeSection(base, { [`${P}/what_matters/text`]: 'My grandchildren' }, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(merged.patch).toEqual({ [`${P}/what_matters/text`]: 'My grandchildren' });
    expect(applySectionSave(theirs, merged.patch, 'merge')).toEqual({
      ...base,
      [`${P}/name_preferred`]: 'William',
      [`${P}/what_matters/text`]: 'My grandchildren',
    });
  });

  it('reports a field both changed differently, with all three values, until someone decides', () => {
    const theirs = { ...base, [`${P}/name_preferred`]: 'William' };
    const changes = { [`${P}/name_preferred`]: 'Billy' };
    const open = mergeSection(base, changes, theirs);
    expect(open.patch).toEqual({});
    expect(open.conflicts).toEqual([
      {
        path: `${P}/name_preferred`,
        base: { [`${P}/name_preferred`]: 'Bill' },
        mine: { [`${P}/name_preferred`]: 'Billy' },
        theirs: { [`${P}/name_preferred`]: 'William' },
      },
    ]);
    expect(mergeSection(base, changes, theirs, { [`${P}/name_preferred`]: 'mine' }).patch).toEqual(changes);
    expect(mergeSection(base, changes, theirs, { [`${P}/name_preferred`]: 'theirs' })).toEqual({
      patch: {},
      conflicts: [],
      alreadyThere: [],
    });
  });

  it('compares a coded value as one field: a different code with the same text is still a conflict', () => {
    const theirs = { ...base, [`${P}/key_safe|code`]: 'at0002', [`${P}/key_safe|value`]: 'No' };
    const merged = mergeSection(base, { [`${P}/key_safe|code`]: 'at0003', [`${P}/key_safe|value`]: 'Unknown' }, theirs);
    expect(merged.conflicts.map((conflict) => conflict.path)).toEqual([`${P}/key_safe`]);
  });

  it('sees a removal as a change: removed by the author, changed by someone else, is a conflict', () => {
    const theirs = { ...base, [`${P}/what_matters/text`]: 'Music' };
    const merged = mergeSection(base, { [`${P}/what_matters`]: null }, theirs);
    expect(merged.conflicts.map((conflict) => conflict.path)).toEqual([`${P}/what_matters`]);
  });

  it('notes a change someone else already made the same way, and does not make it twice', () => {
    const changes = { [`${P}/name_preferred`]: 'William' };
    const merged = mergeSection(base, changes, { ...base, ...changes });
    expect(merged).toEqual({ patch: {}, conflicts: [], alreadyThere: [`${P}/name_preferred`] });
  });

  it('never carries what each save records anew (composer, times) as a change', () => {
    const merged = mergeSection(
      { ...base, 'ctx/composer_name': 'A' },
      { [`${P}/name_preferred`]: 'Billy' },
      { ...base, 'ctx/composer_name': 'B' },
    );
    expect(merged.conflicts).toEqual([]);
  });

  it('when nobody else changed the section, merging gives exactly what the author made', () => {
    fc.assert(
      fc.property(content, patch, (start, changes) => {
        const merged = mergeSection(start, changes, start);
        expect(merged.conflicts).toEqual([]);
        expect(applySectionSave(start, merged.patch, 'merge')).toEqual(applySectionSave(start, changes, 'merge'));
      }),
    );
  });

  it('never loses a change of theirs to a field the author did not touch, and never reports a conflict on one', () => {
    // Removing a node touches everything below it: the author who removed `a` also removed `a/x`.
    const touchedBy = (changes: FlatContent, key: string) =>
      Object.entries(changes).some(([changed, value]) =>
        value === null ? isWithin(key, patchTarget(changed, value)) : valuePath(key) === valuePath(changed),
      );
    fc.assert(
      fc.property(content, patch, content, (start, changes, theirs) => {
        const merged = mergeSection(start, changes, theirs);
        const result = applySectionSave(theirs, merged.patch, 'merge');
        for (const key of Object.keys(theirs)) if (!touchedBy(changes, key)) expect(result[key]).toBe(theirs[key]);
        for (const conflict of merged.conflicts) expect(conflict.path in changes).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a node the author removed goes with what is below it when nobody else changed it there', () => {
    const start = { [`${P}/a`]: 'y', [`${P}/a/x`]: 'z' };
    const merged = mergeSection(start, { [`${P}/a`]: null }, { ...start });
    expect(merged.conflicts).toEqual([]);
    expect(applySectionSave(start, merged.patch, 'merge')).toEqual({});
  });
});

describe('accumulateChanges', () => {
  it('keeps one change per field: the latest', () => {
    const start = { [`${P}/a`]: 'x', [`${P}/b`]: 'y' };
    expect(accumulateChanges(start, { [`${P}/a`]: 'z' }, { [`${P}/a`]: null })).toEqual({ [`${P}/a`]: null });
    expect(accumulateChanges({}, { [`${P}/k|code`]: '1', [`${P}/k|value`]: 'One' }, { [`${P}/k|code`]: '2' })).toEqual({
      [`${P}/k|code`]: '2',
    });
    // Changed back to what it was: no change left.
    expect(accumulateChanges(start, { [`${P}/b`]: 'z' }, { [`${P}/b`]: 'y' })).toEqual({});
  });

  it('gives the same section as applying each save in turn', () => {
    fc.assert(
      fc.property(content, patch, patch, (start, first, second) => {
        const inTurn = applySectionSave(applySectionSave(start, first, 'merge'), second, 'merge');
        expect(applySectionSave(start, accumulateChanges(start, first, second), 'merge')).toEqual(inTurn);
      }),
      { numRuns: 2000 },
    );
  });

  it('a removed node set again keeps what was removed below it removed', () => {
    const start = { [`${P}/a/x`]: 'x' };
    const changes = accumulateChanges(start, { [`${P}/a`]: null }, { [`${P}/a`]: 'x' });
    expect(applySectionSave(start, changes, 'merge')).toEqual({ [`${P}/a`]: 'x' });
  });
});
