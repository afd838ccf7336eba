import { AppError } from '../../errors/app-error.js';
import { seniorDecisionChange, seniorModuleChange } from '../../repository/senior-decision-rule.js';
import type { CarePlanRow } from '../care-plan-store.js';
import { withCprSnomedMappings } from '../cpr-coding.js';
import { lifecycleValidation } from '../../openehr/service/lifecycle-validation.js';
import { refuseIfReadOnly, type PlanContext } from '../plan-context.js';
import type { Flat, SaveResult } from '../plan-model.js';
import type { PlanWriter } from '../plan-writer.js';
import { planView } from '../reads/plan-reads.js';
import type { PlanView } from '../plan-model.js';
import { writePlan } from './plan-transaction.js';
import { draftChange } from './version-changes.js';

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

/** Saves one module of the draft (FLAT, as the generated forms produce it) as a new draft version. */
export async function saveModule(
  context: PlanContext,
  input: { ehrId: string; moduleId: string; flat: Flat; baseRevision: number; changeSummary: string | undefined },
  writer: PlanWriter,
): Promise<SaveResult> {
  const { ehrId, moduleId } = input;
  const plan = await context.require(ehrId);
  refuseIfReadOnly(plan);
  const pathways = plan.draftState ? plan.draftPathways : plan.pathways;
  const module = context.catalogue.module(pathways, moduleId);
  if (!module) {
    const known = context.catalogue.modulesOf(pathways).map((m) => m.id);
    throw new AppError('not-found', `The plan has no module ${moduleId}; its modules are ${known.join(', ')}.`);
  }
  const { caller } = writer;
  if (module.kind === 'clinical' && !caller.permissions.has('plan:write-clinical')) {
    await writer.refuse(
      `${module.title} is a clinical section: editing it needs plan:write-clinical (a clinician); the role(s) ${caller.roles.join(', ')} may edit only non-clinical sections`,
    );
  }
  const template = await context.template(module.templateId);
  const composition = withCprSnomedMappings(context.toComposition(input.flat, template, writer, module));
  // A module its pathway declares senior is a senior decision as a whole; elsewhere the
  // decision content itself is compared with what the module holds now, so removing it counts.
  const refs = plan.modules[moduleId] ?? {};
  const currentId = refs.draft ?? refs.published;
  const before = currentId
    ? await context.openehr.versions.read(context.db, { ehrId, objectType: 'COMPOSITION', objectId: currentId })
    : undefined;
  await writer.requireSeniorDecisionRight(
    module.seniorDecision ? seniorModuleChange(module.title) : seniorDecisionChange(before?.data ?? null, composition),
  );
  const { refused, outstanding } = lifecycleValidation(template.validate(composition), 'incomplete');
  if (refused.length > 0) {
    throw new AppError('unprocessable', `${module.title} cannot be saved: ${refused.length} problem(s) in what was entered.`, {
      issues: refused,
    });
  }
  const committed = await writePlan(context, {
    ehrId,
    baseRevision: input.baseRevision,
    writer,
    changeSummary: input.changeSummary ?? `${module.title} updated`,
    templates: new Map([[template.templateId, template]]),
    plan: async (tx, current) => {
      const refs = current.modules[moduleId] ?? {};
      const latestDraft = refs.draft
        ? await context.openehr.versions.read(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.draft })
        : undefined;
      const change = draftChange(latestDraft, composition, template);
      const objectId = change.objectId ?? '';
      const next = withOpenDraft(current);
      next.modules = { ...next.modules, [moduleId]: { ...refs, draft: objectId } };
      next.draftState = 'editing';
      if (next.status !== 'published') next.status = 'draft';
      return {
        changes: [change],
        event: 'saved',
        header: current.draftHeaderId ? 'none' : 'draft',
        next,
        moduleObjects: { [moduleId]: objectId },
      };
    },
  });
  const versionUid = committed.moduleVersions[moduleId] ?? '';
  return { plan: await planView(context, committed.plan, 'draft'), moduleId, versionUid, incomplete: outstanding };
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
