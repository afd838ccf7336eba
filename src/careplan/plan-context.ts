import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { FlatFormatError, flatToComposition } from '../openehr/flat/index.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import type { CompiledTemplate } from '../openehr/service/template-service.js';
import type { JsonObject } from '../openehr/service/version-service.js';
import type { CatalogueSource } from './catalogue/published-catalogue.js';
import type { PlanCatalogue, PlanModuleDefinition } from './catalogue/plan-catalogue.js';
import { readCarePlan, type CarePlanRow } from './care-plan-store.js';
import type { Flat } from './plan-model.js';
import type { PlanWriter } from './plan-writer.js';
import { isoDate } from './review-date.js';

/**
 * What every part of the care plan works with: the database, the openEHR services it writes
 * through, the pathways and the clock; and the few look-ups all of them share.
 */
export class PlanContext {
  constructor(
    readonly db: Database,
    readonly openehr: OpenEhrServices,
    readonly catalogues: CatalogueSource,
    readonly clock: () => Date,
  ) {}

  /** The pathways as last read; the service reads them afresh at the start of each operation. */
  get catalogue(): PlanCatalogue {
    return this.catalogues.current;
  }

  today(): string {
    return isoDate(this.clock());
  }

  now(): string {
    return this.clock().toISOString();
  }

  async require(ehrId: string, db: Queryable = this.db): Promise<CarePlanRow> {
    const plan = await readCarePlan(db, ehrId);
    if (!plan) throw new AppError('not-found', `There is no care plan in EHR ${ehrId}.`);
    return plan;
  }

  async template(templateId: string, tx?: Queryable): Promise<CompiledTemplate> {
    const template = await this.openehr.templates.find(templateId, undefined, tx);
    if (!template)
      throw new AppError('unavailable', `Template ${templateId} is not installed; the care plan templates are uploaded at start-up.`);
    return template;
  }

  /** The templates a write may commit, compiled before its transaction (a read inside would wait for the connection it holds). */
  async templatesOf(pathways: readonly string[], tx?: Queryable): Promise<Map<string, CompiledTemplate>> {
    const templates = new Map<string, CompiledTemplate>();
    for (const module of this.catalogue.modulesOf(pathways)) templates.set(module.templateId, await this.template(module.templateId, tx));
    const header = await this.headerTemplate(tx);
    if (header) templates.set(header.templateId, header);
    return templates;
  }

  async headerTemplate(tx?: Queryable): Promise<CompiledTemplate | undefined> {
    const id = this.catalogue.headerTemplateId;
    return id ? this.template(id, tx) : undefined;
  }

  checkPathways(ids: readonly string[]): string[] {
    const unique = [...new Set(ids.filter((id) => id !== this.catalogue.core.id))];
    const unknown = unique.filter((id) => !this.catalogue.pathway(id));
    if (unknown.length > 0) {
      throw new AppError(
        'bad-request',
        `Unknown pathway(s): ${unknown.join(', ')}. Known: ${this.catalogue.pathways.map((p) => p.id).join(', ') || 'none'}.`,
      );
    }
    return unique;
  }

  pathwayTitle(id: string): string {
    return this.catalogue.readablePathway(id)?.title ?? id;
  }

  /** A module's FLAT content as a composition by the writer, refused (422) where it does not fit the template. */
  toComposition(
    flat: Flat,
    template: CompiledTemplate,
    writer: PlanWriter,
    module: Pick<PlanModuleDefinition, 'title' | 'templateId'>,
  ): JsonObject {
    const foreign = Object.keys(flat).filter((key) => !key.startsWith(`${template.webTemplate.tree.id}/`) && !key.startsWith('ctx/'));
    if (foreign.length > 0) {
      throw new AppError(
        'unprocessable',
        `${module.title} is recorded with template ${module.templateId}, whose FLAT paths start with "${template.webTemplate.tree.id}/".`,
        { issues: foreign.slice(0, 20).map((key) => ({ path: key, message: 'is not a path of this section' })) },
      );
    }
    try {
      const composition = flatToComposition({ ...compositionContext(writer), ...flat }, template.webTemplate, {
        now: this.now(),
        skippedNode: template.skippedNode,
      });
      return { ...composition, _type: 'COMPOSITION' };
    } catch (error) {
      if (error instanceof FlatFormatError) {
        throw new AppError('unprocessable', `The ${module.title} form does not fit template ${module.templateId}.`, {
          issues: error.issues,
          cause: error,
        });
      }
      throw error;
    }
  }
}

/** A plan that can no longer change: closed when the person died, or deleted. */
export function refuseIfReadOnly(plan: CarePlanRow): void {
  if (plan.status === 'closed') {
    throw new AppError('conflict', "This plan was closed when the person's death was recorded: it is read-only and cannot be changed.");
  }
  if (plan.status === 'deleted') throw new AppError('gone', 'This plan was deleted; it cannot be changed.');
}

function compositionContext(writer: PlanWriter): Flat {
  const organisation = writer.caller.organisation;
  return {
    'ctx/language': 'en',
    'ctx/territory': 'GB',
    'ctx/composer_name': writer.caller.displayName,
    'ctx/composer_id': writer.caller.id,
    ...(organisation ? { 'ctx/health_care_facility|name': organisation.name, 'ctx/health_care_facility|id': organisation.odsCode } : {}),
  };
}
