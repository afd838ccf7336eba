/**
 * What a care plan is made of: modules (one composition each, of one template) grouped into
 * pathways. Every plan has the core pathway; pathway plans (sickle cell, frailty, …) add their
 * modules, may shorten the review interval and may let a clinician publish without a senior's
 * approval. Pure data and look-ups; where the definitions come from is the caller's business.
 */

import type { FormOverrides, FormRule, Prefill } from '../pathway/pathway-definition.js';

/** Who may edit a module: contributors (non-clinical) or clinicians (clinical). */
export type ModuleKind = 'clinical' | 'non-clinical';

export interface PlanModuleDefinition {
  /** Stable id used in the API and the projections (`respect`, `about-me`, …). */
  readonly id: string;
  readonly title: string;
  readonly templateId: string;
  readonly kind: ModuleKind;
  /** The module records senior decisions (ReSPECT, CPR): writing and approving need plan:approve. */
  readonly seniorDecision: boolean;
  /** A plan on the pathway is not submitted or published while this section is empty. */
  readonly neededToPublish?: boolean;
  /**
   * What the emergency summary shows first of this module: nodes of its template (declared FLAT
   * paths, `:0` for any instance), in order of importance. Without them the summary shows its
   * first fields.
   */
  readonly highlights?: readonly string[];
  /** How the module's generated form is relabelled, ordered and narrowed (by FLAT path). */
  readonly form?: FormOverrides;
  /** The form's when/then rules (JSON Logic, interpreted by the form engine). */
  readonly rules?: readonly FormRule[];
  /** Where fields' first values come from (AQL over the person's record, demographics). */
  readonly prefill?: readonly Prefill[];
}

export interface PathwayDefinition {
  readonly id: string;
  readonly title: string;
  readonly modules: readonly PlanModuleDefinition[];
  /** The longest a plan on this pathway may go before review. */
  readonly reviewMaxMonths: number;
  /** `senior`: a plan:approve holder must approve each version; `clinician`: a clinician may publish. */
  readonly approval: 'senior' | 'clinician';
  /** The national record locator's type for a plan on this pathway (SNOMED CT), when it names one of its own. */
  readonly recordType?: { readonly system: string; readonly code: string; readonly display: string };
}

/** The longest any plan goes without review (a yearly review, as London's GP service asks). */
export const DEFAULT_REVIEW_MAX_MONTHS = 12;

export class PlanCatalogue {
  readonly #pathways: ReadonlyMap<string, PathwayDefinition>;
  readonly #archive: readonly PathwayDefinition[];

  constructor(
    readonly core: PathwayDefinition,
    pathways: readonly PathwayDefinition[],
    /** The template of the plan header composition, when one is installed. */
    readonly headerTemplateId: string | undefined,
    /**
     * Every definition ever published, newest first, current ones included: a plan written under
     * a version that is no longer current (rolled back, retired) is read with what it was written
     * under, so reading never depends on which version is current.
     */
    archive: readonly PathwayDefinition[] = [],
  ) {
    this.#archive = archive;
    const all = new Map<string, PathwayDefinition>([[core.id, core]]);
    const moduleIds = new Set<string>();
    for (const pathway of [core, ...pathways]) {
      if (pathway !== core && all.has(pathway.id)) throw new Error(`two pathways share the id ${pathway.id}`);
      all.set(pathway.id, pathway);
      for (const module of pathway.modules) {
        if (moduleIds.has(module.id)) throw new Error(`module ${module.id} belongs to two pathways`);
        moduleIds.add(module.id);
      }
    }
    this.#pathways = all;
  }

  /** Every pathway but the core one, which every plan has. */
  get pathways(): PathwayDefinition[] {
    return [...this.#pathways.values()].filter((pathway) => pathway !== this.core);
  }

  pathway(id: string): PathwayDefinition | undefined {
    return this.#pathways.get(id);
  }

  /** The modules a plan on these pathways holds: the core modules first, then each pathway's. */
  modulesOf(pathwayIds: readonly string[]): PlanModuleDefinition[] {
    return [this.core, ...pathwayIds.flatMap((id) => this.#pathways.get(id) ?? [])].flatMap((pathway) => pathway.modules);
  }

  module(pathwayIds: readonly string[], moduleId: string): PlanModuleDefinition | undefined {
    return this.modulesOf(pathwayIds).find((module) => module.id === moduleId);
  }

  /** The pathway to read a plan with: the current version, else the newest one ever published (retired since). */
  readablePathway(id: string): PathwayDefinition | undefined {
    return this.#pathways.get(id) ?? this.#archive.find((pathway) => pathway.id === id);
  }

  /**
   * The modules to read of a pathway in a plan holding content of `held` modules: the current
   * ones, then any module of an earlier version the plan still holds content of (a module
   * dropped by a later version or a roll-back), so published content never disappears from view.
   */
  readableModules(pathwayId: string, held: ReadonlySet<string>): PlanModuleDefinition[] {
    const modules = [...(this.readablePathway(pathwayId)?.modules ?? [])];
    for (const earlier of this.#archive) {
      if (earlier.id !== pathwayId) continue;
      for (const module of earlier.modules)
        if (held.has(module.id) && !modules.some((known) => known.id === module.id)) modules.push(module);
    }
    return modules;
  }

  /** A module by id as the current definitions or, failing them, the newest published one says. */
  readableModule(pathwayIds: readonly string[], moduleId: string): PlanModuleDefinition | undefined {
    return (
      this.module(pathwayIds, moduleId) ??
      [this.core.id, ...pathwayIds].flatMap((id) => this.readableModules(id, new Set([moduleId]))).find((module) => module.id === moduleId)
    );
  }

  /**
   * The pathways no longer offered (retired, every published version of them out of use), each as
   * it was last published: plans that have them are still read with them.
   */
  get retiredPathways(): PathwayDefinition[] {
    const retired = new Map<string, PathwayDefinition>();
    for (const pathway of this.#archive) if (!this.#pathways.has(pathway.id) && !retired.has(pathway.id)) retired.set(pathway.id, pathway);
    return [...retired.values()];
  }

  /** Every module template the catalogue needs installed. */
  templateIds(): string[] {
    const ids = [...this.#pathways.values()].flatMap((pathway) => pathway.modules.map((module) => module.templateId));
    return [...new Set([...(this.headerTemplateId ? [this.headerTemplateId] : []), ...ids])];
  }

  /** The shortest review interval of the plan's pathways. */
  reviewMaxMonths(pathwayIds: readonly string[]): number {
    return Math.min(
      this.core.reviewMaxMonths,
      ...pathwayIds.map((id) => this.#pathways.get(id)?.reviewMaxMonths ?? DEFAULT_REVIEW_MAX_MONTHS),
    );
  }

  /** A senior's approval is needed unless every pathway of the plan lets a clinician publish. */
  requiresSeniorApproval(pathwayIds: readonly string[]): boolean {
    return [this.core, ...pathwayIds.flatMap((id) => this.#pathways.get(id) ?? [])].some((pathway) => pathway.approval === 'senior');
  }
}
