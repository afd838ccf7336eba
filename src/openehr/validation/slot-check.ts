import type { ArchetypeSlot, SlotAssertion } from '../template/opt-model.js';
import type { ConstraintProblem } from './constraint-problem.js';

const patternCache = new Map<string, RegExp | null>();
const MATCH_ALL = new Set(['.*', '.+', '^.*$']);

/** The archetype id pattern of an assertion: the parsed one, else the `{/…/}` of its text. */
function patternOf(assertion: SlotAssertion): string | undefined {
  if (assertion.archetypeIdPattern !== undefined) return assertion.archetypeIdPattern;
  const match = /archetype_id\/value\s+matches\s+\{\/(.*)\/\}/.exec(assertion.stringExpression ?? '');
  return match?.[1];
}

function compile(pattern: string): RegExp | null {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^(?:${pattern})$`);
    } catch {
      regex = null;
    }
    patternCache.set(pattern, regex);
  }
  return regex;
}

function matches(pattern: string, archetypeId: string): boolean {
  return compile(pattern)?.test(archetypeId) ?? false;
}

/**
 * AOM 1.4 slot semantics: an archetype named by a specific include is allowed even when an exclude
 * matches everything (the usual "only these" idiom); otherwise a matching exclude refuses it, and
 * with specific includes the archetype must match one of them.
 */
export function checkSlot(slot: ArchetypeSlot, archetypeId: string): ConstraintProblem[] {
  const includes = slot.includes.map(patternOf).filter((pattern) => pattern !== undefined);
  const excludes = slot.excludes.map(patternOf).filter((pattern) => pattern !== undefined);
  const specificIncludes = includes.filter((pattern) => !MATCH_ALL.has(pattern));
  if (specificIncludes.some((pattern) => matches(pattern, archetypeId))) return [];
  const excludedBy = excludes.find((pattern) => matches(pattern, archetypeId));
  if (excludedBy !== undefined) {
    return [
      {
        constraint: `slot exclude /${excludedBy}/`,
        message: `archetype ${archetypeId} may not fill this slot: it matches the exclusion /${excludedBy}/`,
        value: archetypeId,
      },
    ];
  }
  if (includes.length === 0 || includes.some((pattern) => MATCH_ALL.has(pattern))) return [];
  return [
    {
      constraint: `slot include ${includes.map((pattern) => `/${pattern}/`).join(' or ')}`,
      message: `archetype ${archetypeId} may not fill this slot; it allows ${includes.map((pattern) => `/${pattern}/`).join(' or ')}`,
      value: archetypeId,
    },
  ];
}
