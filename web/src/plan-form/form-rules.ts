import type { Static } from 'typebox';
import type { FormRuleSchema } from '../../../src/careplan/pathway/pathway-definition.js';
import { evaluateLogic, RuleLogicError, truthy, type LogicValue } from './json-logic.js';

/*
 * The form engine's rules, pure and free of the app's API module so that they are tested as they
 * run (test/web/form-rules.test.ts); imports carry their extension for the same reason.
 */

/** A form's content: FLAT keys to the values its controls hold (flat-values' FlatContent). */
type FlatContent = Record<string, string | number | boolean>;

/** A pathway module's when/then rule as the pathways API serves it (docs/designer.md): the server's schema of it. */
export type FormRule = Static<typeof FormRuleSchema>;

export type RuleAction = FormRule['then'][number];

/** What the rules make of the form now: fields hidden, fields required, and rules that could not be read. */
export interface RuleEffects {
  hidden: ReadonlySet<string>;
  required: ReadonlySet<string>;
  broken: readonly string[];
}

/**
 * The form path of an instance path: rules name a repeating node's first instance (`:0`, as the
 * form definition does), and apply to each of its instances.
 */
export const formPathOf = (path: string): string => path.replace(/:\d+(?=[/|]|$)/g, ':0');

/** The value `var` reads for a FLAT path: the one a condition compares (a code for a coded value). */
export function flatValueOf(flat: FlatContent, path: string): LogicValue {
  for (const key of [path, `${path}|code`, `${path}|value`, `${path}|magnitude`, `${path}|id`]) {
    const value = flat[key];
    if (value !== undefined) return value;
  }
  return null;
}

function holds(rule: FormRule, flat: FlatContent): boolean | 'broken' {
  try {
    return truthy(evaluateLogic(rule.when, (name) => flatValueOf(flat, name)));
  } catch (error) {
    if (error instanceof RuleLogicError) return 'broken';
    throw error;
  }
}

/**
 * Which fields the rules hide and require for this content. A field some rule `show`s is hidden
 * unless one such rule holds; a holding rule's `hide` hides and its `require` requires. A rule
 * the interpreter cannot read holds for nothing, and is reported, so a bad rule never hides a
 * field it should not.
 */
export function ruleEffects(rules: readonly FormRule[], flat: FlatContent): RuleEffects {
  const shownByRule = new Set<string>();
  const shown = new Set<string>();
  const hidden = new Set<string>();
  const required = new Set<string>();
  const broken: string[] = [];
  for (const rule of rules) {
    const outcome = holds(rule, flat);
    if (outcome === 'broken') broken.push(rule.id);
    for (const action of rule.then) {
      if ('show' in action) {
        shownByRule.add(action.show);
        if (outcome === true) shown.add(action.show);
      } else if (outcome === true && 'hide' in action) hidden.add(action.hide);
      else if (outcome === true && 'require' in action) required.add(action.require);
    }
  }
  for (const path of shownByRule) if (!shown.has(path)) hidden.add(path);
  return { hidden, required, broken };
}

/** Whether a field or section at `path` (an instance path) is hidden: it or a section it is in. */
export function isHidden(effects: RuleEffects, path: string): boolean {
  const form = formPathOf(path);
  for (const target of effects.hidden) if (form === target || form.startsWith(`${target}/`)) return true;
  return false;
}

export const isRequired = (effects: RuleEffects, path: string): boolean => effects.required.has(formPathOf(path));

/**
 * The content after the holding rules' `set` and `clear` actions. `write` puts a value in as the
 * field's control would (flat-values' writeField, with all the FLAT keys of its data type).
 */
export function applyValueActions(
  rules: readonly FormRule[],
  flat: FlatContent,
  write: (path: string, value: string, content: FlatContent) => FlatContent,
): FlatContent {
  let next = flat;
  for (const rule of rules) {
    if (holds(rule, flat) !== true) continue;
    for (const action of rule.then) {
      if ('set' in action) next = write(action.set, String(action.value), next);
      else if ('clear' in action) next = withoutPaths(next, [action.clear]);
    }
  }
  return next;
}

/** The content without the values at these paths (and anything under them). */
export function withoutPaths(flat: FlatContent, paths: readonly string[]): FlatContent {
  const gone = (key: string) =>
    paths.some((path) => {
      const form = formPathOf(key);
      return form === path || form.startsWith(`${path}|`) || form.startsWith(`${path}/`);
    });
  return Object.fromEntries(Object.entries(flat).filter(([key]) => !gone(key)));
}

/**
 * What a save sends: the content without the values of hidden fields, so an answer given before
 * the rule hid its field is not saved as if it still applied.
 */
export function withoutHidden(flat: FlatContent, effects: RuleEffects): FlatContent {
  return withoutPaths(flat, [...effects.hidden]);
}

/**
 * The message for a field a rule makes required and that is empty, in the NHS style: "Select"
 * for a choice, "Enter" for anything typed.
 */
export function requiredProblem(field: { label: string; input: string }, value: string): string | undefined {
  if (value.trim() !== '') return undefined;
  const name = field.label.charAt(0).toLowerCase() + field.label.slice(1);
  return ['select', 'ordinal', 'boolean'].includes(field.input) ? `Select ${name}` : `Enter ${name}`;
}
