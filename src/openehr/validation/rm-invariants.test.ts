import { describe, expect, it } from 'vitest';
import { checkRmInvariants } from './rm-invariants.js';
import { validateComposition } from './validate-composition.js';
import { fixtures, IT, listAt, objectAt } from '../../../test/support/openehr/validation-fixtures.js';
import type { JsonObject } from '../../shared/json.js';

const DATA = `${IT}aql/data_load/`;
const COMPOSITION = `${DATA}compositions/conformance_ehrbase.de.v0_max_v2.json`;
const TEMPLATE = `${DATA}opts/conformance_ehrbase.de.v0.opt`;
const SECTION = '/content[openEHR-EHR-SECTION.conformance_section.v0]';
const OBSERVATION = `${SECTION}/items[openEHR-EHR-OBSERVATION.conformance_observation.v0]`;
const FIRST_ELEMENT = `${OBSERVATION}/data[at0001]/events[at0002,0]/data[at0003]/items[at0004]`;

/** Validates the conformance composition after `edit`, and returns the issues as path and constraint. */
function issuesAfter(edit: (composition: JsonObject) => void) {
  const composition = fixtures.composition(COMPOSITION);
  edit(composition);
  return validateComposition(composition, fixtures.template(TEMPLATE)).map(({ path, constraint }) => ({ path, constraint }));
}

function firstElement(composition: JsonObject): JsonObject {
  const section = listAt(composition, 'content')[0];
  const observation = listAt(section, 'items').find((item) => (item as JsonObject).archetype_node_id?.toString().includes('OBSERVATION'));
  const event = listAt(objectAt(observation, 'data'), 'events')[0];
  return listAt(objectAt(event, 'data'), 'items')[0] as JsonObject;
}

describe('RM invariants, refused with the path of the attribute', () => {
  it('the unedited composition is valid', () => {
    expect(issuesAfter(() => undefined)).toEqual([]);
  });

  it('territory XX, language zz: not in ISO 3166-1 / ISO 639-1', () => {
    expect(
      issuesAfter((composition) => {
        objectAt(composition, 'territory').code_string = 'XX';
        objectAt(composition, 'language').code_string = 'zz';
      }),
    ).toEqual([
      { path: '/language/code_string', constraint: 'invariant Language_valid' },
      { path: '/territory/code_string', constraint: 'invariant Territory_valid' },
    ]);
  });

  it('an entry in encoding UTF-99: not an IANA character set', () => {
    const issues = issuesAfter((composition) => {
      const section = listAt(composition, 'content')[0];
      objectAt(listAt(section, 'items')[0], 'encoding').code_string = 'UTF-99';
    });
    expect(issues).toEqual([
      { path: `${SECTION}/items[openEHR-EHR-ACTION.conformance_action_.v0]/encoding/code_string`, constraint: 'invariant Encoding_valid' },
    ]);
  });

  it('setting 9999: not in the openEHR group "setting"', () => {
    expect(
      issuesAfter((composition) => (objectAt(composition, 'context', 'setting', 'defining_code').code_string = '9999')),
    ).toContainEqual({
      path: '/context/setting/defining_code/code_string',
      constraint: 'invariant Setting_valid',
    });
  });

  it("an openEHR code whose text is not the code's: setting 238 written 'home'", () => {
    expect(issuesAfter((composition) => (objectAt(composition, 'context', 'setting').value = 'home'))).toEqual([
      { path: '/context/setting/value', constraint: "term text 'other care'" },
    ]);
  });

  it('null flavour 999, an ELEMENT with a value and a null flavour, and one with neither', () => {
    const flavour = (code: string, text: string) => ({
      _type: 'DV_CODED_TEXT',
      value: text,
      defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: code },
    });
    expect(
      issuesAfter((composition) => {
        const element = firstElement(composition);
        delete element.value;
        element.null_flavour = flavour('999', 'unknown');
      }),
    ).toContainEqual({ path: `${FIRST_ELEMENT}/null_flavour/defining_code/code_string`, constraint: 'invariant Null_flavour_valid' });
    expect(issuesAfter((composition) => (firstElement(composition).null_flavour = flavour('253', 'unknown')))).toEqual([
      { path: `${FIRST_ELEMENT}/null_flavour`, constraint: 'invariant Is_null_valid' },
    ]);
    expect(issuesAfter((composition) => delete firstElement(composition).value)).toContainEqual({
      path: `${FIRST_ELEMENT}/value`,
      constraint: 'invariant Null_flavour_indicated',
    });
    // A null flavour alone, from the group, with its text, is what the RM asks for.
    const alone = issuesAfter((composition) => {
      const element = firstElement(composition);
      delete element.value;
      element.null_flavour = flavour('253', 'unknown');
    });
    expect(alone.filter((issue) => issue.constraint.startsWith('invariant'))).toEqual([]);
  });

  it('a composer with neither a name nor identifiers nor an external reference', () => {
    expect(
      issuesAfter((composition) => {
        composition.composer = { _type: 'PARTY_IDENTIFIED' };
      }),
    ).toEqual([{ path: '/composer/name', constraint: 'invariant Basic_validity' }]);
  });
});

describe('RM invariants: nothing the model does not require', () => {
  it('accepts a language with a territory, any case of a character set, a relative URI, and a composer known by name alone', () => {
    const code = (terminology: string, value: string) => ({ terminology_id: { value: terminology }, code_string: value });
    expect(checkRmInvariants('COMPOSITION', { language: code('ISO_639-1', 'en-GB'), territory: code('ISO_3166-1', 'GB') })).toEqual([]);
    expect(checkRmInvariants('OBSERVATION', { language: code('ISO_639-1', 'de'), encoding: code('IANA_character-sets', 'utf-8') })).toEqual(
      [],
    );
    expect(checkRmInvariants('DV_URI', { value: 'documents/letter.pdf' })).toEqual([]);
    expect(checkRmInvariants('PARTY_IDENTIFIED', { name: 'Dr Jones' })).toEqual([]);
    expect(checkRmInvariants('PARTY_RELATED', { identifiers: [{ id: 'x' }] })).toEqual([]);
  });
});
