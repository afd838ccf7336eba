/**
 * Data values (DV_*) in FLAT: the plain value and `|suffix` attributes of a leaf, plus the
 * underscore sub-nodes a data value can carry (`/_normal_range`, `/_mapping:n`, ...). Each type has
 * a decoder (FLAT → canonical) and an encoder (canonical → FLAT) written side by side so the two
 * stay inverse. The encoder checks itself by decoding what it wrote; whatever it cannot express is
 * written as `|raw` canonical JSON instead, so no part of a value is ever lost.
 */

import type { WebTemplateInput, WebTemplateNode } from '../template/web-template-model.js';
import { sameCanonical, without, type CodecContext } from './codec-context.js';
import { codePhrase, decodeCodePhrase, encodeCodePhrase, terminologyOf } from './code-phrase-codec.js';
import { FlatNode } from './flat-tree.js';
import { missing, takeBoolean, takeInteger, takeNumber, takeString } from './flat-values.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json.js';
import { arrayAt, defined, objectAt, stringAt } from './json.js';
import {
  COMPOSITION_CATEGORY,
  EVENT_MATH_FUNCTION,
  INSTRUCTION_STATES,
  NULL_FLAVOURS,
  PARTICIPATION_MODE,
  SETTING,
  openehrRubric,
  openehrTerm,
} from '../terminology/openehr-terminology.js';
import { baseType, genericParameter } from './rm-model.js';

export interface ValueHints {
  /** Web template node of the value; its inputs supply code lists, labels and terminologies. */
  readonly wt?: WebTemplateNode | undefined;
  /** RM attribute holding the value; some (setting, category, ...) imply the openEHR terminology. */
  readonly attribute?: string | undefined;
  /** For DV_INTERVAL nodes of a web template, whose bounds are template children of their own. */
  readonly boundsInTemplate?: boolean | undefined;
  /** Write the value of a DV_PARSABLE as `|value` rather than as the plain value (`_wf_definition`). */
  readonly valueAsSuffix?: boolean | undefined;
}

const OPENEHR_CODED_ATTRIBUTES: Record<string, ReadonlyMap<string, string> | undefined> = {
  setting: SETTING,
  category: COMPOSITION_CATEGORY,
  math_function: EVENT_MATH_FUNCTION,
  null_flavour: NULL_FLAVOURS,
  current_state: INSTRUCTION_STATES,
  transition: undefined,
  mode: PARTICIPATION_MODE,
  relationship: undefined,
};

const PROPORTION_KINDS = ['RATIO', 'UNITARY', 'PERCENT', 'FRACTION', 'INTEGER_FRACTION'];

// ---- decoding -----------------------------------------------------------------------------------

/**
 * Reads a data value of (web template) type `rmType` from a FLAT node; undefined when the node
 * holds nothing for it. The actual type may differ where the format allows: `|other` on a coded
 * node gives DV_TEXT, `|code` on a text node gives DV_CODED_TEXT, `|raw` gives anything.
 */
export function decodeDataValue(rmType: string, node: FlatNode, cx: CodecContext, hints: ValueHints = {}): JsonObject | undefined {
  const raw = node.takeAttribute('raw');
  if (raw !== undefined) {
    if (isJsonObject(raw) && typeof raw['_type'] === 'string') return raw;
    cx.issues.push({ path: node.keyFor('raw'), message: "'|raw' needs a canonical JSON object with _type" });
    return undefined;
  }
  const type = baseType(rmType);
  node.describedAs ??= rmType;
  const before = node.takeCount;
  const value = decodeByType(type, rmType, node, cx, hints);
  return node.takeCount === before ? undefined : value;
}

function decodeByType(type: string, rmType: string, node: FlatNode, cx: CodecContext, hints: ValueHints): JsonObject | undefined {
  switch (type) {
    case 'DV_TEXT':
    case 'DV_CODED_TEXT':
      return decodeText(type, node, cx, hints);
    case 'DV_ORDINAL':
      return decodeOrdinal(node, cx, hints);
    case 'DV_QUANTITY':
      return decodeQuantity(node, cx);
    case 'DV_COUNT':
      return decodeCount(node, cx);
    case 'DV_PROPORTION':
      return decodeProportion(node, cx, hints);
    case 'DV_DATE':
    case 'DV_DATE_TIME':
    case 'DV_TIME':
      return decodeTemporal(type, node, cx);
    case 'DV_DURATION':
      return decodeDuration(node, cx);
    case 'DV_BOOLEAN':
      return decodeBoolean(node, cx);
    case 'DV_URI':
    case 'DV_EHR_URI':
      return decodeUri(type, node, cx);
    case 'DV_IDENTIFIER':
      return decodeIdentifier(node, cx);
    case 'DV_PARSABLE':
      return decodeParsable(node, cx, hints);
    case 'DV_MULTIMEDIA':
      return decodeMultimedia(node, cx);
    case 'DV_INTERVAL':
      return decodeInterval(genericParameter(rmType), node, cx, hints);
    default:
      return undefined;
  }
}

