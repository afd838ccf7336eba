import type { Queryable } from '../../db/database.js';
import { AppError, type ErrorIssue } from '../../errors/app-error.js';
import { appendEvent } from '../../events/outbox.js';
import type { CompiledTemplate } from '../../openehr/service/template-service.js';
import type { JsonObject, VersionChange } from '../../openehr/service/version-service.js';
import { seniorDecisionChange, touchesSeniorDecisions } from '../../repository/senior-decision-rule.js';
import { contradictoryCpr, cprRecommendations } from '../cpr-coding.js';
import { recordConsent, writeSummary, type CarePlanRow, type PlanActor, type PlanHeader } from '../care-plan-store.js';
import { refuseIfReadOnly, type PlanContext } from '../plan-context.js';
import { CAREPLAN_PUBLISHED_TOPIC, type ModuleContent, type PlanView, type SubmitResult } from '../plan-model.js';
import { actorOf, type PlanWriter } from '../plan-writer.js';
import { planView } from '../reads/plan-reads.js';
import { checkReviewDate } from '../review-date.js';
import { summaryProjection } from '../summary/summary-projection.js';
import { writePlan, type PlannedWrite } from './plan-transaction.js';
import { refuseQualityGaps } from './quality-gates.js';
import { flatFields } from '../diff/flat-fields.js';
import { qualityWarnings } from './quality-warnings.js';
import { deletionOf, publishedChange } from './version-changes.js';

/** Submits the draft for approval: every composition must satisfy its template, and a review date is set. */
export async function submitDraft(
  context: PlanContext,
  input: { ehrId: string; baseRevision: number; reviewDate: string | undefined; changeSummary: string | undefined },
  writer: PlanWriter,
): Promise<SubmitResult> {
  const plan = await context.require(input.ehrId);
  refuseIfReadOnly(plan);
  if (!plan.draftState) throw new AppError('conflict', 'There is no open draft to submit.');
  const draft = await planView(context, plan, 'draft');
  const reviewDate = checkReviewDate(input.reviewDate, context.today(), context.catalogue.reviewMaxMonths(plan.draftPathways));
  const issues = await draftIssues(context, draft);
  if (issues.length > 0) {
    throw new AppError('unprocessable', `The plan cannot be submitted yet: ${issues.length} problem(s) in its sections.`, { issues });
  }
  refuseMissingSections(context, draft, 'submitted');
  refuseContradictoryCpr(draft, 'submitted');
  refuseQualityGaps({ modules: draft.modules, reviewDate }, 'submitted');
  const changesSomething =
    draft.modules.some((module) => module.flat && module.source === 'draft') ||
    plan.draftPathways.join() !== plan.pathways.join() ||
    reviewDate !== plan.reviewDate;
  if (!changesSomething) {
    throw new AppError('unprocessable', 'The draft changes nothing: edit a section, the pathways or the review date before submitting.');
  }
  const committed = await writePlan(context, {
    ehrId: input.ehrId,
    baseRevision: input.baseRevision,
    writer,
    changeSummary: input.changeSummary ?? 'Submitted for approval',
    templates: new Map(),
    plan: async (_tx, current) => {
      const next: CarePlanRow = {
        ...current,
        draftState: 'awaiting-approval',
        draftReviewDate: reviewDate,
        changeSummary: input.changeSummary ?? current.changeSummary,
      };
      if (next.status !== 'published') next.status = 'awaiting-approval';
      return { changes: [], event: 'submitted', header: 'draft', next };
    },
  });
  return { plan: await planView(context, committed.plan, 'draft'), warnings: qualityWarnings(draft) };
}

/**
 * Approves and publishes the submitted draft in one contribution: each drafted module becomes
 * a new complete version of its published composition, the drafts are deleted, and the
 * projections, summary, event and audit are written with it.
 */
