/** One problem found while converting: the FLAT key (or canonical path) and what is wrong with it. */
export interface FlatFormatIssue {
  path: string;
  message: string;
}

/**
 * Raised when a FLAT/STRUCTURED document or a canonical composition cannot be converted. It carries
 * every issue found in the document, not only the first, so a client can fix them in one go.
 */
export class FlatFormatError extends Error {
  readonly issues: readonly FlatFormatIssue[];

  constructor(issues: readonly FlatFormatIssue[]) {
    const first = issues[0];
    const summary = first ? `${first.path}: ${first.message}` : 'unknown problem';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(`Invalid simplified-format data: ${summary}${more}`);
    this.name = 'FlatFormatError';
    this.issues = issues;
  }
}
