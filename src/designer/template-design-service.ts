import { readFile, readdir } from 'node:fs/promises';
import type { Caller } from '../access/caller.js';
import { UCP_TEMPLATES_ROOT } from '../careplan/pathway/compile-template-descriptions.js';
import { AppError } from '../errors/app-error.js';
import { compileTemplate, TemplateDescriptionError } from '../openehr/template-builder/index.js';
import type { FlatPathMove, StoredTemplate, TemplateService } from '../openehr/service/template-service.js';
import { applyTemplateEdits, type TemplateEdit } from './template-edits.js';

/**
 * The template composer: a designer revises a published template by declarative edits to its
 * template description, compiled to OPT 1.4 by the template builder and stored as a revision
 * through the template service, whose check refuses any revision that would break a stored
 * composition. A template the builder did not make (a published UK OPT) is not composable.
 */
export class TemplateDesignService {
  constructor(
    private readonly templates: TemplateService,
    private readonly root: URL = UCP_TEMPLATES_ROOT,
  ) {}

  list(): Promise<StoredTemplate[]> {
    return this.templates.list();
  }

  revisions(templateId: string): Promise<StoredTemplate[]> {
    return this.templates.revisions(templateId);
  }

  /**
   * The description the current revision was compiled from: the one the composer stored with it,
   * or the shipped one (templates/descriptions) when it compiles to exactly the current OPT.
   */
  async description(templateId: string): Promise<{ version: number; description: unknown }> {
    const current = await this.templates.content(templateId);
    if (current.description !== undefined) return { version: current.version, description: current.description };
    const shipped = await this.#shippedDescription(templateId);
    if (shipped !== undefined && compileTemplate(shipped) === current.optXml) return { version: current.version, description: shipped };
    throw new AppError(
      'conflict',
      `Template ${templateId} version ${current.version} was not made by the template builder (or differs from its description); ` +
        'the composer cannot edit it. Revise it by uploading an OPT.',
    );
  }

  /**
   * Applies the edits to the current revision's description, compiles it and stores it as the
   * next revision. `pathMap` declares the FLAT paths the edits move (a rename of a node holding
   * data), old to new: a node renamed so keeps its present name allowed for stored data, the
   * revision check accepts the move, and the next pathway drafts follow it.
   */
  async revise(
    caller: Caller,
    templateId: string,
    edits: readonly TemplateEdit[],
    pathMap: readonly FlatPathMove[] = [],
  ): Promise<{ template: StoredTemplate; revisedFrom: number }> {
    const { version, description } = await this.description(templateId);
    const current = await this.templates.get(templateId, version);
    const edited = applyTemplateEdits(description, current.webTemplate, edits, new Set(pathMap.map((move) => move.from)));
    if (edited.problems.length > 0)
      throw new AppError('unprocessable', 'Some edits cannot be applied; nothing was changed.', { issues: edited.problems });
    let optXml: string;
    try {
      optXml = compileTemplate(edited.description);
    } catch (error) {
      if (!(error instanceof TemplateDescriptionError)) throw error;
      throw new AppError('unprocessable', 'The edited template does not compile; nothing was changed.', {
        issues: error.problems.map((problem) => ({ path: '/edits', message: problem })),
        cause: error,
      });
    }
    const { template } = await this.templates.upload(optXml, { caller, description: edited.description, pathMap });
    return { template, revisedFrom: version };
  }

  async #shippedDescription(templateId: string): Promise<unknown> {
    const folder = new URL('descriptions/', this.root);
    for (const file of (await readdir(folder)).filter((name) => name.endsWith('.json')).sort()) {
      const description: unknown = JSON.parse(await readFile(new URL(encodeURIComponent(file), folder), 'utf8'));
      if ((description as { templateId?: unknown }).templateId === templateId) return description;
    }
    return undefined;
  }
}