export async function publishDraft(context: PlanContext, ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
  const plan = await context.require(ehrId);
  refuseIfReadOnly(plan);
  if (plan.draftState !== 'awaiting-approval') {
    throw new AppError(
      'conflict',
      plan.draftState
        ? 'The draft has not been submitted for approval (or was edited since): submit it first.'
        : 'There is no draft to approve.',
    );
  }
  const draft = await planView(context, plan, 'draft');
  await requireApprovalRight(context, plan, draft, writer);
  const issues = await draftIssues(context, draft);
  if (issues.length > 0) throw new AppError('unprocessable', `The plan cannot be published: ${issues.length} problem(s).`, { issues });
  refuseMissingSections(context, draft, 'published');
  refuseContradictoryCpr(draft, 'published');
  refuseQualityGaps({ modules: draft.modules, reviewDate: plan.draftReviewDate }, 'approved');
  // Every pathway's: a module drafted before its pathway was removed is published too, as it always was.
  const templates = await context.templatesOf(context.catalogue.pathways.map((pathway) => pathway.id));
  const committed = await writePlan(context, {
    ehrId,
    baseRevision,
    writer,
    changeSummary: plan.changeSummary ?? 'Plan approved and published',
    templates,
    plan: (tx, current) => publication(tx, context, current, actorOf(writer.caller), templates),
  });
  return planView(context, committed.plan, 'published');
}

/**
 * The sections the plan's pathways need before it is submitted or published (`neededToPublish`),
 * still empty: refused (422) naming each, so a sickle cell plan is never published without its
 * crisis plan.
 */
function refuseMissingSections(context: PlanContext, view: PlanView, step: 'submitted' | 'published'): void {
  const missing = view.modules.filter(
    (module) => context.catalogue.module(view.pathways, module.moduleId)?.neededToPublish && flatFields(module.flat ?? {}).size === 0,
  );
  if (missing.length === 0) return;
  throw new AppError(
    'unprocessable',
    `The plan cannot be ${step} yet: its pathways need ${missing.map((module) => module.title).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} empty.`,
    {
      issues: missing.map((module) => ({
        path: `/modules/${module.moduleId}`,
        message: `${module.title} is needed before a plan on its pathway is ${step}: fill it in`,
      })),
    },
  );
}

/** A caller without plan:approve may not publish senior decisions, nor plans of a pathway that needs a senior's approval. */
async function requireApprovalRight(context: PlanContext, plan: CarePlanRow, draft: PlanView, writer: PlanWriter): Promise<void> {
  if (writer.caller.permissions.has('plan:approve')) return;
  const changedSenior: ModuleContent[] = [];
  for (const module of draft.modules) {
    if (module.source !== 'draft') continue;
    if (module.seniorDecision || (await changesSeniorDecisions(context, plan.ehrId, plan.modules[module.moduleId] ?? {})))
      changedSenior.push(module);
  }
  if (changedSenior.length > 0) {
    await writer.refuse(
      `the draft changes ${changedSenior.map((m) => m.title).join(', ')}: CPR/ReSPECT recommendations are approved by a senior clinician (plan:approve)`,
    );
  }
  if (context.catalogue.requiresSeniorApproval(plan.draftPathways)) {
    await writer.refuse('plans on this pathway are approved by a senior clinician (plan:approve)');
  }
}

async function publication(
  tx: Queryable,
  context: PlanContext,
  current: CarePlanRow,
  actor: PlanActor,
  templates: ReadonlyMap<string, CompiledTemplate>,
): Promise<PlannedWrite> {
  const { ehrId } = current;
  const changes: VersionChange[] = [];
  const moduleObjects: Record<string, string> = {};
  const next: CarePlanRow = { ...current, modules: { ...current.modules } };
  for (const [moduleId, refs] of Object.entries(current.modules)) {
    if (!refs.draft) continue;
    const draftVersion = await context.openehr.versions.read(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.draft });
    if (!draftVersion?.data) throw new Error(`draft ${refs.draft} of ${moduleId} has no content`);
    const published = refs.published
      ? await context.openehr.versions.read(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.published })
      : undefined;
    const change = publishedChange({ ...draftVersion, data: draftVersion.data }, published);
    const objectId = change.objectId ?? '';
    changes.push(change, deletionOf(draftVersion));
    moduleObjects[moduleId] = objectId;
    next.modules[moduleId] = { published: objectId };
  }
  Object.assign(next, {
    status: 'published',
    draftState: null,
    pathways: current.draftPathways,
    reviewDate: current.draftReviewDate,
    planVersion: current.planVersion + 1,
    approverOds: actor.odsCode,
    approvedAt: context.now(),
    authorOds: current.authorOds ?? actor.odsCode,
  } satisfies Partial<CarePlanRow>);
  return {
    changes,
    event: 'published',
    header: 'published',
    next,
    moduleObjects,
    planVersion: next.planVersion,
    approver: actor,
    after: (tx2, written, header) => afterPublication(tx2, context, { plan: written, header, actor, templates }),
  };
}

