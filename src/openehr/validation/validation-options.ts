/** A code the template delegates to an external terminology or value set. */
export interface ExternalCode {
  readonly terminologyId: string;
  readonly code: string;
  /** The value set the template names (C_CODE_REFERENCE.referenceSetUri), when it names one. */
  readonly valueSetUri?: string;
}

/**
 * Synchronous on purpose: validation is pure and fast, so a caller that wants terminology checks
 * resolves (or caches) the value sets it needs beforehand and answers from memory.
 */
export interface TerminologyCheck {
  /** true: the code is valid; false: it is not; undefined: cannot tell, so the code is accepted. */
  isValidCode(code: ExternalCode): boolean | undefined;
}

export interface ValidationOptions {
  /**
   * Consulted for codes the template does not list itself: C_CODE_REFERENCE value sets, external
   * terminologies constrained without a code list, and CONSTRAINT_REF. Without it those codes are
   * accepted as long as their terminology is the one the template names.
   */
  readonly terminology?: TerminologyCheck;
}
