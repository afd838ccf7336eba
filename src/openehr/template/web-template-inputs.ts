import type { CCodePhrase, CDvOrdinal, CDvQuantity, CObject, CPrimitive, Interval } from './opt-model.js';
import { openehrRubric } from '../terminology/openehr-terminology.js';
import type { ArchetypeTerms } from './web-template-terms.js';
import type { WebTemplateInput, WebTemplateInputValue, WebTemplateRange, WebTemplateValidation } from './web-template-model.js';

export interface InputContext {
  readonly terms: ArchetypeTerms;
  /** Default language first. */
  readonly languages: readonly string[];
  /** Whether lists of local codes leave out `terminology: "local"` (one of the two web template dialects does). */
  readonly omitLocalTerminology: boolean;
}

/** What a data value contributes to its web template node. */
export interface DataValueContent {
  readonly inputs?: WebTemplateInput[];
  readonly proportionTypes?: string[];
}

const PROPORTION_KINDS: readonly string[] = ['ratio', 'unitary', 'percent', 'fraction', 'integer_fraction'];
const DURATION_FIELDS: readonly string[] = ['year', 'month', 'day', 'week', 'hour', 'minute', 'second'];
const DURATION_DESIGNATORS: Readonly<Record<string, string>> = {
  year: 'Y',
  month: 'M',
  day: 'D',
  week: 'W',
  hour: 'H',
  minute: 'M',
  second: 'S',
};

const text = (suffix?: string): WebTemplateInput => (suffix === undefined ? { type: 'TEXT' } : { suffix, type: 'TEXT' });

/**
 * The inputs of a data value node: one input per value the user supplies (suffixes as in FLAT
 * paths: |code, |magnitude, ...), with the lists, ranges and patterns the template allows.
 * `constraint` is the template's object for the value, or undefined when the template leaves the
 * type unconstrained.
 */
export function dataValueInputs(rmType: string, constraint: CObject | undefined, context: InputContext): DataValueContent {
  switch (rmType) {
    case 'DV_TEXT':
      return { inputs: [textInput(constraint)] };
    case 'DV_CODED_TEXT':
      return { inputs: codedTextInputs(codeConstraint(constraint), context) };
    case 'CODE_PHRASE': {
      const codes = constraint?.type === 'C_CODE_PHRASE' || constraint?.type === 'C_CODE_REFERENCE' ? constraint : undefined;
      return codes === undefined || codes.codeList.length === 0 ? {} : { inputs: codedTextInputs(codes, context) };
    }
    case 'DV_QUANTITY':
      return { inputs: quantityInputs(constraint) };
    case 'DV_COUNT':
      return { inputs: [withValidation({ type: 'INTEGER' }, numericValidation(primitiveOf(constraint, 'magnitude')))] };
    case 'DV_ORDINAL':
    case 'DV_SCALE':
      return { inputs: [ordinalInput(constraint?.type === 'C_DV_ORDINAL' ? constraint : undefined, context)] };
    case 'DV_BOOLEAN':
      return { inputs: [{ type: 'BOOLEAN' }] };
    case 'DV_DATE':
      return { inputs: [temporalInput('DATE', primitiveOf(constraint, 'value'))] };
    case 'DV_TIME':
      return { inputs: [temporalInput('TIME', primitiveOf(constraint, 'value'))] };
    case 'DV_DATE_TIME':
      return { inputs: [temporalInput('DATETIME', primitiveOf(constraint, 'value'))] };
    case 'DV_DURATION':
      return { inputs: durationInputs(primitiveOf(constraint, 'value')) };
    case 'DV_PROPORTION':
      return proportionContent(constraint);
    case 'DV_IDENTIFIER':
      return {
        inputs: ['id', 'type', 'issuer', 'assigner'].map((suffix) =>
          withValidation(text(suffix), stringValidation(primitiveOf(constraint, suffix))),
        ),
      };
    case 'DV_PARSABLE':
      return { inputs: [text('value'), text('formalism')] };
    case 'DV_STATE':
      return { inputs: [text('code'), text('value')] };
    case 'DV_MULTIMEDIA':
    case 'DV_URI':
    case 'DV_EHR_URI':
      return { inputs: [text()] };
    case 'PARTY_PROXY':
    case 'PARTY_SELF':
    case 'PARTY_IDENTIFIED':
    case 'PARTY_RELATED':
      return { inputs: [text('id'), text('id_scheme'), text('id_namespace'), text('name')] };
    case 'STRING':
      return { inputs: [text()] };
    case 'INTEGER':
    case 'INTEGER64':
      return { inputs: [{ type: 'INTEGER' }] };
    case 'REAL':
    case 'DOUBLE':
      return { inputs: [{ type: 'DECIMAL' }] };
    case 'BOOLEAN':
      return { inputs: [{ type: 'BOOLEAN' }] };
    default:
      return {};
  }
}

