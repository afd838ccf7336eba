import type { WebTemplateRange } from '../template/index.js';

/** What a number must satisfy: a web template range and at most `decimals` decimal places. */
export interface NumberRule {
  readonly range?: WebTemplateRange | undefined;
  /** Maximum number of decimal places; undefined leaves them free. */
  readonly decimals?: number | undefined;
  /** An extra condition (a denominator may not be 0, ...). */
  readonly accept?: ((value: number) => boolean) | undefined;
}

/** Decimals kept when the rule leaves them free, so midpoints print without binary noise. */
const FREE_DECIMALS = 6;

function rounded(value: number, decimals: number | undefined): number {
  const places = Math.min(decimals ?? FREE_DECIMALS, FREE_DECIMALS);
  const factor = 10 ** Math.max(0, places);
  return Math.round(value * factor) / factor;
}

/** True when `value` lies in `range` (a missing bound is open). */
export function inRange(value: number, range: WebTemplateRange | undefined): boolean {
  if (range === undefined) return true;
  if (range.min !== undefined && (range.minOp === '>' ? value <= range.min : value < range.min)) return false;
  if (range.max !== undefined && (range.maxOp === '<' ? value >= range.max : value > range.max)) return false;
  return true;
}

/**
 * A readable number satisfying the rule: the middle of a closed range, else a step inside the
 * open bound, else `preferred`. Candidates are tried in that order so the result is deterministic;
 * undefined when none fits (an empty range such as `>0 <1` for integers).
 */
export function exampleNumber(rule: NumberRule, preferred = 1): number | undefined {
  const { range, decimals } = rule;
  const step = 10 ** -Math.min(decimals ?? 1, FREE_DECIMALS);
  const candidates: number[] = [];
  const min = range?.min;
  const max = range?.max;
  if (min !== undefined && max !== undefined) candidates.push((min + max) / 2);
  if (min !== undefined) candidates.push(Math.max(min + 1, preferred), min + 1, min, min + step);
  if (max !== undefined) candidates.push(Math.min(max - 1, preferred), max - 1, max, max - step);
  candidates.push(preferred, 1, 0);
  for (const candidate of candidates) {
    const value = rounded(candidate, decimals);
    if (inRange(value, range) && (rule.accept?.(value) ?? true)) return value;
  }
  return undefined;
}
