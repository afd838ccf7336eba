import type { AuditRecord } from '../../audit/audit-record.js';
import { AppError } from '../../errors/app-error.js';
import { parseVersionUid, type StoredVersion } from '../../openehr/service/version-service.js';
import {
  listRevisions,
  readRevision,
  readSummary,
  readSummaryJson,
  readSummaryJsonRecorded,
  type SummaryAnswer,
  readWorklistRows,
  type CarePlanRow,
  type PlanRevision,
  type ReviewDueRow,
} from '../care-plan-store.js';
import type { PlanContext } from '../plan-context.js';
import { emptyHeader, type ModuleContent, type PlanView } from '../plan-model.js';
import { latestReviewDate } from '../review-date.js';
import type { EmergencySummaryAnswer } from '../summary/emergency-summary.js';
import { flatOfVersion } from './plan-changes.js';

export interface PlanHistory {
  plan: CarePlanRow;
  revisions: PlanRevision[];
  compositions: { moduleId: string; objectId: string; versions: StoredVersion[] }[];
}

/** The published plan: what every urgent care service sees. Never a draft. */
export async function readPublished(context: PlanContext, ehrId: string): Promise<PlanView> {
  const plan = await context.require(ehrId);
  if (plan.status === 'deleted') throw goneError(ehrId, await readSummary(context.db, ehrId));
  if (plan.status === 'draft' || plan.status === 'awaiting-approval')
    throw new AppError('not-found', `The care plan in EHR ${ehrId} has not been published yet; it is a draft.`);
  return planView(context, plan, 'published');
}

/** The open draft: its own content, and the published content of modules it has not touched. */
export async function readDraft(context: PlanContext, ehrId: string): Promise<PlanView> {
  const plan = await context.require(ehrId);
  if (!plan.draftState) {
    throw new AppError('not-found', `The care plan in EHR ${ehrId} has no open draft; start one from the published plan (POST …/draft).`);
  }
  return planView(context, plan, 'draft');
}

export async function readModule(
  context: PlanContext,
  ehrId: string,
  moduleId: string,
  which: 'published' | 'draft',
): Promise<ModuleContent> {
  const view = which === 'draft' ? await readDraft(context, ehrId) : await readPublished(context, ehrId);
  const module = view.modules.find((candidate) => candidate.moduleId === moduleId);
  if (!module)
    throw new AppError('not-found', `The plan has no module ${moduleId}; it has ${view.modules.map((m) => m.moduleId).join(', ')}.`);
  return module;
}

/** The emergency summary answer: the projection, whether its review is overdue today, and who the person is. */
export async function readEmergencySummary(context: PlanContext, ehrId: string): Promise<EmergencySummaryAnswer> {
  return JSON.parse(await readEmergencySummaryJson(context, ehrId)) as EmergencySummaryAnswer;
}

/**
 * The same summary as the JSON text of the answer: the emergency read over HTTP sends the
 * database's text as it is (no parse and second serialisation per read).
 */
export async function readEmergencySummaryJson(context: PlanContext, ehrId: string): Promise<string> {
  return answerJson(ehrId, await readSummaryJson(context.db, ehrId, context.today()));
}

/**
 * The emergency summary answer's JSON for a read that is recorded with it: `record` (the read's
 * audit record) is committed in the statement that reads, with the other reads of the moment,
 * and is durable before the answer leaves (readSummaryJsonRecorded).
 */
export async function readEmergencySummaryJsonRecorded(context: PlanContext, ehrId: string, record: AuditRecord): Promise<string> {
  return answerJson(ehrId, await readSummaryJsonRecorded(context.db, { ehrId, today: context.today(), record }));
}

function answerJson(ehrId: string, answer: SummaryAnswer | undefined): string {
  if (answer === undefined) throw new AppError('not-found', `There is no published care plan in EHR ${ehrId}.`);
  if (answer.status === 'deleted') throw goneError(ehrId, JSON.parse(answer.json));
  return answer.json;
}

