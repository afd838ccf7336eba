import { AppError, type ErrorIssue } from '../../errors/app-error.js';
import { seniorDecisionChange, seniorModuleChange } from '../../repository/senior-decision-rule.js';
import type { CarePlanRow } from '../care-plan-store.js';
import { withCprDecisionMakers, withCprSnomedMappings, type CprDecisionMaker } from '../cpr-coding.js';
import type { Caller } from '../../access/caller.js';
import { lifecycleValidation } from '../../openehr/service/lifecycle-validation.js';
import { refuseIfReadOnly, type PlanContext } from '../plan-context.js';
import type { Flat, SaveResult } from '../plan-model.js';
import type { PlanModuleDefinition } from '../catalogue/plan-catalogue.js';
import { diffFlat, type FieldChange } from '../diff/flat-diff.js';
import { labelOfFlatPath } from '../diff/flat-fields.js';
import { applySectionSave, carriedOver, type SaveMode } from '../diff/flat-merge.js';
import { compositionToFlat, type JsonObject as FlatJsonObject } from '../../openehr/flat/index.js';
import type { CompiledTemplate } from '../../openehr/service/template-service.js';
import type { JsonObject, StoredVersion } from '../../openehr/service/version-service.js';
import { flatOfVersion } from '../reads/plan-changes.js';
import type { PlanWriter } from '../plan-writer.js';
import { planView } from '../reads/plan-reads.js';
import type { PlanView } from '../plan-model.js';
import { writePlan, type PlannedWrite, type PlanWriteResult } from './plan-transaction.js';
import { draftChange } from './version-changes.js';
import { refuseOverlongText } from '../text-limits.js';

/** The plan with a draft open over the published plan (edits go to the draft, never to the published plan). */
export function withOpenDraft(current: CarePlanRow): CarePlanRow {
  if (current.draftState) return { ...current, modules: { ...current.modules } };
  return {
    ...current,
    draftState: 'editing',
    draftPathways: current.pathways,
    draftReviewDate: current.reviewDate,
    modules: { ...current.modules },
  };
}

export interface SaveModuleInput {
  ehrId: string;
  moduleId: string;
  /** What the writer sent: a merge patch over the section's content, or the whole section (`mode`). */
  flat: Flat;
  mode: SaveMode;
  baseRevision: number;
  changeSummary: string | undefined;
}

/** One section's save, checked and built before the write: what `commitSectionSaves` commits. */
export interface PreparedSectionSave {
  moduleId: string;
  module: PlanModuleDefinition;
  template: CompiledTemplate;
  composition: JsonObject;
  /** The section before the save and after it, as FLAT, for the answer's field-by-field changes. */
  current: Flat;
  /** What the template still needs before the plan can be submitted. */
  outstanding: ErrorIssue[];
}

/**
 * Checks one section save and builds its composition: the writer's right to the section and to
 * any decision content it changes, the text limits, the template. The section's current content
 * (the draft's if it has one, else the published) changes only as the writer said: merged with
 * what was sent, or replaced when they asked for it (`flat-merge.ts`).
 */
export async function prepareSectionSave(
  context: PlanContext,
  plan: CarePlanRow,
  input: Pick<SaveModuleInput, 'moduleId' | 'flat' | 'mode'>,
  writer: PlanWriter,
): Promise<PreparedSectionSave> {
  refuseOverlongText(input.flat);
  const module = moduleOfDraft(context, plan, input.moduleId);
  await requireSectionRight(module, writer);
  const template = await context.template(module.templateId);
  const section = await sectionAfterSave(context, plan, input);
  // A CPR decision new or changed in this save records who made it: the writer, or whom they name.
  const composition = withCprDecisionMakers(
    withCprSnomedMappings(context.toComposition(section.flat, template, writer, module)),
    section.before?.data ?? null,
    decisionMakerOf(writer.caller),
  );
  // A module its pathway declares senior is a senior decision as a whole; elsewhere the
  // decision content itself is compared with what the module holds now, so removing it counts.
  await writer.requireSeniorDecisionRight(
    module.seniorDecision ? seniorModuleChange(module.title) : seniorDecisionChange(section.before?.data ?? null, composition),
  );
  const { refused, outstanding } = lifecycleValidation(template.validate(composition), 'incomplete');
  if (refused.length > 0) {
    throw new AppError('unprocessable', `${module.title} cannot be saved: ${refused.length} problem(s) in what was entered.`, {
      issues: refused,
    });
  }
  return { moduleId: input.moduleId, module, template, composition, current: section.current, outstanding };
}