/** Inputs of a coded text whose codes the template lists, or that only names a terminology. */
export function codedTextInputs(codes: CCodePhrase | undefined, context: InputContext): WebTemplateInput[] {
  if (codes === undefined) return [text('code'), text('value')];
  const terminology = codeTerminology(codes);
  if (codes.codeList.length === 0) {
    const named = terminology === undefined ? {} : { terminology };
    return [
      { suffix: 'code', type: 'TEXT', ...named },
      { suffix: 'value', type: 'TEXT', ...named },
    ];
  }
  const input: WebTemplateInput = {
    suffix: 'code',
    type: 'CODED_TEXT',
    list: codes.codeList.map((code) => codedValue(terminology ?? 'local', code, context)),
  };
  if (terminology !== undefined && !(context.omitLocalTerminology && terminology === 'local')) input.terminology = terminology;
  if (codes.assumedValue !== undefined && codes.assumedValue.codeString !== '') input.defaultValue = codes.assumedValue.codeString;
  return [input];
}

function codeTerminology(codes: CCodePhrase): string | undefined {
  if (codes.terminologyId !== undefined) return codes.terminologyId;
  if (codes.referenceSetUri !== undefined) return codes.referenceSetUri.replace(/^terminology:/, '');
  return undefined;
}

/** A list entry for a code: labels from the archetype terms (local, or TERMINOLOGY::code) or the openEHR terminology. */
export function codedValue(terminology: string, code: string, context: InputContext): WebTemplateInputValue {
  if (terminology === 'openehr') {
    const rubric = openehrRubric(code) ?? code;
    return { value: code, label: rubric, localizedLabels: Object.fromEntries(context.languages.map((language) => [language, rubric])) };
  }
  const key = terminology === 'local' ? code : `${terminology}::${code}`;
  const [defaultLanguage = ''] = context.languages;
  const defaultTerm = context.terms.term(key, defaultLanguage);
  if (defaultTerm === undefined) return { value: code, label: code };
  const localizedLabels: Record<string, string> = {};
  const localizedDescriptions: Record<string, string> = {};
  for (const language of context.languages) {
    const term = context.terms.term(key, language);
    if (term === undefined) continue;
    localizedLabels[language] = term.text;
    localizedDescriptions[language] = term.description ?? '';
  }
  return { value: code, label: defaultTerm.text, localizedLabels, localizedDescriptions };
}

function codeConstraint(constraint: CObject | undefined): CCodePhrase | undefined {
  if (constraint === undefined) return undefined;
  if (constraint.type === 'C_CODE_PHRASE' || constraint.type === 'C_CODE_REFERENCE') return constraint;
  const definingCode = attributeObject(constraint, 'defining_code');
  return definingCode?.type === 'C_CODE_PHRASE' || definingCode?.type === 'C_CODE_REFERENCE' ? definingCode : undefined;
}

function textInput(constraint: CObject | undefined): WebTemplateInput {
  const value = primitiveOf(constraint, 'value');
  if (value?.type !== 'C_STRING') return text();
  const input: WebTemplateInput = { type: 'TEXT' };
  if (value.list.length > 0) {
    input.list = value.list.map((item) => ({ value: item, label: item }));
    input.listOpen = value.listOpen ?? false;
  }
  if (value.pattern !== undefined) input.validation = { pattern: value.pattern };
  if (value.assumedValue !== undefined) input.defaultValue = value.assumedValue;
  return input;
}