function inputWithList(wt: WebTemplateNode | undefined): WebTemplateInput | undefined {
  return wt?.inputs?.find((i) => i.suffix === 'code') ?? wt?.inputs?.find((i) => i.list !== undefined);
}

function listEntry(wt: WebTemplateNode | undefined, code: string) {
  return inputWithList(wt)?.list?.find((entry) => entry.value === code);
}

function labelOf(entry: { label?: string; localizedLabels?: Record<string, string> }, language: string) {
  return entry.localizedLabels?.[language] ?? entry.label;
}

function resolveTerminology(code: string, hints: ValueHints): string | undefined {
  const input = inputWithList(hints.wt);
  if (input?.terminology) return input.terminology;
  if (hints.attribute !== undefined && hints.attribute in OPENEHR_CODED_ATTRIBUTES) return 'openehr';
  if (input?.list?.some((entry) => entry.value === code)) return 'local';
  if (/^at\d+(\.\d+)*$/.test(code)) return 'local';
  return undefined;
}

function resolveRubric(code: string, terminology: string, cx: CodecContext, hints: ValueHints) {
  const entry = listEntry(hints.wt, code);
  if (entry) return labelOf(entry, cx.language);
  if (terminology === 'openehr') {
    const group = hints.attribute === undefined ? undefined : OPENEHR_CODED_ATTRIBUTES[hints.attribute];
    return openehrRubric(code, group);
  }
  return undefined;
}

/** DV_CODED_TEXT from `|code` (+ `|value`, `|terminology`); missing parts come from the template. */
function decodeCodedText(node: FlatNode, cx: CodecContext, hints: ValueHints): JsonObject | undefined {
  const code = takeString(node, 'code', cx.issues);
  const givenValue = takeString(node, 'value', cx.issues);
  const givenTerminology = takeString(node, 'terminology', cx.issues);
  const preferred = takeString(node, 'preferred_term', cx.issues);
  if (code === undefined) {
    missing(node, 'code', cx.issues, 'code');
    return undefined;
  }
  const terminology = givenTerminology ?? resolveTerminology(code, hints);
  if (terminology === undefined) {
    missing(node, 'terminology', cx.issues, `terminology of code '${code}'`);
    return undefined;
  }
  const value = givenValue ?? resolveRubric(code, terminology, cx, hints);
  if (value === undefined) {
    missing(node, 'value', cx.issues, `text of code '${code}'`);
    return undefined;
  }
  const coded: JsonObject = { _type: 'DV_CODED_TEXT', value };
  decodeTextExtras(coded, node, cx);
  coded['defining_code'] = codePhrase(terminology, code, preferred);
  return coded;
}

function decodeText(type: string, node: FlatNode, cx: CodecContext, hints: ValueHints): JsonObject | undefined {
  if (node.hasAttribute('code')) return decodeCodedText(node, cx, hints);
  const other = takeString(node, 'other', cx.issues);
  const plain = takeString(node, undefined, cx.issues);
  const valueAttr = takeString(node, 'value', cx.issues);
  if (type === 'DV_CODED_TEXT' && other === undefined) {
    // A coded node given only its text: find the code by the text in the template list or, for
    // openEHR-coded attributes (setting, ...), in the openEHR terminology.
    const label = valueAttr ?? plain;
    const entry = inputWithList(hints.wt)?.list?.find((e) => label !== undefined && labelOf(e, cx.language) === label);
    const group = hints.attribute === undefined ? undefined : OPENEHR_CODED_ATTRIBUTES[hints.attribute];
    const term = label === undefined || !group ? undefined : openehrTerm(group, label);
    const code = entry?.value ?? (term?.rubric === label ? term?.code : undefined);
    if (code !== undefined && label !== undefined) {
      const coded: JsonObject = { _type: 'DV_CODED_TEXT', value: label };
      decodeTextExtras(coded, node, cx);
      coded['defining_code'] = codePhrase(entry ? (resolveTerminology(code, hints) ?? 'local') : 'openehr', code);
      return coded;
    }
  }
  const value = other ?? plain ?? valueAttr;
  const text: JsonObject = { _type: 'DV_TEXT' };
  if (value !== undefined) text['value'] = value;
  decodeTextExtras(text, node, cx);
  if (value === undefined && Object.keys(text).length > 1) missing(node, undefined, cx.issues, 'text');
  return text;
}

