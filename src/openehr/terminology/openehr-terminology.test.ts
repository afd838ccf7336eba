import { describe, expect, it } from 'vitest';
import {
  COMPOSITION_CATEGORY,
  EVENT_MATH_FUNCTION,
  INSTRUCTION_STATES,
  NULL_FLAVOURS,
  PARTICIPATION_MODE,
  SETTING,
  openehrRubric,
  openehrTerm,
} from './openehr-terminology.js';

describe('openEHR terminology groups', () => {
  it('has the event math functions of the openEHR terminology, in its order', () => {
    expect([...EVENT_MATH_FUNCTION]).toEqual([
      ['144', 'maximum'],
      ['145', 'minimum'],
      ['146', 'mean'],
      ['147', 'change'],
      ['148', 'total'],
      ['149', 'variation'],
      ['267', 'mode'],
      ['268', 'median'],
      ['521', 'decrease'],
      ['522', 'increase'],
      ['640', 'actual'],
    ]);
  });

  it('has every instruction state, 533 expired included', () => {
    expect([...INSTRUCTION_STATES.keys()]).toEqual(['524', '526', '527', '528', '529', '245', '530', '531', '532', '533']);
    expect(INSTRUCTION_STATES.get('533')).toBe('expired');
  });

  it('has categories, settings, null flavours and participation modes', () => {
    expect([...COMPOSITION_CATEGORY.keys()]).toEqual(['431', '433', '451']);
    expect(SETTING.get('238')).toBe('other care');
    expect(NULL_FLAVOURS.get('271')).toBe('no information');
    expect(PARTICIPATION_MODE.get('216')).toBe('face-to-face communication');
  });

  it('finds a rubric in the preferred group first, else in any clinical group', () => {
    expect(openehrRubric('268')).toBe('median');
    expect(openehrRubric('253', NULL_FLAVOURS)).toBe('unknown');
    expect(openehrRubric('999')).toBeUndefined();
  });

  it('resolves a code or a rubric within one group', () => {
    expect(openehrTerm(EVENT_MATH_FUNCTION, 'mode')).toEqual({ code: '267', rubric: 'mode' });
    expect(openehrTerm(EVENT_MATH_FUNCTION, '145')).toEqual({ code: '145', rubric: 'minimum' });
    expect(openehrTerm(SETTING, 'median')).toBeUndefined();
  });
});