/**
 * Commits prepared section saves as new draft versions in one plan write: all of them or none.
 * Answers the version uid each section got.
 */
export async function commitSectionSaves(
  context: PlanContext,
  saves: readonly PreparedSectionSave[],
  request: {
    ehrId: string;
    baseRevision: number;
    changeSummary: string;
    event?: string;
    /** Written in the same transaction once the plan row is updated (a merged draft marked so). */
    after?: PlannedWrite['after'];
  },
  writer: PlanWriter,
): Promise<PlanWriteResult> {
  const { ehrId } = request;
  return writePlan(context, {
    ehrId,
    baseRevision: request.baseRevision,
    writer,
    changeSummary: request.changeSummary,
    templates: new Map(saves.map((save) => [save.template.templateId, save.template])),
    plan: async (tx, current) => {
      const next = withOpenDraft(current);
      const changes = [];
      const moduleObjects: Record<string, string> = {};
      for (const save of saves) {
        const refs = next.modules[save.moduleId] ?? {};
        const latestDraft = refs.draft
          ? await context.openehr.versions.read(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.draft })
          : undefined;
        const change = draftChange(latestDraft, save.composition, save.template);
        const objectId = change.objectId ?? '';
        next.modules = { ...next.modules, [save.moduleId]: { ...refs, draft: objectId } };
        moduleObjects[save.moduleId] = objectId;
        changes.push(change);
      }
      next.draftState = 'editing';
      if (next.status !== 'published') next.status = 'draft';
      return {
        changes,
        event: request.event ?? 'saved',
        header: current.draftHeaderId ? 'none' : 'draft',
        next,
        moduleObjects,
        ...(request.after ? { after: request.after } : {}),
      };
    },
  });
}

/** What one save changed in its section, field by field (removals included). */
export function sectionChanges(save: PreparedSectionSave): FieldChange[] {
  return diffFlat(save.current, contentOf(save.composition, save.template), (path) => labelOfFlatPath(save.template.webTemplate, path));
}

/**
 * Saves one module of the draft as a new draft version. The answer names each field that
 * changed and what the template still needs.
 */
export async function saveModule(context: PlanContext, input: SaveModuleInput, writer: PlanWriter): Promise<SaveResult> {
  const plan = await context.require(input.ehrId);
  refuseIfReadOnly(plan);
  const save = await prepareSectionSave(context, plan, input, writer);
  const committed = await commitSectionSaves(
    context,
    [save],
    { ehrId: input.ehrId, baseRevision: input.baseRevision, changeSummary: input.changeSummary ?? `${save.module.title} updated` },
    writer,
  );
  return {
    plan: await planView(context, committed.plan, 'draft'),
    moduleId: input.moduleId,
    versionUid: committed.moduleVersions[input.moduleId] ?? '',
    incomplete: save.outstanding,
    changes: sectionChanges(save),
  };
}

/** The writer as a decision's maker: name, role at their organisation, professional registration number from their account. */
function decisionMakerOf(caller: Caller): CprDecisionMaker {
  const roles = caller.roles.map((role) => role.replace(/-/g, ' ')).join(' and ');
  return {
    name: caller.displayName,
    role: caller.organisation ? `${roles}, ${caller.organisation.name}` : roles,
    registration: caller.professionalRegistrationId,
  };
}