/** Every revision of the plan, and every version of each composition it has ever used, by object id. */
export async function readHistory(context: PlanContext, ehrId: string): Promise<PlanHistory> {
  const plan = await context.require(ehrId);
  const revisions = await listRevisions(context.db, ehrId);
  const objectIds = new Map<string, string>();
  const remember = (versionUid: string | null | undefined, moduleId: string) => {
    const objectId = versionUid ? parseVersionUid(versionUid)?.objectId : undefined;
    if (objectId) objectIds.set(objectId, moduleId);
  };
  for (const revision of revisions) {
    for (const [moduleId, versionUid] of Object.entries(revision.modules)) remember(versionUid, moduleId);
    remember(revision.headerVersionUid, 'header');
  }
  for (const [moduleId, refs] of Object.entries(plan.modules)) {
    for (const id of [refs.published, refs.draft]) if (id) objectIds.set(id, moduleId);
  }
  for (const id of [plan.headerId, plan.draftHeaderId]) if (id) objectIds.set(id, 'header');
  const compositions = [];
  for (const [objectId, moduleId] of objectIds) {
    compositions.push({ moduleId, objectId, versions: await context.openehr.compositions.history(ehrId, objectId) });
  }
  return { plan, revisions, compositions };
}

/**
 * The worklist rows of the plans an AQL query found due for review (`CarePlanQueries`), in the
 * query's order; the query decides who is due, the projection adds what the worklist shows.
 */
export async function readWorklist(context: PlanContext, due: readonly { ehrId: string; reviewDate: string }[]): Promise<ReviewDueRow[]> {
  const rows = await readWorklistRows(
    context.db,
    due.map((plan) => plan.ehrId),
  );
  return due.flatMap((plan) => {
    const row = rows.get(plan.ehrId);
    return row ? [{ ...row, reviewDate: plan.reviewDate.slice(0, 10) }] : [];
  });
}

/** The plan as a reader sees it: the published plan, or the open draft over it. */
export async function planView(context: PlanContext, plan: CarePlanRow, which: 'published' | 'draft'): Promise<PlanView> {
  const pathways = which === 'draft' && plan.draftState ? plan.draftPathways : plan.pathways;
  // Readers of the published plan see the header as published, never what an open draft says.
  const revision = await readRevision(
    context.db,
    plan.ehrId,
    which === 'published' && plan.status === 'published' ? { planVersion: plan.planVersion } : { revision: plan.revision },
  );
  const header = revision?.header ?? emptyHeader();
  return {
    ehrId: plan.ehrId,
    nhsNumber: plan.nhsNumber,
    status: plan.status,
    draftState: plan.draftState,
    revision: plan.revision,
    planVersion: plan.planVersion,
    pathways,
    reviewDate: (which === 'draft' && plan.draftState ? plan.draftReviewDate : plan.reviewDate) ?? null,
    latestReviewDate: latestReviewDate(context.today(), context.catalogue.reviewMaxMonths(pathways)),
    header:
      which === 'published'
        ? { ...header, status: plan.status, pathways: plan.pathways, reviewDate: plan.reviewDate ?? undefined }
        : header,
    modules: await moduleContents(context, plan, pathways, which),
    updatedAt: plan.updatedAt,
  };
}

/** Where a module's content is: a version (or the latest) of a composition, and whether it is the open draft. */
interface ModuleLocation {
  objectId: string;
  version?: number;
  isDraft?: boolean;
}

async function moduleContents(
  context: PlanContext,
  plan: CarePlanRow,
  pathways: readonly string[],
  which: 'published' | 'draft',
): Promise<ModuleContent[]> {
  const held = new Set(
    Object.entries(plan.modules).flatMap(([moduleId, refs]) =>
      (which === 'draft' ? (refs.draft ?? refs.published) : refs.published) ? [moduleId] : [],
    ),
  );
  return modulesOf(context, plan.ehrId, pathways, held, (moduleId) => {
    const refs = plan.modules[moduleId] ?? {};
    const objectId = which === 'draft' ? (refs.draft ?? refs.published) : refs.published;
    return objectId ? { objectId, isDraft: objectId === refs.draft } : undefined;
  });
}

