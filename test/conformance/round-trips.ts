/**
 * The two round trips of the conformance run, on the web template and OPT the REST API serves.
 *
 * What the system writes itself must come back exactly: a composition made from FLAT converts to
 * FLAT and back to the same composition. What a fixture wrote may come back normalised, but only
 * by the differences the FLAT README documents and `round-trip-corpus.ts` names and explains
 * (ctx/ defaults, aliases written in their one spelling, rm_version, archetype_details, implied
 * `_type`s, names of structure nodes FLAT has no key for); any other difference fails the case.
 */
import { compositionToFlat } from '../../src/openehr/flat/canonical-to-flat.js';
import { FlatFormatError } from '../../src/openehr/flat/flat-format-error.js';
import { flatToComposition, type FlatToCompositionOptions } from '../../src/openehr/flat/flat-to-canonical.js';
import { isJsonObject, type JsonObject } from '../../src/shared/json.js';
import { jsonEqual } from '../../src/openehr/flat/json.js';
import {
  FLAT_DIFFERENCES,
  NOW,
  unexplainedCanonicalDiffs,
  unexplainedChanges,
  type CanonicalDifference,
  type FlatDifference,
} from '../support/openehr/round-trip-corpus.js';
import type { WebTemplate } from '../../src/openehr/template/web-template-model.js';

export type RoundTripOutcome = { ok: true } | { ok: false; reason: string; issues: readonly string[] };

export interface RoundTripTemplate {
  webTemplate: WebTemplate;
  skippedNode: NonNullable<FlatToCompositionOptions['skippedNode']>;
}

// The clock is the corpus's fixed NOW, which its documented differences (context defaults) expect.

/** Every documented FLAT difference; `ctx` (a key appears that the input did not have) only when the input used ctx/ defaults. */
const FLAT_NORMALISATIONS = Object.keys(FLAT_DIFFERENCES) as FlatDifference[];
const CANONICAL_NORMALISATIONS: readonly CanonicalDifference[] = ['rmVersion', 'archetypeDetails', 'structureNames'];

const ok: RoundTripOutcome = { ok: true };

function failure(reason: string, details: readonly string[]): RoundTripOutcome {
  const shown = details.slice(0, 3).join(' | ');
  return { ok: false, reason: `${reason}: ${shown}${details.length > 3 ? ` (and ${details.length - 3} more)` : ''}`, issues: details };
}

function thrown(error: unknown): RoundTripOutcome {
  if (error instanceof FlatFormatError)
    return failure(
      'the converter refused it',
      error.issues.map((issue) => `${issue.path}: ${issue.message}`),
    );
  return failure('the converter threw', [error instanceof Error ? error.message : String(error)]);
}

/** Paths where two JSON values differ exactly (none when equal). */
function canonicalDiffs(before: unknown, after: unknown, path = ''): string[] {
  if (jsonEqual(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item: unknown, index) => canonicalDiffs(item, after[index], `${path}[${index}]`));
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((key) =>
      canonicalDiffs(before[key], after[key], `${path}/${key}`),
    );
  }
  return [`${path || '/'}: ${JSON.stringify(before)?.slice(0, 80)} -> ${JSON.stringify(after)?.slice(0, 80)}`];
}

/**
 * FLAT → canonical → FLAT: the FLAT written back equals the fixture up to the documented
 * normalisations, and the composition made from it equals the first one exactly.
 */
export function roundTripFlat(flat: JsonObject, template: RoundTripTemplate): RoundTripOutcome {
  const options = { now: NOW, skippedNode: template.skippedNode };
  try {
    const composition = flatToComposition(flat, template.webTemplate, options);
    const written = compositionToFlat(composition, template.webTemplate, options);
    const usesCtx = Object.keys(flat).some((key) => key.startsWith('ctx/') || key === 'ctx');
    const allowed = FLAT_NORMALISATIONS.filter((name) => name !== 'ctx' || usesCtx);
    const changes = unexplainedChanges(flat, written, allowed);
    if (changes.length > 0) {
      return failure(
        'FLAT came back changed',
        changes.map((change) => `${change.key}: ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`),
      );
    }
    const again = flatToComposition(written, template.webTemplate, options);
    const drift = canonicalDiffs(composition, again);
    return drift.length === 0 ? ok : failure('the composition written from FLAT did not come back exactly', drift);
  } catch (error) {
    return thrown(error);
  }
}

/**
 * canonical → FLAT → canonical: the composition comes back equal to the fixture up to the
 * documented normalisations, and what came back (written by this converter) round-trips exactly.
 */
export function roundTripCanonical(composition: JsonObject, template: RoundTripTemplate): RoundTripOutcome {
  const options = { now: NOW, skippedNode: template.skippedNode };
  try {
    const back = flatToComposition(compositionToFlat(composition, template.webTemplate, options), template.webTemplate, options);
    const differences = unexplainedCanonicalDiffs(composition, back, CANONICAL_NORMALISATIONS);
    if (differences.length > 0) return failure('the composition came back changed', differences);
    const again = flatToComposition(compositionToFlat(back, template.webTemplate, options), template.webTemplate, options);
    const drift = canonicalDiffs(back, again);
    return drift.length === 0 ? ok : failure('the composition this converter wrote did not come back exactly', drift);
  } catch (error) {
    return thrown(error);
  }
}
