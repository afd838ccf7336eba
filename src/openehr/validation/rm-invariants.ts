import { isSubtypeOf, rmBaseTypeName } from '../rm/rm-info.js';
import { CODE_SET_IDS, isCharacterSet, isLanguageCode, isTerritoryCode } from '../terminology/code-sets.js';
import { NULL_FLAVOURS, SETTING, openehrRubric, type OpenehrGroup } from '../terminology/openehr-terminology.js';
import { readCodePhrase } from './code-phrase-check.js';
import type { ConstraintProblem } from './constraint-problem.js';
import { checkDataValueInvariants } from './data-value-invariants.js';
import { isJsonObject, type JsonObject } from '../../shared/json.js';

/**
 * Invariants of the RM classes the repository stores (RM 1.1.0 common, composition,
 * data_structures, data_types), named as the specification names them, that hold whatever the
 * template says: coded attributes from their code sets or openEHR groups, ELEMENT's value xor null
 * flavour, a PARTY_IDENTIFIED that identifies someone. Nothing the model does not require.
 */

type Checker = (value: JsonObject) => ConstraintProblem[];

function invariant(name: string, message: string, subPath: string, value?: unknown): ConstraintProblem {
  return { constraint: `invariant ${name}`, message, subPath, ...(value !== undefined ? { value } : {}) };
}

/** A CODE_PHRASE attribute whose code must come from one external code set. */
function codeSet(
  value: JsonObject,
  attribute: string,
  name: string,
  codeSetId: string,
  valid: (code: string) => boolean,
  what: string,
): ConstraintProblem[] {
  const phrase = value[attribute];
  if (!isJsonObject(phrase)) return [];
  // The code is what the invariant is about; older data names the set differently ('Unicode' for
  // the IANA character sets, as EHRbase's SDK fixtures do), so the terminology id is not held against it.
  const { code } = readCodePhrase(phrase);
  if (code !== undefined && !valid(code)) {
    return [invariant(name, `'${code}' is not ${what} (${codeSetId})`, `/${attribute}/code_string`, code)];
  }
  return [];
}

const language = (value: JsonObject) => codeSet(value, 'language', 'Language_valid', CODE_SET_IDS.languages, isLanguageCode, 'a language');
const territory = (value: JsonObject) =>
  codeSet(value, 'territory', 'Territory_valid', CODE_SET_IDS.countries, isTerritoryCode, 'a country');
const encoding = (value: JsonObject) =>
  codeSet(value, 'encoding', 'Encoding_valid', CODE_SET_IDS.characterSets, isCharacterSet, 'a character set');

/** A DV_CODED_TEXT attribute whose code must be in one group of the openEHR terminology, with that code's text. */
function openehrCoded(value: JsonObject, attribute: string, name: string, group: OpenehrGroup, groupName: string): ConstraintProblem[] {
  const coded = value[attribute];
  if (!isJsonObject(coded)) return [];
  const { terminologyId, code } = readCodePhrase(coded.defining_code);
  if (terminologyId !== undefined && terminologyId !== 'openehr') {
    return [
      invariant(
        name,
        `${attribute} must be coded in the openEHR terminology, not '${terminologyId}'`,
        `/${attribute}/defining_code/terminology_id/value`,
        terminologyId,
      ),
    ];
  }
  if (code === undefined) return [];
  if (!group.has(code)) {
    return [
      invariant(
        name,
        `'${code}' is not a code of the openEHR group '${groupName}' (${[...group.keys()].join(', ')})`,
        `/${attribute}/defining_code/code_string`,
        code,
      ),
    ];
  }
  return [];
}

const composition: Checker = (value) => [...language(value), ...territory(value)];

const entry: Checker = (value) => [...language(value), ...encoding(value)];

const text: Checker = (value) => [...language(value), ...encoding(value), ...checkDataValueInvariants(String(value._type ?? ''), value)];

/** A DV_CODED_TEXT of the openEHR terminology says its code's text (the rubric), when the code is one the repository knows. */
const codedText: Checker = (value) => {
  const problems = text(value);
  const { terminologyId, code } = readCodePhrase(value.defining_code);
  if (terminologyId !== 'openehr' || code === undefined || typeof value.value !== 'string') return problems;
  const rubric = openehrRubric(code);
  if (rubric !== undefined && rubric !== value.value) {
    problems.push({
      constraint: `term text '${rubric}'`,
      message: `'${value.value}' is not the text of openehr::${code}; expected '${rubric}'`,
      subPath: '/value',
      value: value.value,
    });
  }
  return problems;
};

const eventContext: Checker = (value) => openehrCoded(value, 'setting', 'Setting_valid', SETTING, 'setting');

const element: Checker = (value) => {
  const hasValue = value.value !== undefined && value.value !== null;
  const hasNullFlavour = value.null_flavour !== undefined && value.null_flavour !== null;
  if (hasValue && hasNullFlavour) {
    return [
      invariant(
        'Is_null_valid',
        'an ELEMENT has either a value or a null flavour, not both (RM: is_null = value is void)',
        '/null_flavour',
        value.null_flavour,
      ),
    ];
  }
  if (!hasValue && !hasNullFlavour) {
    return [invariant('Null_flavour_indicated', 'an ELEMENT without a value must say why with a null_flavour', '/value')];
  }
  return openehrCoded(value, 'null_flavour', 'Null_flavour_valid', NULL_FLAVOURS, 'null flavours');
};

const partyIdentified: Checker = (value) => {
  const named = typeof value.name === 'string' && value.name.trim() !== '';
  const identified = Array.isArray(value.identifiers) && value.identifiers.length > 0;
  const referenced = isJsonObject(value.external_ref);
  return named || identified || referenced
    ? []
    : [invariant('Basic_validity', 'a PARTY_IDENTIFIED needs a name, identifiers or an external_ref', '/name')];
};

const BY_TYPE: Readonly<Record<string, Checker>> = {
  COMPOSITION: composition,
  EVENT_CONTEXT: eventContext,
  ELEMENT: element,
  DV_TEXT: text,
  DV_CODED_TEXT: codedText,
  PARTY_IDENTIFIED: partyIdentified,
};

const checkers = new Map<string, Checker | undefined>();

function checkerOf(base: string): Checker | undefined {
  if (checkers.has(base)) return checkers.get(base);
  const checker =
    BY_TYPE[base] ?? (isSubtypeOf(base, 'ENTRY') ? entry : isSubtypeOf(base, 'PARTY_IDENTIFIED') ? partyIdentified : undefined);
  checkers.set(base, checker);
  return checker;
}

/** Every RM invariant violation of one object of RM type `type` (its own attributes; children are checked as they are walked). */
export function checkRmInvariants(type: string, value: JsonObject): ConstraintProblem[] {
  const base = rmBaseTypeName(type);
  const checker = checkerOf(base);
  return checker ? checker(value) : checkDataValueInvariants(base, value);
}
