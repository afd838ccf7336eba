import { readFile, readdir } from 'node:fs/promises';
import type { Caller } from '../access/caller.js';
import { UCP_TEMPLATES_ROOT } from '../careplan/pathway/compile-template-descriptions.js';
import { buildFormDefinition, type FormDefinition } from '../careplan/pathway/form-definition.js';
import { AppError } from '../errors/app-error.js';
import {
  compileTemplate,
  isTemplateDescription,
  TemplateDescriptionError,
  type TemplateDescription,
} from '../openehr/template-builder/index.js';
import type { FlatPathMove, StoredTemplate, TemplateService } from '../openehr/service/template-service.js';
import type { WebTemplateNode } from '../openehr/template/web-template-model.js';
import { ArchetypeCatalogue, type CatalogueArchetype } from './archetype-catalogue.js';
import { describeNewTemplate, type NewTemplate } from './template-from-archetypes.js';
import { applyTemplateEdits, type TemplateEdit } from './template-edits.js';

/** A node of a template as the composer shows it: its field path, name, kind and how often it occurs. */
export interface TemplateTreeNode {
  /** The FLAT path edits name it by. */
  readonly path: string;
  readonly name: string;
  readonly rmType: string;
  /** The archetype id of an archetype root, or the at-code of a node inside one. */
  readonly nodeId: string | undefined;
  readonly min: number;
  /** -1: unbounded. */
  readonly max: number;
  /** The kind of value of an element (TEXT, BOOLEAN, CODED_TEXT…). */
  readonly valueType: string | undefined;
  readonly children: readonly TemplateTreeNode[];
}

/**
 * The template composer: a designer revises a published template by declarative edits to its
 * template description, compiled to OPT 1.4 by the template builder and stored as a revision
 * through the template service, whose check refuses any revision that would break a stored
 * composition. A template the builder did not make (a published UK OPT) is not composable. A new
 * template is made from the archetypes of the catalogue (those the shipped descriptions use).
 */
export class TemplateDesignService {
  constructor(
    private readonly templates: TemplateService,
    private readonly root: URL = UCP_TEMPLATES_ROOT,
  ) {}

  #shipped: Promise<TemplateDescription[]> | undefined;
  #catalogue: Promise<ArchetypeCatalogue> | undefined;

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

  /** The archetypes a new template can be made of, with their nodes. */
  async archetypes(): Promise<CatalogueArchetype[]> {
    return (await this.#archetypeCatalogue()).list();
  }

  /**
   * A new template from catalogue archetypes: described, compiled by the template builder and
   * stored as revision 1 (audited with the upload). 422 with every problem of the input at its
   * path; 409 when the template id is taken. Nothing is stored on a refusal.
   */
  async create(caller: Caller, input: NewTemplate): Promise<StoredTemplate> {
    const made = describeNewTemplate(await this.#archetypeCatalogue(), input, {
      name: caller.displayName,
      date: new Date().toISOString().slice(0, 10),
    });
    if ('problems' in made)
      throw new AppError('unprocessable', 'The template cannot be made as chosen; nothing was stored.', { issues: made.problems });
    let optXml: string;
    try {
      optXml = compileTemplate(made.description);
    } catch (error) {
      if (!(error instanceof TemplateDescriptionError)) throw error;
      throw new AppError('unprocessable', 'The template does not compile; nothing was stored.', {
        issues: error.problems.map((problem) => ({ path: '/entries', message: problem })),
        cause: error,
      });
    }
    const { template } = await this.templates.upload(optXml, { caller, description: made.description, onlyNew: true });
    return template;
  }

  /** The current revision's nodes (content only, not the RM's context attributes), and whether the composer can edit it. */
  async tree(templateId: string): Promise<{ version: number; composable: boolean; tree: TemplateTreeNode }> {
    const { version, description } = await this.templates.content(templateId);
    const { webTemplate } = await this.templates.get(templateId, version);
    const composable =
      description !== undefined ||
      (await this.description(templateId).then(
        () => true,
        () => false,
      ));
    const view = (node: WebTemplateNode, parent: string): TemplateTreeNode => {
      const path = parent === '' ? node.id : `${parent}/${node.id}`;
      // A web template shows an element of one value type as that type (DV_TEXT…), and one of several as an ELEMENT.
      const isValue = node.rmType.startsWith('DV_');
      const isElement = isValue || node.rmType === 'ELEMENT';
      return {
        path,
        name: node.name ?? node.localizedName ?? node.id,
        rmType: isElement ? 'ELEMENT' : node.rmType,
        nodeId: node.nodeId,
        min: node.min,
        max: node.max,
        valueType: isValue ? node.rmType : isElement ? node.children?.find((child) => child.rmType.startsWith('DV_'))?.rmType : undefined,
        children: isElement
          ? []
          : (node.children ?? [])
              .filter((child) => child.inContext !== true && child.nodeId !== undefined)
              .map((child) => view(child, path)),
      };
    };
    return { version, composable, tree: view(webTemplate.tree, '') };
  }

  /** The form the current revision generates (no overrides): what a draft on a template no published pathway uses yet is edited with. */
  async form(templateId: string): Promise<FormDefinition> {
    return buildFormDefinition((await this.templates.get(templateId)).webTemplate);
  }

  #archetypeCatalogue(): Promise<ArchetypeCatalogue> {
    this.#catalogue ??= this.#shippedDescriptions().then((descriptions) => new ArchetypeCatalogue(descriptions));
    return this.#catalogue;
  }

  #shippedDescriptions(): Promise<TemplateDescription[]> {
    this.#shipped ??= (async () => {
      const folder = new URL('descriptions/', this.root);
      const files = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
      const descriptions: unknown[] = await Promise.all(
        files.map(async (file) => JSON.parse(await readFile(new URL(encodeURIComponent(file), folder), 'utf8')) as unknown),
      );
      return descriptions.filter(isTemplateDescription);
    })();
    return this.#shipped;
  }

  async #shippedDescription(templateId: string): Promise<unknown> {
    return (await this.#shippedDescriptions()).find((description) => description.templateId === templateId);
  }
}
