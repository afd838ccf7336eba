/**
 * Example FLAT entries for one data value node of a web template, chosen so that they satisfy
 * what the node's inputs state: list values, ranges, precisions, patterns, proportion kinds.
 */

import type { WebTemplateInput, WebTemplateInputValue, WebTemplateNode } from '../template/index.js';
import type { ExampleClock } from './example-clock.js';
import { exampleDuration } from './example-duration.js';
import { exampleNumber, inRange, type NumberRule } from './example-number.js';
import { exampleMatching } from './example-pattern.js';
import { exampleTemporal } from './example-temporal.js';

export type ExampleFlat = Record<string, string | number | boolean>;

export interface ExampleValueContext {
  /** Language of labels (the web template's default language). */
  readonly language: string;
  readonly clock: ExampleClock;
}

/** The neutral sample of free text. */
export const EXAMPLE_TEXT = 'Example text';

/** A plausible code for terminologies a template names without listing codes. */
function externalCode(terminology: string): { code: string; value: string } {
  const name = terminology.toLowerCase();
  if (name.includes('snomed')) return { code: '138875005', value: 'SNOMED CT Concept' };
  if (name.includes('loinc')) return { code: '8867-4', value: 'Heart rate' };
  if (name.includes('icd')) return { code: 'Z00.0', value: 'General medical examination' };
  return { code: 'example', value: EXAMPLE_TEXT };
}

/** Unconstrained coded texts get a SNOMED CT code: a value must name some terminology. */
const FREE_TERMINOLOGY = 'SNOMED-CT';

function labelOf(entry: WebTemplateInputValue, language: string): string {
  return entry.localizedLabels?.[language] ?? entry.label ?? entry.value;
}

function input(node: WebTemplateNode, suffix?: string): WebTemplateInput | undefined {
  return node.inputs?.find((candidate) => candidate.suffix === suffix);
}

function codeInput(node: WebTemplateNode): WebTemplateInput | undefined {
  return input(node, 'code') ?? node.inputs?.find((candidate) => candidate.list !== undefined);
}

/** `|code`, `|value` and `|terminology` of a coded text: the first list value, else a plausible code. */
export function exampleCodedText(node: WebTemplateNode, key: string, language: string): ExampleFlat {
  const codes = codeInput(node);
  const first = codes?.list?.[0];
  if (first !== undefined) {
    return {
      [`${key}|code`]: first.value,
      [`${key}|value`]: labelOf(first, language),
      [`${key}|terminology`]: codes?.terminology ?? 'local',
    };
  }
  const terminology = codes?.terminology ?? FREE_TERMINOLOGY;
  // The template's default code comes without its text; the sample text does not pretend to be it.
  const sample = codes?.defaultValue === undefined ? externalCode(terminology) : { code: codes.defaultValue, value: EXAMPLE_TEXT };
  return { [`${key}|code`]: sample.code, [`${key}|value`]: sample.value, [`${key}|terminology`]: terminology };
}

function text(node: WebTemplateNode, key: string): ExampleFlat {
  const plain = input(node);
  const listed = plain?.list?.[0]?.value ?? plain?.defaultValue;
  return { [key]: listed ?? exampleMatching(plain?.validation?.pattern, EXAMPLE_TEXT) };
}

function ordinal(node: WebTemplateNode, key: string, language: string): ExampleFlat {
  const codes = input(node) ?? codeInput(node);
  const first = codes?.list?.[0];
  if (first === undefined || first.ordinal === undefined) {
    // An ordinal the template leaves open: any symbol will do, but not an at-code the archetype
    // may define with another meaning.
    return { [`${key}|code`]: 'example', [`${key}|value`]: EXAMPLE_TEXT, [`${key}|ordinal`]: 1 };
  }
  const entries: ExampleFlat = {
    [`${key}|code`]: first.value,
    [`${key}|value`]: labelOf(first, language),
    [`${key}|ordinal`]: first.ordinal,
  };
  if (codes?.terminology !== undefined && codes.terminology !== 'local') entries[`${key}|terminology`] = codes.terminology;
  return entries;
}

function quantity(node: WebTemplateNode, key: string): ExampleFlat {
  const unitInput = input(node, 'unit');
  const unit = unitInput?.list?.[0];
  const precision = unit?.validation?.precision;
  const decimals = precision?.max !== undefined && precision.max >= 0 ? precision.max : undefined;
  const range = unit?.validation?.range ?? input(node, 'magnitude')?.validation?.range;
  const entries: ExampleFlat = {
    [`${key}|magnitude`]: exampleNumber({ range, decimals }) ?? range?.min ?? 1,
    // UCUM's unity: the one unit every unconstrained quantity may carry.
    [`${key}|unit`]: unit?.value ?? '1',
  };
  if (precision?.min !== undefined && precision.min === precision.max && precision.min >= 0) entries[`${key}|precision`] = precision.min;
  return entries;
}

function count(node: WebTemplateNode, key: string): ExampleFlat {
  const range = input(node)?.validation?.range;
  return { [key]: exampleNumber({ range, decimals: 0 }) ?? range?.min ?? 1 };
}

const PROPORTION_KINDS = ['ratio', 'unitary', 'percent', 'fraction', 'integer_fraction'];

