/** A failed check on one value, before the walker adds the path and the value. */
export interface ConstraintProblem {
  readonly constraint: string;
  readonly message: string;
  /** Path below the checked value (`/units`), when the problem is in one of its parts. */
  readonly subPath?: string;
  /** The offending value when it is not the checked value itself. */
  readonly value?: unknown;
}