/** The emergency summary, the consent projection and the published event, in the publication's transaction. */
export async function afterPublication(
  tx: Queryable,
  context: PlanContext,
  input: { plan: CarePlanRow; header: PlanHeader; actor: PlanActor; templates: ReadonlyMap<string, CompiledTemplate> },
): Promise<void> {
  const { plan, header, actor } = input;
  const summary = await summaryProjection(tx, context, plan, header, input.templates);
  await writeSummary(tx, plan.ehrId, summary);
  // Publishing changes nobody's access: the care team is joined only by an explicit act,
  // and the registered GP comes from the demographics service, not from the plan's text.
  if (header.consent) await recordConsent(tx, plan.nhsNumber, header.consent.toShare);
  await appendEvent(tx, CAREPLAN_PUBLISHED_TOPIC, {
    ehrId: plan.ehrId,
    nhsNumber: plan.nhsNumber,
    planVersion: plan.planVersion,
    revision: plan.revision,
    pathways: plan.pathways,
    // What the national record locator lists the plan under besides the urgent care plan's type (nrl-pointer-plan.ts).
    recordTypes: Object.fromEntries(
      plan.pathways.flatMap((id) => {
        const type = context.catalogue.readablePathway(id)?.recordType;
        return type ? [[id, type]] : [];
      }),
    ),
    reviewDate: plan.reviewDate,
    approvedBy: { name: actor.name, odsCode: actor.odsCode },
    modules: Object.fromEntries(Object.entries(plan.modules).map(([id, refs]) => [id, refs.published ?? null])),
    cpr: summary.cpr ? { code: summary.cpr.code, notForCpr: summary.cpr.notForCpr } : null,
  });
}

/**
 * One CPR truth: a crew must never find one section recommending CPR and another not. Every
 * section the plan will show counts (the draft's content, else the published), across pathways.
 */
function refuseContradictoryCpr(view: PlanView, step: 'submitted' | 'published'): void {
  const recommendations = cprRecommendations(view.modules);
  const conflict = contradictoryCpr(recommendations);
  if (!conflict) return;
  const [one, other] = conflict;
  throw new AppError(
    'unprocessable',
    `The plan cannot be ${step}: its CPR recommendations contradict each other. ${one.title} says "${one.text}" (${one.stance}); ` +
      `${other.title} says "${other.text}" (${other.stance}). A plan holds one current CPR recommendation: correct the section that is out of date so that they agree.`,
    {
      issues: recommendations.map((recommendation) => ({
        path: `/modules/${recommendation.moduleId}/${recommendation.path}`,
        message: `${recommendation.title}: "${recommendation.text}" (${recommendation.stance})`,
      })),
    },
  );
}

/** What keeps the drafted sections from being complete versions, each path under its module. */
async function draftIssues(context: PlanContext, view: PlanView): Promise<ErrorIssue[]> {
  const issues: ErrorIssue[] = [];
  for (const module of view.modules) {
    if (module.source !== 'draft' || !module.versionUid) continue;
    const stored = await context.openehr.versions.readComposition(context.db, view.ehrId, module.versionUid);
    if (!stored?.data) continue;
    const template = await context.template(module.templateId);
    for (const issue of template.validate(stored.data as JsonObject))
      issues.push({ path: `/modules/${module.moduleId}${issue.path}`, message: issue.message });
  }
  return issues;
}

/** Whether a module's draft creates, changes or removes senior decision content of its published version. */
async function changesSeniorDecisions(context: PlanContext, ehrId: string, refs: { draft?: string; published?: string }): Promise<boolean> {
  if (!refs.draft) return false;
  const read = (objectId: string) => context.openehr.versions.read(context.db, { ehrId, objectType: 'COMPOSITION', objectId });
  const draft = await read(refs.draft);
  const published = refs.published ? await read(refs.published) : undefined;
  return touchesSeniorDecisions(seniorDecisionChange(published?.data ?? null, draft?.data ?? null));
}
