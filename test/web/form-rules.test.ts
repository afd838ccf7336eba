import { describe, expect, it } from 'vitest';
import { PATHWAY_RULE_OPERATORS } from '../../src/careplan/pathway/pathway-definition.js';
import {
  applyValueActions,
  isHidden,
  isRequired,
  requiredProblem,
  ruleEffects,
  withoutHidden,
  type FormRule,
} from '../../web/src/plan-form/form-rules.js';
import { evaluateLogic, RuleLogicError } from '../../web/src/plan-form/json-logic.js';
import { applyPrefills, columnValues, demographicValue, type PrefillTarget } from '../../web/src/plan-form/prefill-values.js';

type FlatContent = Record<string, string | number | boolean>;

const data: Record<string, string | number | boolean | null> = { a: 1, b: 'x', yes: true, no: false, empty: '' };
const lookup = (name: string) => data[name] ?? null;
const run = (logic: unknown) => evaluateLogic(logic, lookup);

describe('the form engine’s JSON Logic interpreter', () => {
  it('reads fields with var, and a default when there is none', () => {
    expect(run({ var: 'b' })).toBe('x');
    expect(run({ var: 'nothing' })).toBeNull();
    expect(run({ var: ['nothing', 'fallback'] })).toBe('fallback');
  });

  it('compares as JSON Logic does: loose and strict equality, order, between', () => {
    expect(run({ '==': [{ var: 'a' }, '1'] })).toBe(true);
    expect(run({ '===': [{ var: 'a' }, '1'] })).toBe(false);
    expect(run({ '!=': [{ var: 'b' }, 'y'] })).toBe(true);
    expect(run({ '!==': [{ var: 'a' }, 1] })).toBe(false);
    expect(run({ '==': [{ var: 'yes' }, true] })).toBe(true);
    expect(run({ '==': [{ var: 'nothing' }, true] })).toBe(false);
    expect(run({ '<': [0, { var: 'a' }, 2] })).toBe(true);
    expect(run({ '<=': [1, { var: 'a' }] })).toBe(true);
    expect(run({ '>': [{ var: 'a' }, 1] })).toBe(false);
    expect(run({ '>=': [{ var: 'a' }, 1] })).toBe(true);
    expect(run({ '<': [{ var: 'nothing' }, 1] })).toBe(false);
  });

  it('combines with and, or, ! and !!, short-circuiting with the deciding value', () => {
    expect(run({ and: [{ var: 'yes' }, { var: 'b' }] })).toBe('x');
    expect(run({ and: [{ var: 'no' }, { unknown: [] }] })).toBe(false);
    expect(run({ or: [{ var: 'empty' }, { var: 'a' }] })).toBe(1);
    expect(run({ '!': [{ var: 'no' }] })).toBe(true);
    expect(run({ '!!': [[]] })).toBe(false);
  });

  it('answers in and missing', () => {
    expect(run({ in: [{ var: 'b' }, ['x', 'y']] })).toBe(true);
    expect(run({ in: ['ell', 'hello'] })).toBe(true);
    expect(run({ in: ['z', ['x']] })).toBe(false);
    expect(run({ missing: ['a', 'empty', 'nothing'] })).toEqual(['empty', 'nothing']);
  });

  it('refuses any operator outside the server’s list, and never runs code', () => {
    expect(() => run({ '+': [1, 2] })).toThrow(RuleLogicError);
    expect(() => run({ method: [{ var: 'b' }, 'toUpperCase'] })).toThrow(/not an operator rules may use/);
    expect(() => run({ '==': [1, 1], '!=': [1, 2] })).toThrow(/exactly one operator/);
    // Every operator the server allows is interpreted.
    for (const operator of PATHWAY_RULE_OPERATORS) expect(() => run({ [operator]: [{ var: 'a' }, 1] })).not.toThrow();
  });
});

const field = (path: string, input: string, label = 'Crisis team contact', repeatable = false) => ({ path, label, input, repeatable });

/** Text fields written as the form writes them: one key, an empty value removes it. */
const textTarget = (fields: ReturnType<typeof field>[]): PrefillTarget => ({
  field: (path) => fields.find((candidate) => candidate.path === path),
  read: (path, content) => String(content[path] ?? ''),
  write: (path, value, content) => ({ ...content, [path]: value }),
});

const P = 'mental_health_crisis_plan/crisis_plan';
const team = `${P}/under_a_crisis_or_community_mental_health_team`;
const contact = `${P}/crisis_team_contact`;
const rule: FormRule = {
  id: 'crisis-team-contact',
  when: { '==': [{ var: team }, true] },
  then: [{ show: contact }, { require: contact }],
};

