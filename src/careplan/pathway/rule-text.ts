/**
 * A form rule in plain words, as a clinical designer reads it: the words the designer's editor
 * shows (web/src/pages/designer/design-form.ts) and the reviewer's diff gives
 * (src/designer/pathway-diff.ts), so both say the same. Kept free of imports so the web app
 * compiles it as it is (web/tsconfig.json includes this file).
 */

/** What the words need of the module's form: a field's label, and the label of one of its values. */
export interface RuleWords {
  /** The field's label for a FLAT path (the path itself when the form has no such field). */
  label(path: string): string;
  /** The label of a value of the field (a coded option's label); undefined to show the value as it is. */
  valueLabel?(path: string, value: string): string | undefined;
}

/** A rule as the text says it: any condition, then what it does. */
export interface RuleLike {
  readonly when: unknown;
  readonly then: readonly unknown[];
}

const quoted = (text: string): string => `“${text}”`;

function valueText(words: RuleWords, path: string | undefined, value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (typeof value === 'string') return quoted((path !== undefined ? words.valueLabel?.(path, value) : undefined) ?? value);
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

const varOf = (operand: unknown): string | undefined => {
  const path = typeof operand === 'object' && operand !== null && !Array.isArray(operand) ? (operand as { var?: unknown }).var : undefined;
  return typeof path === 'string' ? path : undefined;
};

const COMPARISONS: Readonly<Record<string, string>> = {
  '==': 'is',
  '===': 'is',
  '!=': 'is not',
  '!==': 'is not',
  '<': 'is less than',
  '<=': 'is at most',
  '>': 'is more than',
  '>=': 'is at least',
};

/**
 * A condition in plain words for the shapes the editor makes and a few more (`field is value`,
 * comparisons, `and`, `or`, `not`, always); JSON Logic as it is otherwise.
 */
export function conditionText(words: RuleWords, when: unknown): string {
  if (typeof when === 'object' && when !== null && !Array.isArray(when) && Object.keys(when).length === 1) {
    const [operator, argument] = Object.entries(when)[0] ?? [];
    const args: unknown[] = Array.isArray(argument) ? argument : [argument];
    const comparison = operator === undefined ? undefined : COMPARISONS[operator];
    const path = varOf(args[0]);
    if (comparison !== undefined && args.length === 2 && path !== undefined)
      return `${quoted(words.label(path))} ${comparison} ${valueText(words, path, args[1])}`;
    if ((operator === 'and' || operator === 'or') && args.length > 1)
      return args.map((part) => conditionText(words, part)).join(` ${operator} `);
    if (operator === '!!' && args.length === 1 && args[0] === true) return 'always';
    if (operator === '!!' && args.length === 1 && varOf(args[0]) !== undefined)
      return `${quoted(words.label(varOf(args[0]) ?? ''))} is filled`;
    if (operator === '!' && args.length === 1 && varOf(args[0]) !== undefined)
      return `${quoted(words.label(varOf(args[0]) ?? ''))} is empty`;
  }
  return JSON.stringify(when);
}

/** One action in plain words: `show “Crisis team contact”`, `make “Crisis team contact” required` … */
export function actionText(words: RuleWords, action: unknown): string {
  const named = (typeof action === 'object' && action !== null ? action : {}) as Record<string, unknown>;
  const field = (key: string): string | undefined => (typeof named[key] === 'string' ? (named[key] as string) : undefined);
  const [show, hide, require, set, clear] = ['show', 'hide', 'require', 'set', 'clear'].map(field);
  if (show !== undefined) return `show ${quoted(words.label(show))}`;
  if (hide !== undefined) return `hide ${quoted(words.label(hide))}`;
  if (require !== undefined) return `make ${quoted(words.label(require))} required`;
  if (set !== undefined) return `set ${quoted(words.label(set))} to ${valueText(words, set, named['value'])}`;
  if (clear !== undefined) return `clear ${quoted(words.label(clear))}`;
  return JSON.stringify(action);
}

/** A rule in plain words: `When “Under a crisis team” is yes: show “Crisis team contact”, make “Crisis team contact” required`. */
export function ruleText(words: RuleWords, rule: RuleLike): string {
  const condition = conditionText(words, rule.when);
  const actions = rule.then.map((action) => actionText(words, action)).join(', ');
  return condition === 'always' ? `Always: ${actions}` : `When ${condition}: ${actions}`;
}
