import { readFile, readdir } from 'node:fs/promises';
import { compileTemplate, TemplateDescriptionError } from '../../openehr/template-builder/index.js';

/** The project's templates folder: descriptions/ (sources), opt/ (compiled and published OPTs), pathways/. */
export const UCP_TEMPLATES_ROOT = new URL('../../../templates/', import.meta.url);

export interface CompiledDescription {
  /** The description's file name in descriptions/. */
  readonly file: string;
  readonly templateId: string;
  /** The OPT file name in opt/ the compiled template is kept in. */
  readonly optFile: string;
  readonly xml: string;
}

/** The OPT file name of a template: its id, as the published fixtures name theirs. */
export function optFileName(templateId: string): string {
  return `${templateId}.opt`;
}

/**
 * Compiles every template description in `<root>/descriptions/*.json`, in file name order. A
 * description that does not compile is an error naming its file and every problem.
 */
export async function compileTemplateDescriptions(root: URL = UCP_TEMPLATES_ROOT): Promise<CompiledDescription[]> {
  const folder = new URL('descriptions/', root);
  const files = (await readdir(folder)).filter((file) => file.endsWith('.json')).sort();
  const compiled: CompiledDescription[] = [];
  for (const file of files) {
    const description: unknown = JSON.parse(await readFile(new URL(encodeURIComponent(file), folder), 'utf8'));
    try {
      const xml = compileTemplate(description);
      const templateId = (description as { templateId: string }).templateId;
      compiled.push({ file, templateId, optFile: optFileName(templateId), xml });
    } catch (error) {
      if (error instanceof TemplateDescriptionError)
        throw new TemplateDescriptionError(error.problems.map((problem) => `${file}${problem}`));
      throw error;
    }
  }
  return compiled;
}
