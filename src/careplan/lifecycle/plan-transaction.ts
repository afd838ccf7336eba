import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { CompiledTemplate } from '../../openehr/service/template-service.js';
import type { CommitAudit, CommittedContribution, VersionChange } from '../../openehr/service/version-service.js';
import {
  insertRevision,
  readCarePlan,
  readRevision,
  updateCarePlan,
  type CarePlanRow,
  type PlanActor,
  type PlanHeader,
  type PlanRevision,
} from '../care-plan-store.js';
import { emptyHeader, StalePlanError } from '../plan-model.js';
import { refuseIfReadOnly, type PlanContext } from '../plan-context.js';
import { actorOf, committerOf, type PlanWriter } from '../plan-writer.js';
import { changesSince } from '../reads/plan-changes.js';
import { headerWrite, type HeaderMode } from './header-write.js';

/** What one lifecycle step does to the plan, decided under the plan's lock from its current row. */
export interface PlannedWrite {
  /** The openEHR versions to commit, each naming its object id. */
  changes: VersionChange[];
  /** The step, as the revision record names it (`saved`, `published` …). */
  event: string;
  /** The plan row after the step; the transaction sets its revision, change summary and header ids. */
  next: CarePlanRow;
  /** Modules whose new version this step commits: module id → the object id of that version. */
  moduleObjects?: Record<string, string>;
  headerPatch?: Partial<PlanHeader>;
  header?: HeaderMode;
  planVersion?: number;
  approver?: PlanActor;
  /** Projections and events written in the same transaction, once the plan row is updated. */
  after?: (tx: Queryable, next: CarePlanRow, header: PlanHeader) => Promise<void>;
}

export interface PlanWriteRequest {
  ehrId: string;
  baseRevision: number;
  writer: PlanWriter;
  changeSummary: string;
  /** The templates of the compositions the step commits (the header's is added here). */
  templates: ReadonlyMap<string, CompiledTemplate>;
  plan: (tx: Queryable, current: CarePlanRow) => Promise<PlannedWrite>;
  /**
   * Only the correction of a death recorded in error changes a closed plan (its step opens the
   * EHR_STATUS again in the same commit); every other step is refused on a closed plan.
   */
  correctsClosedPlan?: true;
}

export interface PlanWriteResult {
  plan: CarePlanRow;
  /** Module id → the version uid this write committed for it. */
  moduleVersions: Record<string, string>;
}

/**
 * The one way the plan changes: under the EHR's and the plan's row locks, refused if the writer
 * based it on an older revision; the compositions through the openEHR write path (its validation
 * policy included), the projections, the revision record and the audit in one transaction.
 */
export async function writePlan(context: PlanContext, request: PlanWriteRequest): Promise<PlanWriteResult> {
  const headerTemplate = await context.headerTemplate();
  const templates = new Map(request.templates);
  if (headerTemplate) templates.set(headerTemplate.templateId, headerTemplate);
  try {
    return await context.db.transaction((tx) => writeInTransaction(tx, context, request, headerTemplate, templates));
  } catch (error) {
    if (error instanceof StaleRevision)
      throw new StalePlanError(error.current, await changesSince(context, request.ehrId, request.baseRevision, error.current));
    throw error;
  }
}