function decodeTextExtras(text: JsonObject, node: FlatNode, cx: CodecContext): void {
  const formatting = takeString(node, 'formatting', cx.issues);
  if (formatting !== undefined) text['formatting'] = formatting;
  const mappings = defined(node.takeChildren('_mapping').map((m) => decodeTermMapping(m, cx)));
  if (mappings.length > 0) text['mappings'] = mappings;
  for (const [attribute, id] of [
    ['language', '_language'],
    ['encoding', '_encoding'],
  ] as const) {
    const child = node.takeChildren(id)[0];
    const phrase = child && decodeCodePhrase(child, cx, attribute === 'language' ? 'ISO_639-1' : 'IANA_character-sets');
    if (phrase) text[attribute] = phrase;
  }
}

function decodeTermMapping(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  node.describedAs = 'TERM_MAPPING';
  const match = takeString(node, 'match', cx.issues);
  const targetNode = node.takeChildren('target')[0];
  const target = targetNode && decodeCodePhrase(targetNode, cx);
  const purposeNode = node.takeChildren('purpose')[0];
  const purpose = purposeNode && decodeDataValue('DV_CODED_TEXT', purposeNode, cx);
  if (!target) {
    missing(node, undefined, cx.issues, 'target');
    return undefined;
  }
  const mapping: JsonObject = { _type: 'TERM_MAPPING', match: match ?? '?' };
  if (purpose) mapping['purpose'] = purpose;
  mapping['target'] = target;
  return mapping;
}

function decodeOrdinal(node: FlatNode, cx: CodecContext, hints: ValueHints): JsonObject | undefined {
  const code = takeString(node, 'code', cx.issues);
  const givenValue = takeString(node, 'value', cx.issues);
  const givenTerminology = takeString(node, 'terminology', cx.issues) ?? takeString(node, 'terminology_id', cx.issues);
  const givenOrdinal = takeInteger(node, 'ordinal', cx.issues);
  const ordinal: JsonObject = { _type: 'DV_ORDINAL' };
  decodeOrderedExtras(ordinal, 'DV_ORDINAL', node, cx);
  if (code === undefined) {
    if (givenValue !== undefined || givenOrdinal !== undefined) missing(node, 'code', cx.issues, 'code');
    return ordinal;
  }
  const entry = listEntry(hints.wt, code);
  const value = givenValue ?? (entry && labelOf(entry, cx.language));
  const number = givenOrdinal ?? entry?.ordinal;
  if (value === undefined) missing(node, 'value', cx.issues, `text of code '${code}'`);
  if (number === undefined) missing(node, 'ordinal', cx.issues, `ordinal of code '${code}'`);
  if (value === undefined || number === undefined) return ordinal;
  ordinal['value'] = number;
  ordinal['symbol'] = {
    _type: 'DV_CODED_TEXT',
    value,
    defining_code: codePhrase(givenTerminology ?? inputWithList(hints.wt)?.terminology ?? 'local', code),
  };
  return ordinal;
}

function decodeQuantity(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const quantity: JsonObject = { _type: 'DV_QUANTITY' };
  const magnitude = takeNumber(node, 'magnitude', cx.issues) ?? takeNumber(node, undefined, cx.issues);
  const units = takeString(node, 'unit', cx.issues) ?? takeString(node, 'units', cx.issues);
  if (magnitude !== undefined) quantity['magnitude'] = magnitude;
  if (units !== undefined) quantity['units'] = units;
  const precision = takeInteger(node, 'precision', cx.issues);
  if (precision !== undefined) quantity['precision'] = precision;
  const system = takeString(node, 'units_system', cx.issues);
  if (system !== undefined) quantity['units_system'] = system;
  const display = takeString(node, 'units_display_name', cx.issues);
  if (display !== undefined) quantity['units_display_name'] = display;
  decodeAmountExtras(quantity, 'DV_QUANTITY', node, cx);
  if (magnitude === undefined && Object.keys(quantity).length > 1) missing(node, 'magnitude', cx.issues, 'magnitude');
  if (units === undefined && magnitude !== undefined) missing(node, 'unit', cx.issues, 'unit');
  return quantity;
}

function decodeCount(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const count: JsonObject = { _type: 'DV_COUNT' };
  const magnitude = takeInteger(node, undefined, cx.issues) ?? takeInteger(node, 'magnitude', cx.issues);
  if (magnitude !== undefined) count['magnitude'] = magnitude;
  decodeAmountExtras(count, 'DV_COUNT', node, cx);
  if (magnitude === undefined && Object.keys(count).length > 1) missing(node, undefined, cx.issues, 'count');
  return count;
}