/** Numerator and denominator for one proportion kind, or undefined when the ranges rule it out. */
function proportionParts(kind: string, numerator: NumberRule, denominator: NumberRule): [number, number] | undefined {
  const nonZero = (value: number): boolean => value !== 0;
  const fixed = kind === 'unitary' ? 1 : kind === 'percent' ? 100 : undefined;
  const integral = kind === 'fraction' || kind === 'integer_fraction';
  const decimals = integral ? 0 : undefined;
  const bottom =
    fixed !== undefined
      ? inRange(fixed, denominator.range)
        ? fixed
        : undefined
      : exampleNumber({ range: denominator.range, decimals, accept: nonZero }, 2);
  const top = exampleNumber({ range: numerator.range, decimals }, fixed === 100 ? 50 : 1);
  return bottom === undefined || top === undefined ? undefined : [top, bottom];
}

function proportion(node: WebTemplateNode, key: string): ExampleFlat {
  const numerator: NumberRule = { range: input(node, 'numerator')?.validation?.range };
  const denominator: NumberRule = { range: input(node, 'denominator')?.validation?.range };
  const kinds = node.proportionTypes ?? PROPORTION_KINDS;
  for (const kind of kinds) {
    const parts = proportionParts(kind, numerator, denominator);
    if (parts === undefined) continue;
    return { [`${key}|numerator`]: parts[0], [`${key}|denominator`]: parts[1], [`${key}|type`]: PROPORTION_KINDS.indexOf(kind) };
  }
  return {
    [`${key}|numerator`]: 1,
    [`${key}|denominator`]: 1,
    [`${key}|type`]: Math.max(0, PROPORTION_KINDS.indexOf(kinds[0] ?? 'ratio')),
  };
}

function identifier(node: WebTemplateNode, key: string): ExampleFlat {
  const part = (suffix: string, sample: string): string => exampleMatching(input(node, suffix)?.validation?.pattern, sample);
  return {
    [`${key}|id`]: part('id', 'EX-0001'),
    [`${key}|issuer`]: part('issuer', 'Example issuer'),
    [`${key}|assigner`]: part('assigner', 'Example assigner'),
    [`${key}|type`]: part('type', 'Example type'),
  };
}

/** The generic parameter of `DV_INTERVAL<DV_COUNT>`. */
function intervalBoundType(rmType: string): string | undefined {
  return /^DV_INTERVAL<(.+)>$/.exec(rmType)?.[1];
}

function interval(node: WebTemplateNode, key: string, context: ExampleValueContext): ExampleFlat | undefined {
  const entries: ExampleFlat = {};
  for (const side of ['lower', 'upper']) {
    const bound =
      node.children?.find((child) => child.id === side) ??
      // Bounds the template does not constrain: a node of the parameter type stands in for them.
      ({ id: side, rmType: intervalBoundType(node.rmType) ?? 'DV_COUNT', min: 1, max: 1 } satisfies WebTemplateNode);
    const values = exampleDataValue(bound, `${key}/${side}`, context);
    if (values === undefined) return undefined;
    Object.assign(entries, values);
  }
  return entries;
}

/**
 * The FLAT entries of an example value for `node` at `key`, or undefined when FLAT cannot carry a
 * value of the node's type (DV_STATE, DV_SCALE, DV_PARAGRAPH are written as `|raw` JSON only).
 */
export function exampleDataValue(node: WebTemplateNode, key: string, context: ExampleValueContext): ExampleFlat | undefined {
  const type = node.rmType.startsWith('DV_INTERVAL<') ? 'DV_INTERVAL' : node.rmType;
  switch (type) {
    case 'DV_TEXT':
      return text(node, key);
    case 'DV_CODED_TEXT':
      return exampleCodedText(node, key, context.language);
    case 'DV_ORDINAL':
      return ordinal(node, key, context.language);
    case 'DV_QUANTITY':
      return quantity(node, key);
    case 'DV_COUNT':
      return count(node, key);
    case 'DV_PROPORTION':
      return proportion(node, key);
    case 'DV_DATE':
      return { [key]: exampleTemporal('DATE', input(node)?.validation?.pattern, context.clock) };
    case 'DV_TIME':
      return { [key]: exampleTemporal('TIME', input(node)?.validation?.pattern, context.clock) };
    case 'DV_DATE_TIME':
      return { [key]: exampleTemporal('DATETIME', input(node)?.validation?.pattern, context.clock) };
    case 'DV_DURATION':
      return { [key]: exampleDuration(node.inputs ?? []) };
    case 'DV_BOOLEAN':
      return { [key]: true };
    case 'DV_URI':
      return { [key]: 'https://example.org/example' };
    case 'DV_EHR_URI':
      return { [key]: 'ehr://example/example' };
    case 'DV_IDENTIFIER':
      return identifier(node, key);
    case 'DV_PARSABLE':
      return { [key]: EXAMPLE_TEXT, [`${key}|formalism`]: 'text/plain' };
    case 'DV_MULTIMEDIA':
      return {
        [key]: 'https://example.org/example.png',
        [`${key}|mediatype`]: 'image/png',
        [`${key}|size`]: 1024,
        [`${key}|alternatetext`]: EXAMPLE_TEXT,
      };
    case 'DV_INTERVAL':
      return interval(node, key, context);
    default:
      return undefined;
  }
}
