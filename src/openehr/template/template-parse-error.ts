/** Where in the source document a problem was found (1-based). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Thrown when a document cannot be accepted as an operational template: unsafe XML (DOCTYPE,
 * entities), malformed XML, XML that is not an OPT, or an OPT that breaks the schema. `problems`
 * lists every problem found; `message` joins them so a log line alone says what is wrong.
 */
export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
  readonly problems: readonly string[];
  readonly position?: SourcePosition;

  constructor(problems: string | readonly string[], position?: SourcePosition) {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    super(list.length === 1 ? (list[0] ?? '') : `${list.length} problems: ${list.join('; ')}`);
    this.problems = list;
    if (position !== undefined) this.position = position;
  }
}