function decodeProportion(node: FlatNode, cx: CodecContext, hints: ValueHints): JsonObject | undefined {
  const proportion: JsonObject = { _type: 'DV_PROPORTION' };
  const numerator = takeNumber(node, 'numerator', cx.issues);
  const denominator = takeNumber(node, 'denominator', cx.issues);
  // The plain value is the derived magnitude (numerator / denominator); it carries nothing of its own.
  takeNumber(node, undefined, cx.issues);
  let kind = takeInteger(node, 'type', cx.issues);
  const allowed = hints.wt?.proportionTypes;
  if (kind === undefined && allowed?.length === 1 && allowed[0] !== undefined) {
    const index = PROPORTION_KINDS.indexOf(allowed[0]);
    if (index >= 0) kind = index;
  }
  if (numerator !== undefined) proportion['numerator'] = numerator;
  if (denominator !== undefined) proportion['denominator'] = denominator;
  if (kind !== undefined) proportion['type'] = kind;
  const precision = takeInteger(node, 'precision', cx.issues);
  if (precision !== undefined) proportion['precision'] = precision;
  decodeAmountExtras(proportion, 'DV_PROPORTION', node, cx);
  if (numerator === undefined) missing(node, 'numerator', cx.issues, 'numerator');
  if (denominator === undefined) missing(node, 'denominator', cx.issues, 'denominator');
  if (kind === undefined) missing(node, 'type', cx.issues, 'proportion type');
  return proportion;
}

function decodeTemporal(type: string, node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const temporal: JsonObject = { _type: type };
  const value = takeString(node, undefined, cx.issues) ?? takeString(node, 'value', cx.issues);
  if (value !== undefined) temporal['value'] = value;
  const status = takeString(node, 'magnitude_status', cx.issues);
  if (status !== undefined) temporal['magnitude_status'] = status;
  const accuracyNode = node.takeChildren('_accuracy')[0];
  const accuracy = accuracyNode && decodeDataValue('DV_DURATION', accuracyNode, cx);
  if (accuracy) temporal['accuracy'] = accuracy;
  decodeOrderedExtras(temporal, type, node, cx);
  if (value === undefined && Object.keys(temporal).length > 1) missing(node, undefined, cx.issues, 'date/time value');
  return temporal;
}

const DURATION_PARTS = [
  ['year', 'Y'],
  ['month', 'M'],
  ['week', 'W'],
  ['day', 'D'],
  ['hour', 'H'],
  ['minute', 'M'],
  ['second', 'S'],
] as const;

function decodeDuration(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const duration: JsonObject = { _type: 'DV_DURATION' };
  let value = takeString(node, undefined, cx.issues) ?? takeString(node, 'value', cx.issues);
  const parts = DURATION_PARTS.map(([suffix, letter]) => [takeNumber(node, suffix, cx.issues), letter] as const);
  if (value === undefined && parts.some(([n]) => n !== undefined)) {
    const date = parts
      .slice(0, 4)
      .map(([n, l]) => (n ? `${n}${l}` : ''))
      .join('');
    const time = parts
      .slice(4)
      .map(([n, l]) => (n ? `${n}${l}` : ''))
      .join('');
    value = `P${date}${time ? `T${time}` : ''}`;
    if (value === 'P') value = 'PT0S';
  }
  if (value !== undefined) duration['value'] = value;
  decodeAmountExtras(duration, 'DV_DURATION', node, cx);
  if (value === undefined && Object.keys(duration).length > 1) missing(node, undefined, cx.issues, 'duration');
  return duration;
}

function decodeBoolean(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const value = takeBoolean(node, undefined, cx.issues) ?? takeBoolean(node, 'value', cx.issues);
  return value === undefined ? undefined : { _type: 'DV_BOOLEAN', value };
}

function decodeUri(type: string, node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const value = takeString(node, undefined, cx.issues) ?? takeString(node, 'value', cx.issues);
  return value === undefined ? undefined : { _type: type, value };
}

function decodeIdentifier(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const identifier: JsonObject = { _type: 'DV_IDENTIFIER' };
  const issuer = takeString(node, 'issuer', cx.issues);
  const assigner = takeString(node, 'assigner', cx.issues);
  const id = takeString(node, 'id', cx.issues) ?? takeString(node, undefined, cx.issues);
  const type = takeString(node, 'type', cx.issues);
  if (issuer !== undefined) identifier['issuer'] = issuer;
  if (assigner !== undefined) identifier['assigner'] = assigner;
  if (id !== undefined) identifier['id'] = id;
  else missing(node, 'id', cx.issues, 'identifier id');
  if (type !== undefined) identifier['type'] = type;
  return identifier;
}