describe('the module rules applied to a form', () => {
  it('hides a field a rule shows until its condition holds, then shows and requires it', () => {
    const before = ruleEffects([rule], {});
    expect(isHidden(before, contact)).toBe(true);
    expect(isRequired(before, contact)).toBe(false);
    const after = ruleEffects([rule], { [team]: true });
    expect(isHidden(after, contact)).toBe(false);
    expect(isRequired(after, contact)).toBe(true);
    expect(isHidden(ruleEffects([rule], { [team]: false }), contact)).toBe(true);
  });

  it('does not send a hidden field’s value', () => {
    const content = { [team]: false, [contact]: 'Crisis team 0300 123 4567', [`${P}/triggers`]: 'Anniversaries' };
    expect(withoutHidden(content, ruleEffects([rule], content))).toEqual({ [team]: false, [`${P}/triggers`]: 'Anniversaries' });
    const shown = { ...content, [team]: true };
    expect(withoutHidden(shown, ruleEffects([rule], shown))).toEqual(shown);
  });

  it('hides a whole section, every instance of it, and what is in it', () => {
    const hideSection: FormRule = { id: 'hide', when: { '!': [{ var: team }] }, then: [{ hide: `${P}/contacts:0` }] };
    const effects = ruleEffects([hideSection], {});
    expect(isHidden(effects, `${P}/contacts:2/name`)).toBe(true);
    expect(withoutHidden({ [`${P}/contacts:1/name`]: 'A', [`${P}/triggers`]: 'B' }, effects)).toEqual({ [`${P}/triggers`]: 'B' });
  });

  it('sets and clears values with all their FLAT keys while a rule holds', () => {
    const place = field(`${P}/place_of_safety`, 'text');
    const setting: FormRule = {
      id: 'set-place',
      when: { '==': [{ var: team }, true] },
      then: [{ set: place.path, value: 'Home' }, { clear: `${P}/risks` }],
    };
    const write = (path: string, value: string, content: FlatContent) => ({ ...content, [path]: value });
    expect(applyValueActions([setting], { [team]: true, [`${P}/risks`]: 'x' }, write)).toEqual({ [team]: true, [place.path]: 'Home' });
    expect(applyValueActions([setting], { [team]: false, [`${P}/risks`]: 'x' }, write)).toEqual({ [team]: false, [`${P}/risks`]: 'x' });
  });

  it('reports a rule it cannot read and lets it hide nothing', () => {
    const bad: FormRule = { id: 'bad', when: { '+': [1, 1] }, then: [{ hide: contact }] };
    const effects = ruleEffects([bad], {});
    expect(effects.broken).toEqual(['bad']);
    expect(isHidden(effects, contact)).toBe(false);
  });

  it('asks for a required empty field in the NHS style', () => {
    expect(requiredProblem(field(contact, 'text'), ' ')).toBe('Enter crisis team contact');
    expect(requiredProblem(field(team, 'boolean', 'Under a crisis team'), '')).toBe('Select under a crisis team');
    expect(requiredProblem(field(contact, 'text'), 'x')).toBeUndefined();
  });
});

describe('prefills', () => {
  const diagnoses = field(`${P}/mental_health_diagnoses`, 'text', 'Diagnoses');
  const listed = field(`${P}/diagnosis:0`, 'text', 'Diagnosis', true);
  const target = textTarget([diagnoses, listed]);

  it('reads the named column of an AQL result set', () => {
    const result = {
      columns: [{ name: 'other' }, { name: 'diagnosis' }],
      rows: [
        [1, 'Depression'],
        [2, null],
        [3, 'Anxiety'],
      ],
    };
    expect(columnValues(result, 'diagnosis')).toEqual(['Depression', 'Anxiety']);
    expect(columnValues(result, 'absent')).toEqual([]);
  });

  it('fills an empty field, each instance of a repeating one, and never overwrites what was entered', () => {
    const values = new Map([
      [diagnoses.path, ['Depression', 'Anxiety']],
      [listed.path, ['Depression', 'Anxiety']],
    ]);
    expect(applyPrefills({}, values, target)).toEqual({
      [diagnoses.path]: 'Depression',
      [`${P}/diagnosis:0`]: 'Depression',
      [`${P}/diagnosis:1`]: 'Anxiety',
    });
    const entered = { [diagnoses.path]: 'Bipolar disorder', [`${P}/diagnosis:0`]: 'Bipolar disorder' };
    expect(applyPrefills(entered, values, target)).toEqual(entered);
  });

  it('takes demographics from the person’s record, and nothing from a withheld address', () => {
    const person = {
      name: { given: ['Ann'], family: 'Smith', text: 'Ann Smith' },
      birthDate: '1950-01-02',
      address: { lines: ['1 High Street'], city: 'Leeds', postalCode: 'LS1 1AA' },
      registeredGp: { odsCode: 'DEMOGP1', name: 'Demo Practice' },
    };
    expect(demographicValue(person, 'name')).toBe('Ann Smith');
    expect(demographicValue(person, 'address')).toBe('1 High Street, Leeds, LS1 1AA');
    expect(demographicValue(person, 'gp')).toBe('Demo Practice (DEMOGP1)');
    expect(demographicValue({ ...person, address: null }, 'address')).toBeUndefined();
    // A record without a name or a known practice name (the people API answers null for each).
    expect(demographicValue({ ...person, name: null }, 'name')).toBeUndefined();
    expect(demographicValue({ ...person, registeredGp: { odsCode: 'DEMOGP1', name: null } }, 'gp')).toBe('DEMOGP1');
  });
});
