import type { WebTemplate, WebTemplateInput, WebTemplateNode } from '../../openehr/template/index.js';
import type { FormOverrides } from './pathway-definition.js';

export type FormInputKind =
  | 'text'
  | 'select'
  | 'coded-text'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'duration'
  | 'integer'
  | 'quantity'
  | 'ordinal'
  | 'proportion'
  | 'identifier'
  | 'uri'
  | 'parsable'
  | 'multimedia';

export interface FormOption {
  readonly value: string;
  readonly label: string;
  /** The terminology of a coded option (local, SNOMED-CT …); absent for plain text lists. */
  readonly terminology?: string;
  /** The ordinal value of a DV_ORDINAL option. */
  readonly ordinal?: number;
}

export interface FormUnit {
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
  /** Decimal places allowed. */
  readonly precision?: number;
}

export interface FormField {
  readonly kind: 'field';
  /** The FLAT path of the value; a repeating node on the way has `:0` (replace it for further instances). */
  readonly path: string;
  readonly label: string;
  readonly help: string;
  readonly input: FormInputKind;
  readonly rmType: string;
  readonly required: boolean;
  readonly repeatable: boolean;
  readonly options?: readonly FormOption[];
  /** The terminology of a free coded text (code and value typed in). */
  readonly terminology?: string;
  readonly units?: readonly FormUnit[];
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
}

export interface FormSection {
  readonly kind: 'section';
  readonly path: string;
  readonly label: string;
  readonly help: string;
  readonly rmType: string;
  readonly required: boolean;
  readonly repeatable: boolean;
  readonly children: readonly (FormField | FormSection)[];
}

export interface FormDefinition {
  readonly templateId: string;
  /** The FLAT path prefix of every field (the web template's root id). */
  readonly root: string;
  readonly title: string;
  readonly sections: readonly FormSection[];
}

const INPUT_KINDS: Readonly<Record<string, FormInputKind>> = {
  DV_TEXT: 'text',
  DV_CODED_TEXT: 'select',
  DV_BOOLEAN: 'boolean',
  DV_DATE: 'date',
  DV_DATE_TIME: 'datetime',
  DV_TIME: 'time',
  DV_DURATION: 'duration',
  DV_COUNT: 'integer',
  DV_QUANTITY: 'quantity',
  DV_ORDINAL: 'ordinal',
  DV_PROPORTION: 'proportion',
  DV_IDENTIFIER: 'identifier',
  DV_URI: 'uri',
  DV_EHR_URI: 'uri',
  DV_PARSABLE: 'parsable',
  DV_MULTIMEDIA: 'multimedia',
};

/** Containers the RM needs but a person filling a form does not see: their content joins the parent's. */
const TRANSPARENT = new Set([
  'HISTORY',
  'EVENT',
  'POINT_EVENT',
  'INTERVAL_EVENT',
  'ACTIVITY',
  'ITEM_TREE',
  'ITEM_LIST',
  'ITEM_SINGLE',
  'ITEM_TABLE',
]);

/**
 * Generates the form of a template from its web template: one section per entry, section or
 * cluster of the content (in template order), one field per element with its FLAT path, label,
 * help text, input kind, whether it is required or repeats, and what the constraint allows
 * (options, units, ranges, pattern). RM context (composer, language, subject, event times …) is
 * left out: the service fills it. `overrides` relabel, re-order and hide, by FLAT path.
 */
export function buildFormDefinition(webTemplate: WebTemplate, overrides: FormOverrides = {}): FormDefinition {
  const root = webTemplate.tree;
  const hidden = overrides.hidden ?? [];
  const isHidden = (path: string): boolean => hidden.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  const label = (path: string, node: WebTemplateNode): string => overrides.labels?.[path] ?? node.localizedName ?? node.name ?? node.id;
  const help = (path: string, node: WebTemplateNode): string =>
    overrides.help?.[path] ?? node.localizedDescriptions?.[webTemplate.defaultLanguage] ?? '';

  const children = (node: WebTemplateNode, path: string, required: boolean): (FormField | FormSection)[] =>
    (node.children ?? []).flatMap((child) => {
      if (child.inContext === true || child.nodeId === undefined || child.nodeId === '') return [];
      const childPath = `${path}/${child.id}${child.max !== 1 ? ':0' : ''}`;
      if (isHidden(childPath)) return [];
      const childRequired = required && child.min > 0;
      if (TRANSPARENT.has(child.rmType)) return children(child, childPath, childRequired);
      if (child.nodeId.startsWith('openEHR-') || child.rmType === 'CLUSTER' || child.rmType === 'SECTION') {
        const content = children(child, childPath, childRequired);
        if (content.length === 0) return [];
        return [
          {
            kind: 'section',
            path: childPath,
            label: label(childPath, child),
            help: help(childPath, child),
            rmType: child.rmType,
            required: child.min > 0,
            repeatable: child.max !== 1,
            children: content,
          },
        ];
      }
      const field = fieldOf(child, childPath, label(childPath, child), help(childPath, child));
      return field === undefined ? [] : [field];
    });

  const sections = children(root, root.id, true).map((item): FormSection =>
    item.kind === 'section'
      ? item
      : {
          kind: 'section',
          path: item.path,
          label: item.label,
          help: item.help,
          rmType: item.rmType,
          required: item.required,
          repeatable: item.repeatable,
          children: [item],
        },
  );
  const order = overrides.order ?? [];
  const rank = (section: FormSection): number => {
    const index = order.indexOf(section.path);
    return index < 0 ? order.length : index;
  };
  return {
    templateId: webTemplate.templateId,
    root: root.id,
    title: overrides.labels?.[root.id] ?? root.localizedName ?? root.name ?? root.id,
    sections: sections
      .map((section, index) => ({ section, index }))
      .sort((a, b) => rank(a.section) - rank(b.section) || a.index - b.index)
      .map(({ section }) => section),
  };
}