async function writeInTransaction(
  tx: Queryable,
  context: PlanContext,
  request: PlanWriteRequest,
  headerTemplate: CompiledTemplate | undefined,
  templates: ReadonlyMap<string, CompiledTemplate>,
): Promise<PlanWriteResult> {
  const { ehrId, writer, changeSummary } = request;
  const current = await readCarePlan(tx, ehrId, { forUpdate: true });
  if (!current) throw new AppError('not-found', `There is no care plan in EHR ${ehrId}.`);
  if (current.revision !== request.baseRevision) throw new StaleRevision(current.revision);
  if (request.correctsClosedPlan && current.status !== 'closed') {
    throw new AppError('conflict', `Only a plan closed by a recorded death can have the death corrected; this plan is ${current.status}.`);
  }
  if (!request.correctsClosedPlan) refuseIfReadOnly(current);
  await context.openehr.ehrs.lockForWrite(tx, ehrId, { statusOnly: request.correctsClosedPlan === true });
  const planned = await request.plan(tx, current);
  const previous = await readRevision(tx, ehrId, { revision: current.revision });
  const header = headerOf(previous, planned, changeSummary);
  const headerChange = await headerWrite(tx, context, {
    ehrId,
    current,
    header,
    mode: planned.header ?? 'none',
    template: headerTemplate,
    writer,
  });
  const changes = [...planned.changes, ...headerChange.changes];
  const audit: CommitAudit = { committer: committerOf(writer.caller), description: changeSummary, trail: writer.trail };
  const committed = changes.length > 0 ? await context.openehr.versions.commit(tx, { ehrId, audit, changes, templates }) : undefined;
  if (!committed) await writer.trail(tx, { ehrId, contributionId: undefined, versionUids: [] });
  const moduleVersions = versionsOf(committed, planned.moduleObjects ?? {});
  const next: CarePlanRow = {
    ...planned.next,
    revision: current.revision + 1,
    changeSummary,
    headerId: headerChange.headerId,
    draftHeaderId: headerChange.draftHeaderId,
  };
  await updateCarePlan(tx, next);
  await insertRevision(tx, ehrId, {
    revision: next.revision,
    planVersion: planned.planVersion ?? null,
    event: planned.event,
    status: next.draftState ? `${next.status}/${next.draftState}` : next.status,
    modules: await contentVersions(tx, context, next, previous?.modules ?? {}, moduleVersions),
    headerVersionUid: versionOfObject(committed, headerChange.headerObjectId) ?? previous?.headerVersionUid ?? null,
    header,
    actor: actorOf(writer.caller),
    changeSummary,
  });
  await planned.after?.(tx, next, header);
  return { plan: next, moduleVersions };
}

/** The header the new revision records: the previous one with what the step changed. */
function headerOf(previous: PlanRevision | undefined, planned: PlannedWrite, changeSummary: string): PlanHeader {
  const next = planned.next;
  return {
    ...(previous?.header ?? emptyHeader()),
    ...planned.headerPatch,
    status: next.status,
    pathways: next.draftState ? next.draftPathways : next.pathways,
    changeSummary,
    reviewDate: (next.draftState ? next.draftReviewDate : next.reviewDate) ?? undefined,
    ...(planned.approver ? { approver: planned.approver, approvedAt: next.approvedAt ?? undefined } : {}),
  };
}

function versionOfObject(committed: CommittedContribution | undefined, objectId: string | undefined): string | undefined {
  return objectId ? committed?.versions.find((version) => version.objectId === objectId)?.versionUid : undefined;
}

function versionsOf(committed: CommittedContribution | undefined, moduleObjects: Record<string, string>): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const [moduleId, objectId] of Object.entries(moduleObjects)) {
    const versionUid = versionOfObject(committed, objectId);
    if (!versionUid) throw new Error(`the write committed no version of ${moduleId} (${objectId})`);
    versions[moduleId] = versionUid;
  }
  return versions;
}

/** Module id → the version uid a reader of the new revision sees (the draft's if one is open, else the published). */
async function contentVersions(
  tx: Queryable,
  context: PlanContext,
  plan: CarePlanRow,
  previous: Record<string, string>,
  written: Record<string, string>,
): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const [moduleId, refs] of Object.entries(plan.modules)) {
    const objectId = plan.draftState ? (refs.draft ?? refs.published) : refs.published;
    if (!objectId) continue;
    const known = written[moduleId] ?? previous[moduleId];
    if (known?.startsWith(`${objectId}::`)) {
      versions[moduleId] = known;
      continue;
    }
    const latest = await context.openehr.versions.read(tx, { ehrId: plan.ehrId, objectType: 'COMPOSITION', objectId });
    if (latest && latest.lifecycleState !== 'deleted') versions[moduleId] = latest.versionUid;
  }
  return versions;
}

class StaleRevision extends Error {
  constructor(readonly current: number) {
    super(`stale revision; current is ${current}`);
  }
}