/**
 * The plan as its readers saw it just after `revision` (a publication, or a later closing): the
 * header and the module versions that revision recorded, so an earlier published version can be
 * shown as it was. Undefined when the plan has no such revision.
 */
export async function readAtRevision(context: PlanContext, ehrId: string, revision: number): Promise<PlanView | undefined> {
  const plan = await context.require(ehrId);
  const revisions = await listRevisions(context.db, ehrId);
  const at = revisions.find((candidate) => candidate.revision === revision);
  if (!at) return undefined;
  const planVersion = Math.max(0, ...revisions.filter((r) => r.revision <= revision).map((r) => r.planVersion ?? 0));
  const pathways = at.header.pathways;
  const held = new Set(Object.entries(at.modules).flatMap(([moduleId, uid]) => (uid ? [moduleId] : [])));
  const modules = await modulesOf(context, ehrId, pathways, held, (moduleId) => {
    const uid = parseVersionUid(at.modules[moduleId] ?? '');
    return uid ? { objectId: uid.objectId, version: uid.version } : undefined;
  });
  return {
    ehrId,
    nhsNumber: plan.nhsNumber,
    status: at.header.status,
    draftState: null,
    revision: at.revision,
    planVersion,
    pathways,
    reviewDate: at.header.reviewDate ?? null,
    latestReviewDate: latestReviewDate(context.today(), context.catalogue.reviewMaxMonths(pathways)),
    header: at.header,
    modules,
    updatedAt: at.recordedAt,
  };
}

/**
 * Each module of the pathways with the content `locate` names. The modules are the current
 * definitions' and any earlier version's the plan `held` content of, so what was published under
 * a version since rolled back or retired still reads.
 */
async function modulesOf(
  context: PlanContext,
  ehrId: string,
  pathways: readonly string[],
  held: ReadonlySet<string>,
  locate: (moduleId: string) => ModuleLocation | undefined,
): Promise<ModuleContent[]> {
  const modules: ModuleContent[] = [];
  for (const pathwayId of [context.catalogue.core.id, ...pathways]) {
    for (const module of context.catalogue.readableModules(pathwayId, held)) {
      const located = locate(module.id);
      const stored = located
        ? await context.openehr.versions.read(context.db, {
            ehrId,
            objectType: 'COMPOSITION',
            objectId: located.objectId,
            ...(located.version === undefined ? {} : { version: located.version }),
          })
        : undefined;
      const present = stored && stored.lifecycleState !== 'deleted' ? stored : undefined;
      modules.push({
        moduleId: module.id,
        title: module.title,
        pathwayId,
        templateId: module.templateId,
        kind: module.kind,
        seniorDecision: module.seniorDecision,
        source: present ? (located?.isDraft ? 'draft' : 'published') : 'empty',
        versionUid: present?.versionUid ?? null,
        committedAt: present?.timeCommitted ?? null,
        committer: present ? ((present.committer as { name?: string }).name ?? null) : null,
        flat: present ? ((await flatOfVersion(context, present)) ?? null) : null,
      });
    }
  }
  return modules;
}

/** A deleted plan is gone (410); one withdrawn because it was recorded against the wrong person says so. */
function goneError(ehrId: string, summary: unknown): AppError {
  const enteredInError =
    typeof summary === 'object' && summary !== null && (summary as { enteredInError?: unknown }).enteredInError === true;
  return new AppError(
    'gone',
    enteredInError
      ? `The care plan in EHR ${ehrId} was withdrawn: it was recorded against the wrong person (entered in error). It is not this person's plan.`
      : `The care plan in EHR ${ehrId} was deleted.`,
  );
}