function decodeEncapsulatedExtras(target: JsonObject, node: FlatNode, cx: CodecContext): void {
  for (const [attribute, id, terminology] of [
    ['charset', '_charset', 'IANA_character-sets'],
    ['language', '_language', 'ISO_639-1'],
  ] as const) {
    const child = node.takeChildren(id)[0];
    const phrase = child && decodeCodePhrase(child, cx, terminology);
    if (phrase) target[attribute] = phrase;
  }
  const size = takeInteger(node, 'size', cx.issues);
  if (size !== undefined) target['size'] = size;
}

function decodeParsable(node: FlatNode, cx: CodecContext, hints: ValueHints): JsonObject | undefined {
  const parsable: JsonObject = { _type: 'DV_PARSABLE' };
  const value = takeString(node, undefined, cx.issues) ?? takeString(node, 'value', cx.issues);
  // ACTIVITY.timing is written in the openEHR timing syntax unless said otherwise.
  const formalism = takeString(node, 'formalism', cx.issues) ?? (hints.attribute === 'timing' ? 'timing' : undefined);
  decodeEncapsulatedExtras(parsable, node, cx);
  if (value !== undefined) parsable['value'] = value;
  else missing(node, undefined, cx.issues, 'parsable value');
  if (formalism !== undefined) parsable['formalism'] = formalism;
  else missing(node, 'formalism', cx.issues, 'formalism');
  return parsable;
}

function decodeMultimedia(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  const media: JsonObject = { _type: 'DV_MULTIMEDIA' };
  decodeEncapsulatedExtras(media, node, cx);
  const alternate = takeString(node, 'alternatetext', cx.issues);
  if (alternate !== undefined) media['alternate_text'] = alternate;
  const uri = takeString(node, undefined, cx.issues) ?? takeString(node, 'url', cx.issues);
  if (uri !== undefined) media['uri'] = { _type: 'DV_URI', value: uri };
  const data = takeString(node, 'data', cx.issues);
  if (data !== undefined) media['data'] = data;
  const mediaType = takeString(node, 'mediatype', cx.issues) ?? takeString(node, 'media_type', cx.issues);
  if (mediaType !== undefined) media['media_type'] = codePhrase('IANA_media-types', mediaType);
  else missing(node, 'mediatype', cx.issues, 'media type');
  const compression = takeString(node, 'compression_algorithm', cx.issues);
  if (compression !== undefined) {
    media['compression_algorithm'] = codePhrase('openehr_compression_algorithms', compression);
  }
  const check = takeString(node, 'integrity_check', cx.issues);
  if (check !== undefined) media['integrity_check'] = check;
  const checkAlgorithm = takeString(node, 'integrity_check_algorithm', cx.issues);
  if (checkAlgorithm !== undefined) {
    media['integrity_check_algorithm'] = codePhrase('openehr_integrity_check_algorithms', checkAlgorithm);
  }
  const thumbnailNode = node.takeChildren('_thumbnail')[0];
  const thumbnail = thumbnailNode && decodeDataValue('DV_MULTIMEDIA', thumbnailNode, cx);
  if (thumbnail) media['thumbnail'] = thumbnail;
  return media;
}

/**
 * `x|lower` and `x|upper` are accepted for `x/lower` and `x/upper` (the plain value of a bound);
 * they are moved into bound nodes so that bounds are read one way only.
 */
export function liftBoundAttributes(node: FlatNode): void {
  for (const bound of ['lower', 'upper'] as const) {
    if (!node.hasAttribute(bound) || node.hasChild(bound)) continue;
    const value = node.takeAttribute(bound);
    if (value !== undefined) node.childAt(bound, undefined).setValue(value);
  }
}

function decodeInterval(boundType: string | undefined, node: FlatNode, cx: CodecContext, hints: ValueHints): JsonObject | undefined {
  liftBoundAttributes(node);
  const interval: JsonObject = { _type: 'DV_INTERVAL' };
  if (!hints.boundsInTemplate) {
    for (const bound of ['lower', 'upper'] as const) {
      const child = node.takeChildren(bound)[0];
      const value = child && decodeDataValue(boundType ?? 'DV_QUANTITY', child, cx);
      if (value) interval[bound] = value;
    }
  }
  decodeIntervalFlags(interval, node, cx);
  return interval;
}

export const DEFAULT_INTERVAL_FLAGS = {
  lower_included: true,
  upper_included: true,
  lower_unbounded: false,
  upper_unbounded: false,
} as const;

/** `|lower_included` etc.; FLAT leaves out the defaults (included true, unbounded false). */
function decodeIntervalFlags(interval: JsonObject, node: FlatNode, cx: CodecContext): void {
  for (const [flag, fallback] of Object.entries(DEFAULT_INTERVAL_FLAGS)) {
    interval[flag] = takeBoolean(node, flag, cx.issues) ?? fallback;
  }
}