function quantityInputs(constraint: CObject | undefined): WebTemplateInput[] {
  const magnitude: WebTemplateInput = { suffix: 'magnitude', type: 'DECIMAL' };
  if (constraint?.type !== 'C_DV_QUANTITY') {
    const units = primitiveOf(constraint, 'units');
    if (units?.type === 'C_STRING' && units.list.length > 0) {
      return [magnitude, { suffix: 'unit', type: 'CODED_TEXT', list: units.list.map((unit) => ({ value: unit, label: unit })) }];
    }
    return [magnitude, text('unit')];
  }
  return [magnitude, { suffix: 'unit', type: 'CODED_TEXT', ...(constraint.list.length > 0 ? { list: unitList(constraint) } : {}) }];
}

function unitList(constraint: CDvQuantity): WebTemplateInputValue[] {
  return constraint.list.map((item) => {
    const value: WebTemplateInputValue = { value: item.units, label: item.units };
    const validation: WebTemplateValidation = {};
    const range = item.magnitude === undefined ? undefined : rangeOf(item.magnitude);
    const precision = item.precision === undefined ? undefined : rangeOf(item.precision);
    if (range !== undefined) validation.range = range;
    if (precision !== undefined) validation.precision = precision;
    if (range !== undefined || precision !== undefined) value.validation = validation;
    return value;
  });
}

function ordinalInput(constraint: CDvOrdinal | undefined, context: InputContext): WebTemplateInput {
  if (constraint === undefined || constraint.list.length === 0) return { type: 'CODED_TEXT' };
  const input: WebTemplateInput = {
    type: 'CODED_TEXT',
    list: constraint.list.map((ordinal) => ({
      ...codedValue(ordinal.symbol.terminologyId || 'local', ordinal.symbol.codeString, context),
      ordinal: ordinal.value,
    })),
  };
  if (constraint.assumedValue !== undefined) input.defaultValue = constraint.assumedValue.symbol.codeString;
  return input;
}

function temporalInput(type: string, constraint: CPrimitive | undefined): WebTemplateInput {
  const input: WebTemplateInput = { type };
  if (constraint !== undefined && 'pattern' in constraint && constraint.pattern !== undefined && constraint.type !== 'C_STRING') {
    input.validation = { pattern: constraint.pattern };
  }
  return input;
}

function durationInputs(constraint: CPrimitive | undefined): WebTemplateInput[] {
  const duration = constraint?.type === 'C_DURATION' ? constraint : undefined;
  const allowed = duration?.pattern === undefined ? undefined : durationFieldsOf(duration.pattern);
  const lower = singleFieldDuration(duration?.range?.lower);
  const upper = singleFieldDuration(duration?.range?.upper);
  return DURATION_FIELDS.filter((field) => allowed === undefined || allowed.has(field)).map((suffix) => {
    const range: WebTemplateRange = { min: 0, minOp: '>=' };
    if (lower?.field === suffix && lower.amount > 0) {
      range.min = lower.amount;
      range.minOp = duration?.range?.lowerIncluded === false ? '>' : '>=';
    }
    if (upper?.field === suffix) {
      range.max = upper.amount;
      range.maxOp = duration?.range?.upperIncluded === false ? '<' : '<=';
    }
    return { suffix, type: 'INTEGER', validation: { range } };
  });
}

/**
 * A duration bound that names one field only (P50Y, PT24H) limits that field; bounds mixing
 * fields (P1Y6M) cannot be expressed per input and are left to validation against the template.
 */
