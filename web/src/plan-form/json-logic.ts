// With its extension: the form engine is also compiled with the server's NodeNext resolution (test/web).
import { PATHWAY_RULE_OPERATORS, type PathwayRuleOperator } from '../../../src/careplan/pathway/rule-operators.js';

/**
 * A small interpreter of the JSON Logic subset a pathway's form rules may use (the server's
 * PATHWAY_RULE_OPERATORS: comparisons, logic, `in`, `missing` and `var`). It walks the data; it
 * never builds or evaluates code, and an operator outside the list is an error, not a guess.
 */

export type LogicValue = string | number | boolean | null | LogicValue[];

/** A condition that uses an operator the subset does not have, or is not JSON Logic at all. */
export class RuleLogicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleLogicError';
  }
}

const OPERATORS = new Set<string>(PATHWAY_RULE_OPERATORS);

function isOperator(name: string): name is PathwayRuleOperator {
  return OPERATORS.has(name);
}

/** JSON Logic's truth: an empty list is false, otherwise as JavaScript's. */
export function truthy(value: LogicValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** JSON Logic's `==`: JavaScript loose equality for the primitive values form data holds. */
function looseEquals(a: LogicValue, b: LogicValue): boolean {
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) return a === b;
  if (typeof a === typeof b) return a === b;
  // Mixed kinds compare as numbers, as JavaScript's == does (true == 1, '5' == 5, '' == 0).
  const number = (value: string | number | boolean) => (typeof value === 'string' && value.trim() === '' ? 0 : Number(value));
  return number(a) === number(b);
}

function compare(a: LogicValue, b: LogicValue): number | undefined {
  if (a === null || b === null || Array.isArray(a) || Array.isArray(b)) return undefined;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
}

/** The argument list of an operation: JSON Logic allows one argument without the brackets. */
const argumentsOf = (argument: unknown): unknown[] => (Array.isArray(argument) ? argument : [argument]);

/**
 * The value of `logic` over `lookup` (which answers `var` for a name, null when it has none).
 * Plain values are themselves; an object is one operation with exactly one operator.
 */
export function evaluateLogic(logic: unknown, lookup: (name: string) => LogicValue): LogicValue {
  if (logic === null || typeof logic === 'string' || typeof logic === 'number' || typeof logic === 'boolean') return logic;
  if (Array.isArray(logic)) return logic.map((item) => evaluateLogic(item, lookup));
  if (typeof logic !== 'object') throw new RuleLogicError('a condition holds only JSON values');
  const entries = Object.entries(logic);
  if (entries.length !== 1) throw new RuleLogicError('an operation is an object with exactly one operator');
  const [operator, argument] = entries[0] as [string, unknown];
  if (!isOperator(operator)) throw new RuleLogicError(`${operator} is not an operator rules may use`);
  const value = (item: unknown) => evaluateLogic(item, lookup);
  const args = argumentsOf(argument);

  switch (operator) {
    case 'var': {
      const [name, fallback] = args.map(value);
      const found = typeof name === 'string' || typeof name === 'number' ? lookup(String(name)) : null;
      return found === null && fallback !== undefined ? fallback : found;
    }
    case '==':
      return looseEquals(value(args[0]), value(args[1]));
    case '!=':
      return !looseEquals(value(args[0]), value(args[1]));
    case '===':
      return value(args[0]) === value(args[1]);
    case '!==':
      return value(args[0]) !== value(args[1]);
    case '<':
    case '<=': {
      // Three arguments test that the middle lies between the others (JSON Logic's "between").
      const values = args.map(value);
      const holds = (difference: number | undefined) => difference !== undefined && (operator === '<' ? difference < 0 : difference <= 0);
      return values.slice(1).every((current, index) => holds(compare(values[index] ?? null, current)));
    }
    case '>':
    case '>=': {
      const difference = compare(value(args[0]), value(args[1]));
      return difference !== undefined && (operator === '>' ? difference > 0 : difference >= 0);
    }
    case 'and': {
      // Short-circuits and answers the deciding value, as JSON Logic does.
      let last: LogicValue = true;
      for (const item of args) {
        last = value(item);
        if (!truthy(last)) return last;
      }
      return last;
    }
    case 'or': {
      let last: LogicValue = false;
      for (const item of args) {
        last = value(item);
        if (truthy(last)) return last;
      }
      return last;
    }
    case '!':
      return !truthy(value(args[0]));
    case '!!':
      return truthy(value(args[0]));
    case 'in': {
      const needle = value(args[0]);
      const haystack = value(args[1]);
      if (typeof haystack === 'string') return needle !== null && !Array.isArray(needle) && haystack.includes(String(needle));
      return Array.isArray(haystack) && haystack.some((item) => item === needle);
    }
    case 'missing': {
      const names = args.flatMap((item) => {
        const evaluated = value(item);
        return Array.isArray(evaluated) ? evaluated : [evaluated];
      });
      return names.filter((name): name is string | number => {
        if (typeof name !== 'string' && typeof name !== 'number') return false;
        const found = lookup(String(name));
        return found === null || found === '';
      });
    }
  }
}