function decodeAmountExtras(target: JsonObject, type: string, node: FlatNode, cx: CodecContext): void {
  const status = takeString(node, 'magnitude_status', cx.issues);
  if (status !== undefined) target['magnitude_status'] = status;
  const accuracy = takeNumber(node, 'accuracy', cx.issues);
  if (accuracy !== undefined) target['accuracy'] = accuracy;
  const percent = takeBoolean(node, 'accuracy_is_percent', cx.issues);
  if (percent !== undefined) target['accuracy_is_percent'] = percent;
  decodeOrderedExtras(target, type, node, cx);
}

function decodeOrderedExtras(target: JsonObject, type: string, node: FlatNode, cx: CodecContext): void {
  const normalStatus = takeString(node, 'normal_status', cx.issues);
  if (normalStatus !== undefined) target['normal_status'] = codePhrase('openehr_normal_statuses', normalStatus);
  const normalRangeNode = node.takeChildren('_normal_range')[0];
  if (normalRangeNode) {
    normalRangeNode.describedAs = `DV_INTERVAL<${type}>`;
    target['normal_range'] = decodeInterval(type, normalRangeNode, cx, {}) ?? {};
  }
  const ranges = node.takeChildren('_other_reference_ranges').map((rangeNode) => {
    rangeNode.describedAs = `REFERENCE_RANGE<${type}>`;
    const meaningNode = rangeNode.takeChildren('meaning')[0];
    const meaning = meaningNode && decodeDataValue('DV_TEXT', meaningNode, cx);
    if (!meaning) missing(rangeNode, undefined, cx.issues, 'reference range meaning (/meaning)');
    const range: JsonObject = { _type: 'REFERENCE_RANGE', meaning: meaning ?? { _type: 'DV_TEXT', value: '' } };
    range['range'] = decodeInterval(type, rangeNode, cx, {}) ?? {};
    return range;
  });
  if (ranges.length > 0) target['other_reference_ranges'] = ranges;
}

// ---- encoding -----------------------------------------------------------------------------------

/**
 * Writes a data value into a FLAT node. `rmType` is the web template type of the node, which
 * decides between alternative spellings (`|other` on coded nodes, the plain value on text nodes).
 */
export function encodeDataValue(dv: JsonObject, rmType: string, node: FlatNode, cx: CodecContext, hints: ValueHints = {}): void {
  const type = stringAt(dv, '_type') ?? baseType(rmType);
  const scratch = new FlatNode(node.segments);
  const inTemplate = hints.boundsInTemplate ?? false;
  if (encodeByType(type, rmType, dv, scratch, inTemplate, hints.valueAsSuffix)) {
    const check: CodecContext = { issues: [], language: cx.language };
    // An interval whose bounds are template children and whose flags are all defaults writes nothing.
    const decoded =
      decodeDataValue(rmType, scratch, check, hints) ??
      (inTemplate && type === 'DV_INTERVAL' ? { _type: 'DV_INTERVAL', ...DEFAULT_INTERVAL_FLAGS } : undefined);
    const ignored = hints.boundsInTemplate ? ['lower', 'upper'] : [];
    if (check.issues.length === 0 && scratch.isFullyTaken() && decoded && sameCanonical(without(dv, ignored), without(decoded, ignored))) {
      encodeByType(type, rmType, dv, node, inTemplate, hints.valueAsSuffix);
      return;
    }
  }
  node.setAttribute('raw', hints.boundsInTemplate ? without(dv, ['lower', 'upper']) : dv);
}

/** Writes the FLAT form of `dv`; false when the type has no FLAT form. */
function encodeByType(
  type: string,
  rmType: string,
  dv: JsonObject,
  node: FlatNode,
  boundsInTemplate = false,
  valueAsSuffix = false,
): boolean {
  switch (type) {
    case 'DV_TEXT':
      encodeText(dv, rmType, node);
      return true;
    case 'DV_CODED_TEXT':
      encodeCodedText(dv, node);
      return true;
    case 'DV_ORDINAL':
      encodeOrdinal(dv, node);
      return true;
    case 'DV_QUANTITY':
      encodeQuantity(dv, node);
      return true;
    case 'DV_COUNT':
      if (dv['magnitude'] !== undefined) node.setValue(dv['magnitude']);
      encodeAmountExtras(dv, 'DV_COUNT', node);
      return true;
    case 'DV_PROPORTION':
      encodeProportion(dv, node);
      return true;
    case 'DV_DATE':
    case 'DV_DATE_TIME':
    case 'DV_TIME':
      encodeTemporal(dv, type, node);
      return true;
    case 'DV_DURATION':
      if (dv['value'] !== undefined) node.setValue(dv['value']);
      encodeAmountExtras(dv, 'DV_DURATION', node);
      return true;
    case 'DV_BOOLEAN':
    case 'DV_URI':
    case 'DV_EHR_URI':
      if (dv['value'] !== undefined) node.setValue(dv['value']);
      return true;
    case 'DV_IDENTIFIER':
      for (const suffix of ['id', 'issuer', 'assigner', 'type']) setIfDefined(node, suffix, dv[suffix]);
      return true;
    case 'DV_PARSABLE':
      encodeParsable(dv, node, valueAsSuffix);
      return true;
    case 'DV_MULTIMEDIA':
      encodeMultimedia(dv, node);
      return true;
    case 'DV_INTERVAL':
      return encodeIntervalOf(dv, rmType, node, boundsInTemplate);
    default:
      return false;
  }
}

