/**
 * One reason a composition does not conform to its template or to the Reference Model.
 *
 * - `path`: where in the composition, in the AQL-like form the README of this folder describes
 *   (`/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006]/…/value/magnitude`).
 * - `constraint`: the rule in words, e.g. `occurrences 1..1`, `units in {mm[Hg]}`, `magnitude 0..<1000`.
 * - `message`: a sentence a developer can act on.
 * - `value`: the offending value, when there is one (absent for missing nodes).
 * - `missing`: set when the issue is content the template requires but the composition lacks
 *   (existence, occurrences or cardinality below its lower bound). Nothing written is wrong, so a
 *   version whose lifecycle state is incomplete (a draft) may be committed with such issues.
 */
export interface ValidationIssue {
  readonly path: string;
  readonly constraint: string;
  readonly message: string;
  readonly value?: unknown;
  readonly missing?: true;
}
