import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  COMPOSITION_SCHEMA,
  NODE_SCHEMAS,
  TEMPLATE_HEADER_SCHEMA,
  VALUE_SCHEMAS,
  type TemplateDescription,
  type ValueConstraint,
} from './template-description.js';
import type { JsonObject } from '../../shared/json.js';

const ARCHETYPE_ID = /^openEHR-EHR-([A-Z_]+)\.[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*\.v[0-9]+$/;
const AT_CODE = /^at[0-9]{4}(?:\.[0-9]+)*$/;
const ENTRY_TYPES = new Set(['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION', 'ADMIN_ENTRY']);
const TERMINOLOGY_ID = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** The occurrences "min..max" as numbers; max undefined when unbounded. */
export function parseOccurrences(text: string | undefined, fallback = '0..1'): { min: number; max: number | undefined } {
  const [lower = '0', upper = '1'] = (text ?? fallback).split('..');
  return { min: Number(lower), max: upper === '*' ? undefined : Number(upper) };
}

/**
 * Checks a template description: its shape (TypeBox, node by node) and what a schema cannot say —
 * RM types known and placed where the RM allows them, archetype ids well formed and matching their
 * RM type, at-codes well formed and unique within their archetype, occurrences ordered, value
 * constraints not empty or contradictory. Returns every problem with its JSON path; none means the
 * description compiles.
 */
export function checkTemplateDescription(input: unknown): string[] {
  return new DescriptionChecker().check(input);
}

/** Narrows after {@link checkTemplateDescription} found no problem. */
export function isTemplateDescription(input: unknown): input is TemplateDescription {
  return checkTemplateDescription(input).length === 0;
}

class DescriptionChecker {
  readonly problems: string[] = [];

  check(input: unknown): string[] {
    if (!this.shape(TEMPLATE_HEADER_SCHEMA, input, '')) return this.problems;
    const header = input as JsonObject;
    const root = header['root'];
    if (!this.shape(COMPOSITION_SCHEMA, root, '/root')) return this.problems;
    const composition = root as JsonObject;
    const codes = this.archetype(composition, 'COMPOSITION', '/root');
    const context = composition['otherContext'] as JsonObject | undefined;
    if (context !== undefined) {
      this.code(context['code'], codes, '/root/otherContext/code');
      this.treeItems(context['items'] as unknown[], codes, '/root/otherContext/items');
    }
    (composition['content'] as unknown[]).forEach((item, index) => this.contentItem(item, `/root/content/${index}`));
    return this.problems;
  }

  shape(schema: TSchema, value: unknown, path: string): boolean {
    if (Value.Check(schema, value)) return true;
    for (const error of Value.Errors(schema, value)) {
      if (error.keyword === 'anyOf') continue;
      this.problems.push(`${path}${error.instancePath}: ${error.message}`);
    }
    return false;
  }

  /** Checks an archetype root's id and occurrences; returns the set its at-codes are collected in. */
  archetype(node: JsonObject, rmType: string, path: string): Set<string> {
    const archetypeId = String(node['archetypeId']);
    const match = ARCHETYPE_ID.exec(archetypeId);
    if (match === null)
      this.problems.push(`${path}/archetypeId: "${archetypeId}" is not an openEHR-EHR archetype id (openEHR-EHR-<RM type>.<concept>.v<n>)`);
    else if (match[1] !== rmType)
      this.problems.push(`${path}/archetypeId: ${archetypeId} is a ${match[1]} archetype, but the node is a ${rmType}`);
    this.occurrences(node, path);
    return new Set(['at0000']);
  }

  occurrences(node: JsonObject, path: string): void {
    const text = node['occurrences'];
    if (typeof text !== 'string') return;
    const { min, max } = parseOccurrences(text);
    if (max !== undefined && min > max) this.problems.push(`${path}/occurrences: ${text} has a minimum above its maximum`);
  }

  /**
   * Records an at-code of an archetype. A node may be used again only under another template-level
   * name (the usual way to repeat a 0..* element with distinct meanings); `rename` keys that use.
   */
  code(code: unknown, codes: Set<string>, path: string, rename?: unknown): void {
    if (typeof code !== 'string') return;
    if (!AT_CODE.test(code)) {
      this.problems.push(`${path}: "${code}" is not an at-code (at0001, at0001.1)`);
      return;
    }
    const named = typeof rename === 'string' ? `${code}|${rename}` : undefined;
    if (named !== undefined && codes.has(`${code}|`)) {
      if (codes.has(named)) this.problems.push(`${path}: ${code} is used twice in the same archetype with the name "${String(rename)}"`);
      codes.add(named);
      return;
    }
    if (codes.has(code))
      this.problems.push(
        `${path}: ${code} is used twice in the same archetype${named === undefined ? ' (give each use its own rename)' : ''}`,
      );
    codes.add(code);
    if (named !== undefined) codes.add(`${code}|`).add(named);
  }

  contentItem(item: unknown, path: string): void {
    const rmType = (item as JsonObject | null)?.['rmType'];
    if (rmType !== 'SECTION' && !ENTRY_TYPES.has(String(rmType))) {
      this.problems.push(
        `${path}/rmType: unknown RM type ${JSON.stringify(rmType)} for composition content (SECTION, OBSERVATION, EVALUATION, INSTRUCTION, ACTION, ADMIN_ENTRY)`,
      );
      return;
    }
    const kind = rmType as 'SECTION' | 'OBSERVATION' | 'EVALUATION' | 'INSTRUCTION' | 'ACTION' | 'ADMIN_ENTRY';
    if (!this.shape(NODE_SCHEMAS[kind], item, path)) return;
    const node = item as JsonObject;
    const codes = this.archetype(node, kind, path);
    if (kind === 'SECTION') {
      (node['items'] as unknown[]).forEach((child, index) => this.contentItem(child, `${path}/items/${index}`));
      return;
    }
    for (const structure of ['history', 'event', 'activity', 'data']) {
      const value = node[structure] as JsonObject | undefined;
      if (value !== undefined) this.code(value['code'], codes, `${path}/${structure}/code`);
    }
    const steps = (node['careflowSteps'] as JsonObject[] | undefined) ?? [];
    steps.forEach((step, index) => this.code(step['code'], codes, `${path}/careflowSteps/${index}/code`));
    this.treeItems(node['items'] as unknown[], codes, `${path}/items`);
  }

  treeItems(items: readonly unknown[], codes: Set<string>, path: string): void {
    items.forEach((item, index) => this.treeItem(item, codes, `${path}/${index}`));
  }

  treeItem(item: unknown, codes: Set<string>, path: string): void {
    const node = item as JsonObject | null;
    const rmType = node?.['rmType'];
    if (rmType !== 'ELEMENT' && rmType !== 'CLUSTER') {
      this.problems.push(`${path}/rmType: unknown RM type ${JSON.stringify(rmType)} for an item (ELEMENT or CLUSTER)`);
      return;
    }
    if (rmType === 'CLUSTER' && node !== null && 'archetypeId' in node) {
      if (!this.shape(NODE_SCHEMAS.CLUSTER_ARCHETYPE, item, path)) return;
      const own = this.archetype(node, 'CLUSTER', path);
      this.treeItems(node['items'] as unknown[], own, `${path}/items`);
      return;
    }
    if (!this.shape(NODE_SCHEMAS[rmType], item, path)) return;
    const checked = item as JsonObject;
    this.code(checked['code'], codes, `${path}/code`, checked['rename']);
    this.occurrences(checked, path);
    if (rmType === 'CLUSTER') this.treeItems(checked['items'] as unknown[], codes, `${path}/items`);
    else this.value(checked['value'], codes, `${path}/value`);
  }

  value(value: unknown, codes: Set<string>, path: string): void {
    const type = (value as JsonObject | null)?.['type'];
    if (typeof type !== 'string' || !(type in VALUE_SCHEMAS)) {
      this.problems.push(`${path}/type: unknown data value type ${JSON.stringify(type)} (${Object.keys(VALUE_SCHEMAS).join(', ')})`);
      return;
    }
    if (!this.shape(VALUE_SCHEMAS[type as keyof typeof VALUE_SCHEMAS], value, path)) return;
    const constraint = value as ValueConstraint;
    switch (constraint.type) {
      case 'DV_TEXT':
        if (constraint.list !== undefined && constraint.list.length === 0)
          this.problems.push(`${path}/list: an empty list allows no text at all`);
        if (constraint.list !== undefined && constraint.pattern !== undefined)
          this.problems.push(`${path}: give a list or a pattern, not both`);
        this.unique(constraint.list ?? [], `${path}/list`, 'text');
        break;
      case 'DV_CODED_TEXT': {
        const listed = constraint.codes ?? [];
        if (constraint.codes?.length === 0) this.problems.push(`${path}/codes: an empty list allows no code at all`);
        if (constraint.codes === undefined && constraint.terminology === 'local')
          this.problems.push(`${path}/codes: local codes must be listed`);
        if (!TERMINOLOGY_ID.test(constraint.terminology))
          this.problems.push(`${path}/terminology: "${constraint.terminology}" is not a terminology id`);
        if (constraint.terminology === 'local') {
          listed.forEach((term, index) => this.code(term.code, codes, `${path}/codes/${index}/code`));
        } else {
          this.unique(
            listed.map((term) => term.code),
            `${path}/codes`,
            'code',
          );
          listed.forEach((term, index) => {
            if (term.binding !== undefined)
              this.problems.push(`${path}/codes/${index}/binding: only local codes are bound to a terminology`);
          });
        }
        break;
      }
      case 'DV_ORDINAL':
        if (constraint.scale.length === 0) this.problems.push(`${path}/scale: an empty scale allows no value at all`);
        this.unique(
          constraint.scale.map((term) => String(term.value)),
          `${path}/scale`,
          'ordinal value',
        );
        constraint.scale.forEach((term, index) => this.code(term.code, codes, `${path}/scale/${index}/code`));
        break;
      case 'DV_QUANTITY':
        if (constraint.units.length === 0) this.problems.push(`${path}/units: an empty list allows no unit at all`);
        this.unique(
          constraint.units.map((unit) => unit.units),
          `${path}/units`,
          'unit',
        );
        constraint.units.forEach((unit, index) => {
          if (unit.min !== undefined && unit.max !== undefined && unit.min > unit.max)
            this.problems.push(`${path}/units/${index}: min ${unit.min} is above max ${unit.max}`);
        });
        break;
      case 'DV_COUNT':
        if (constraint.min !== undefined && constraint.max !== undefined && constraint.min > constraint.max) {
          this.problems.push(`${path}: min ${constraint.min} is above max ${constraint.max}`);
        }
        break;
      default:
        break;
    }
  }

  unique(values: readonly string[], path: string, what: string): void {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) this.problems.push(`${path}: ${what} "${value}" is listed twice`);
      seen.add(value);
    }
  }
}