/** A DV_TEXT where a DV_CODED_TEXT is allowed is written as `|other`. */
function encodeText(dv: JsonObject, rmType: string, node: FlatNode): void {
  if (baseType(rmType) === 'DV_CODED_TEXT') node.setAttribute('other', dv['value'] ?? '');
  else if (dv['value'] !== undefined) node.setValue(dv['value']);
  encodeTextExtras(dv, node);
}

function encodeQuantity(dv: JsonObject, node: FlatNode): void {
  setIfDefined(node, 'magnitude', dv['magnitude']);
  setIfDefined(node, 'unit', dv['units']);
  setIfDefined(node, 'precision', dv['precision']);
  setIfDefined(node, 'units_system', dv['units_system']);
  setIfDefined(node, 'units_display_name', dv['units_display_name']);
  encodeAmountExtras(dv, 'DV_QUANTITY', node);
}

/** DV_DATE, DV_DATE_TIME and DV_TIME: the value, its magnitude status and accuracy (a duration). */
function encodeTemporal(dv: JsonObject, type: string, node: FlatNode): void {
  if (dv['value'] !== undefined) node.setValue(dv['value']);
  setIfDefined(node, 'magnitude_status', dv['magnitude_status']);
  const accuracy = objectAt(dv, 'accuracy');
  if (accuracy) encodeByType('DV_DURATION', 'DV_DURATION', accuracy, node.addChild('_accuracy', false));
  encodeOrderedExtras(dv, type, node);
}

function encodeParsable(dv: JsonObject, node: FlatNode, valueAsSuffix: boolean): void {
  if (dv['value'] !== undefined && valueAsSuffix) node.setAttribute('value', dv['value']);
  else if (dv['value'] !== undefined) node.setValue(dv['value']);
  setIfDefined(node, 'formalism', dv['formalism']);
  encodeEncapsulatedExtras(dv, node);
}

/** False when the bounds' type is neither in the template nor in the bounds themselves. */
function encodeIntervalOf(dv: JsonObject, rmType: string, node: FlatNode, boundsInTemplate: boolean): boolean {
  if (boundsInTemplate) {
    encodeInterval(dv, node, undefined);
    return true;
  }
  const bound = objectAt(dv, 'lower') ?? objectAt(dv, 'upper');
  const boundType = genericParameter(rmType) ?? (bound && stringAt(bound, '_type'));
  if (bound && boundType === undefined) return false;
  encodeInterval(dv, node, boundType);
  return true;
}

function setIfDefined(node: FlatNode, suffix: string, value: JsonValue | undefined): void {
  if (value !== undefined) node.setAttribute(suffix, value);
}

function encodeCodedText(dv: JsonObject, node: FlatNode): void {
  const code = objectAt(dv, 'defining_code');
  setIfDefined(node, 'code', code?.['code_string']);
  setIfDefined(node, 'value', dv['value']);
  setIfDefined(node, 'terminology', terminologyOf(code));
  setIfDefined(node, 'preferred_term', code?.['preferred_term']);
  encodeTextExtras(dv, node);
}

function encodeTextExtras(dv: JsonObject, node: FlatNode): void {
  setIfDefined(node, 'formatting', dv['formatting']);
  for (const mapping of arrayAt(dv, 'mappings')) {
    if (!isJsonObject(mapping)) continue;
    const child = node.addChild('_mapping', true);
    setIfDefined(child, 'match', mapping['match']);
    const target = objectAt(mapping, 'target');
    if (target) encodeCodePhrase(target, child.addChild('target', false));
    const purpose = objectAt(mapping, 'purpose');
    if (purpose) encodeCodedText(purpose, child.addChild('purpose', false));
  }
  for (const [attribute, id] of [
    ['language', '_language'],
    ['encoding', '_encoding'],
  ] as const) {
    const phrase = objectAt(dv, attribute);
    if (phrase) encodeCodePhrase(phrase, node.addChild(id, false));
  }
}