function moduleOfDraft(context: PlanContext, plan: CarePlanRow, moduleId: string): PlanModuleDefinition {
  const pathways = plan.draftState ? plan.draftPathways : plan.pathways;
  const module = context.catalogue.module(pathways, moduleId);
  if (module) return module;
  const known = context.catalogue.modulesOf(pathways).map((m) => m.id);
  throw new AppError('not-found', `The plan has no module ${moduleId}; its modules are ${known.join(', ')}.`);
}

async function requireSectionRight(module: PlanModuleDefinition, writer: PlanWriter): Promise<void> {
  const { caller } = writer;
  if (module.kind === 'clinical' && !caller.permissions.has('plan:write-clinical')) {
    await writer.refuse(
      `${module.title} is a clinical section: editing it needs plan:write-clinical (a clinician); the role(s) ${caller.roles.join(', ')} may edit only non-clinical sections`,
    );
  }
}

/** The section's current version and content, and its content after the save (still FLAT). */
async function sectionAfterSave(
  context: PlanContext,
  plan: CarePlanRow,
  input: Pick<SaveModuleInput, 'moduleId' | 'flat' | 'mode'>,
): Promise<{ before: StoredVersion | undefined; current: Flat; flat: Flat }> {
  if (input.mode === 'replace') {
    const nulls = Object.keys(input.flat).filter((key) => input.flat[key] === null);
    if (nulls.length > 0) {
      throw new AppError(
        'unprocessable',
        'A replacement is the whole section as it is to be: leave out what is to go instead of sending null.',
        {
          issues: nulls.slice(0, 20).map((key) => ({ path: key, message: 'is null in a replacement' })),
        },
      );
    }
  }
  const refs = plan.modules[input.moduleId] ?? {};
  const currentId = refs.draft ?? refs.published;
  const stored = currentId
    ? await context.openehr.versions.read(context.db, { ehrId: plan.ehrId, objectType: 'COMPOSITION', objectId: currentId })
    : undefined;
  const before = stored && stored.lifecycleState !== 'deleted' ? stored : undefined;
  const current = before ? ((await flatOfVersion(context, before)) ?? {}) : {};
  return { before, current, flat: applySectionSave(carriedOver(current), input.flat, input.mode) };
}

/** A composition's content as FLAT, as the diff compares it. */
function contentOf(composition: JsonObject, template: CompiledTemplate): Flat {
  return compositionToFlat(composition as FlatJsonObject, template.webTemplate, { skippedNode: template.skippedNode });
}

/** Opens a draft from the published plan. */
export async function startDraft(context: PlanContext, ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
  const plan = await context.require(ehrId);
  refuseIfReadOnly(plan);
  if (plan.draftState) throw new AppError('conflict', `The plan already has an open draft (${plan.draftState}); edit that one.`);
  const committed = await writePlan(context, {
    ehrId,
    baseRevision,
    writer,
    changeSummary: 'New draft from the published plan',
    templates: new Map(),
    plan: async (_tx, current) => ({ changes: [], event: 'draft-started', header: 'draft', next: withOpenDraft(current) }),
  });
  return planView(context, committed.plan, 'draft');
}

/** Adds or removes pathways of the draft (each adds its modules to the plan). */
export async function setPathways(
  context: PlanContext,
  input: { ehrId: string; pathwayIds: string[]; baseRevision: number },
  writer: PlanWriter,
): Promise<PlanView> {
  const plan = await context.require(input.ehrId);
  refuseIfReadOnly(plan);
  const pathways = context.checkPathways(input.pathwayIds);
  const committed = await writePlan(context, {
    ehrId: input.ehrId,
    baseRevision: input.baseRevision,
    writer,
    changeSummary: `Pathways: ${pathways.join(', ') || 'core plan only'}`,
    templates: new Map(),
    plan: async (_tx, current) => ({
      changes: [],
      event: 'pathways-changed',
      header: 'draft',
      next: { ...withOpenDraft(current), draftPathways: pathways, draftState: 'editing' },
    }),
  });
  return planView(context, committed.plan, 'draft');
}