function singleFieldDuration(value: string | undefined): { field: string; amount: number } | undefined {
  const match = value === undefined ? null : /^P(?:(\d+)([YMWD]))?(?:T(\d+)([HMS]))?$/.exec(value.toUpperCase());
  if (match === null) return undefined;
  const [, dateAmount, dateDesignator, timeAmount, timeDesignator] = match;
  if ((dateAmount === undefined) === (timeAmount === undefined)) return undefined;
  const dateFields: Readonly<Record<string, string>> = { Y: 'year', M: 'month', W: 'week', D: 'day' };
  const timeFields: Readonly<Record<string, string>> = { H: 'hour', M: 'minute', S: 'second' };
  const field = dateAmount !== undefined ? dateFields[dateDesignator ?? ''] : timeFields[timeDesignator ?? ''];
  return field === undefined ? undefined : { field, amount: Number(dateAmount ?? timeAmount) };
}

/** Fields an AOM duration pattern allows: PYMWD before T, HMS after T ("PTnHnM" -> hour, minute). */
function durationFieldsOf(pattern: string): Set<string> {
  const fields = new Set<string>();
  const [datePart = '', timePart = ''] = pattern.toUpperCase().replace(/^P/, '').split('T');
  for (const field of ['year', 'month', 'week', 'day']) if (datePart.includes(DURATION_DESIGNATORS[field] ?? '?')) fields.add(field);
  for (const field of ['hour', 'minute', 'second']) if (timePart.includes(DURATION_DESIGNATORS[field] ?? '?')) fields.add(field);
  return fields;
}

function proportionContent(constraint: CObject | undefined): DataValueContent {
  const kinds = primitiveOf(constraint, 'type');
  const proportionTypes =
    kinds?.type === 'C_INTEGER' && kinds.list.length > 0
      ? PROPORTION_KINDS.filter((_, index) => kinds.list.includes(index))
      : [...PROPORTION_KINDS];
  const part = (suffix: string): WebTemplateInput =>
    withValidation({ suffix, type: 'DECIMAL' }, numericValidation(primitiveOf(constraint, suffix)));
  return { inputs: [part('numerator'), part('denominator')], proportionTypes };
}

function numericValidation(constraint: CPrimitive | undefined): WebTemplateValidation | undefined {
  if (constraint?.type !== 'C_INTEGER' && constraint?.type !== 'C_REAL') return undefined;
  if (constraint.range !== undefined) {
    const range = rangeOf(constraint.range);
    return range === undefined ? undefined : { range };
  }
  if (constraint.list.length === 1 && constraint.list[0] !== undefined) {
    const only = constraint.list[0];
    return { range: { minOp: '>=', min: only, maxOp: '<=', max: only } };
  }
  return undefined;
}

function stringValidation(constraint: CPrimitive | undefined): WebTemplateValidation | undefined {
  return constraint?.type === 'C_STRING' && constraint.pattern !== undefined ? { pattern: constraint.pattern } : undefined;
}

function withValidation(input: WebTemplateInput, validation: WebTemplateValidation | undefined): WebTemplateInput {
  if (validation !== undefined) input.validation = validation;
  return input;
}

/** A web template range from an interval; undefined when both sides are unbounded. */
export function rangeOf(interval: Interval<number>): WebTemplateRange | undefined {
  const range: WebTemplateRange = {};
  if (!interval.lowerUnbounded && interval.lower !== undefined) {
    range.minOp = interval.lowerIncluded ? '>=' : '>';
    range.min = interval.lower;
  }
  if (!interval.upperUnbounded && interval.upper !== undefined) {
    range.maxOp = interval.upperIncluded ? '<=' : '<';
    range.max = interval.upper;
  }
  return range.minOp === undefined && range.maxOp === undefined ? undefined : range;
}

/** The first constraint object of an attribute of a complex object, if any. */
export function attributeObject(constraint: CObject | undefined, attribute: string): CObject | undefined {
  if (constraint === undefined || (constraint.type !== 'C_COMPLEX_OBJECT' && constraint.type !== 'C_ARCHETYPE_ROOT')) return undefined;
  return constraint.attributes.find((candidate) => candidate.rmAttributeName === attribute)?.children[0];
}

function primitiveOf(constraint: CObject | undefined, attribute: string): CPrimitive | undefined {
  const object = attributeObject(constraint, attribute);
  return object?.type === 'C_PRIMITIVE_OBJECT' ? object.item : undefined;
}