function encodeOrdinal(dv: JsonObject, node: FlatNode): void {
  const symbol = objectAt(dv, 'symbol');
  const code = symbol && objectAt(symbol, 'defining_code');
  setIfDefined(node, 'code', code?.['code_string']);
  setIfDefined(node, 'value', symbol?.['value']);
  setIfDefined(node, 'ordinal', dv['value']);
  const terminology = terminologyOf(code);
  if (terminology !== undefined && terminology !== 'local') node.setAttribute('terminology', terminology);
  encodeOrderedExtras(dv, 'DV_ORDINAL', node);
}

function encodeProportion(dv: JsonObject, node: FlatNode): void {
  const numerator = dv['numerator'];
  const denominator = dv['denominator'];
  setIfDefined(node, 'numerator', numerator);
  setIfDefined(node, 'denominator', denominator);
  setIfDefined(node, 'type', dv['type']);
  if (typeof numerator === 'number' && typeof denominator === 'number' && denominator !== 0) {
    node.setValue(numerator / denominator);
  }
  setIfDefined(node, 'precision', dv['precision']);
  encodeAmountExtras(dv, 'DV_PROPORTION', node);
}

function encodeEncapsulatedExtras(dv: JsonObject, node: FlatNode): void {
  for (const [attribute, id] of [
    ['charset', '_charset'],
    ['language', '_language'],
  ] as const) {
    const phrase = objectAt(dv, attribute);
    if (phrase) encodeCodePhrase(phrase, node.addChild(id, false));
  }
  setIfDefined(node, 'size', dv['size']);
}

function encodeMultimedia(dv: JsonObject, node: FlatNode): void {
  const uri = objectAt(dv, 'uri');
  if (uri?.['value'] !== undefined) node.setValue(uri['value']);
  setIfDefined(node, 'mediatype', objectAt(dv, 'media_type')?.['code_string']);
  encodeEncapsulatedExtras(dv, node);
  setIfDefined(node, 'alternatetext', dv['alternate_text']);
  setIfDefined(node, 'data', dv['data']);
  setIfDefined(node, 'compression_algorithm', objectAt(dv, 'compression_algorithm')?.['code_string']);
  setIfDefined(node, 'integrity_check', dv['integrity_check']);
  setIfDefined(node, 'integrity_check_algorithm', objectAt(dv, 'integrity_check_algorithm')?.['code_string']);
  const thumbnail = objectAt(dv, 'thumbnail');
  if (thumbnail) encodeMultimedia(thumbnail, node.addChild('_thumbnail', false));
}

function encodeInterval(dv: JsonObject, node: FlatNode, boundType: string | undefined): void {
  if (boundType !== undefined) {
    for (const bound of ['lower', 'upper'] as const) {
      const value = objectAt(dv, bound);
      if (value) encodeByType(stringAt(value, '_type') ?? boundType, boundType, value, node.addChild(bound, false));
    }
  }
  if (dv['lower_included'] === false) node.setAttribute('lower_included', false);
  if (dv['upper_included'] === false) node.setAttribute('upper_included', false);
  if (dv['lower_unbounded'] === true) node.setAttribute('lower_unbounded', true);
  if (dv['upper_unbounded'] === true) node.setAttribute('upper_unbounded', true);
}

function encodeAmountExtras(dv: JsonObject, type: string, node: FlatNode): void {
  setIfDefined(node, 'magnitude_status', dv['magnitude_status']);
  setIfDefined(node, 'accuracy', dv['accuracy']);
  setIfDefined(node, 'accuracy_is_percent', dv['accuracy_is_percent']);
  encodeOrderedExtras(dv, type, node);
}

function encodeOrderedExtras(dv: JsonObject, type: string, node: FlatNode): void {
  setIfDefined(node, 'normal_status', objectAt(dv, 'normal_status')?.['code_string']);
  const normalRange = objectAt(dv, 'normal_range');
  if (normalRange) encodeInterval(normalRange, node.addChild('_normal_range', false), type);
  for (const range of arrayAt(dv, 'other_reference_ranges')) {
    if (!isJsonObject(range)) continue;
    const child = node.addChild('_other_reference_ranges', true);
    const meaning = objectAt(range, 'meaning');
    if (meaning) encodeByType(stringAt(meaning, '_type') ?? 'DV_TEXT', 'DV_TEXT', meaning, child.addChild('meaning', false));
    const interval = objectAt(range, 'range');
    if (interval) encodeInterval(interval, child, type);
  }
}