/** The field of an element: its value node, or, for a choice of value types, the first the form can offer. */
function fieldOf(node: WebTemplateNode, path: string, label: string, help: string): FormField | undefined {
  if (node.rmType === 'ELEMENT') {
    const alternative = (node.children ?? []).find((child) => INPUT_KINDS[child.rmType] !== undefined);
    if (alternative === undefined) return undefined;
    const field = fieldOf({ ...alternative, min: node.min, max: node.max }, `${path}/${alternative.id}`, label, help);
    return field === undefined ? undefined : { ...field, repeatable: node.max !== 1 };
  }
  const kind = INPUT_KINDS[node.rmType];
  if (kind === undefined) return undefined;
  const inputs = node.inputs ?? [];
  const base = { kind: 'field' as const, path, label, help, rmType: node.rmType, required: node.min > 0, repeatable: node.max !== 1 };
  const coded = inputs.find((input) => input.type === 'CODED_TEXT' && input.list !== undefined);
  switch (node.rmType) {
    case 'DV_CODED_TEXT':
      if (coded === undefined) {
        const terminology = inputs.find((input) => input.terminology !== undefined)?.terminology;
        return { ...base, input: 'coded-text', ...(terminology !== undefined ? { terminology } : {}) };
      }
      return { ...base, input: 'select', options: optionsOf(coded) };
    case 'DV_ORDINAL':
      return { ...base, input: 'ordinal', options: optionsOf(coded) };
    case 'DV_TEXT': {
      const text = inputs[0];
      if (text?.list !== undefined && text.list.length > 0)
        return { ...base, input: 'select', options: text.list.map((entry) => ({ value: entry.value, label: entry.label ?? entry.value })) };
      const pattern = text?.validation?.pattern;
      return { ...base, input: 'text', ...(pattern !== undefined ? { pattern } : {}) };
    }
    case 'DV_COUNT': {
      const range = inputs[0]?.validation?.range;
      return {
        ...base,
        input: 'integer',
        ...(range?.min !== undefined ? { min: range.min } : {}),
        ...(range?.max !== undefined ? { max: range.max } : {}),
      };
    }
    case 'DV_QUANTITY': {
      const units = inputs.find((input) => input.suffix === 'unit')?.list ?? [];
      return {
        ...base,
        input: 'quantity',
        units: units.map((unit) => ({
          unit: unit.value,
          ...(unit.validation?.range?.min !== undefined ? { min: unit.validation.range.min } : {}),
          ...(unit.validation?.range?.max !== undefined ? { max: unit.validation.range.max } : {}),
          ...(unit.validation?.precision?.max !== undefined ? { precision: unit.validation.precision.max } : {}),
        })),
      };
    }
    default:
      return { ...base, input: kind };
  }
}

function optionsOf(input: WebTemplateInput | undefined): FormOption[] {
  return (input?.list ?? []).map((entry) => ({
    value: entry.value,
    label: entry.label ?? entry.value,
    ...(input?.terminology !== undefined ? { terminology: input.terminology } : { terminology: 'local' }),
    ...(entry.ordinal !== undefined ? { ordinal: entry.ordinal } : {}),
  }));
}

/** Every path of a form (sections and fields), to check overrides against. */
export function formPaths(form: FormDefinition): string[] {
  const paths: string[] = [form.root];
  const visit = (item: FormField | FormSection): void => {
    paths.push(item.path);
    if (item.kind === 'section') item.children.forEach(visit);
  };
  form.sections.forEach(visit);
  return paths;
}
