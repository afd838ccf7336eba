/**
 * Thrown when a template description cannot be compiled: `problems` lists every problem found,
 * each with its JSON path in the description; `message` joins them so a log line says it all.
 */
export class TemplateDescriptionError extends Error {
  override readonly name = 'TemplateDescriptionError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] ?? '') : `${problems.length} problems: ${problems.join('; ')}`);
    this.problems = [...problems];
  }
}
