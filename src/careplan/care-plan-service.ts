import type { Queryable } from '../db/database.js';
import type { Database } from '../db/database.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import type { PlanCatalogue } from './catalogue/plan-catalogue.js';
import type { SaveMode } from './diff/flat-merge.js';
import { findCarePlanByNhsNumber, type CarePlanRow, type ConsentRecord, type ReviewDueRow } from './care-plan-store.js';
import { AppError } from '../errors/app-error.js';
import { publishDraft, submitDraft } from './lifecycle/approve-plan.js';
import { deletePlan, recordDeath, type DeathInput } from './lifecycle/close-plan.js';
import { correctDeathRecordedInError, type DeathCorrection } from './lifecycle/correct-death.js';
import {
  reRecordForRightPerson,
  withdrawFromWrongSubject,
  type WithdrawnPlan,
  type WrongSubjectCorrection,
} from './lifecycle/correct-subject.js';
import { saveModule, setPathways, startDraft } from './lifecycle/edit-draft.js';
import { startPlan } from './lifecycle/start-plan.js';
import {
  declineProposal,
  listDraftsOf,
  mergeDraft,
  proposeOwnDraft,
  readDraftOf,
  readOwnDraft,
  saveToOwnDraft,
  withdrawOwnDraft,
  type MergeResult,
  type PersonalDraftSummary,
  type PersonalDraftView,
} from './drafts/personal-drafts.js';
import type { Resolution } from './diff/three-way-merge.js';
import { publishedPlanPdf, type PublishedPlanPdf } from './pdf/published-plan-pdf.js';
import type { PdfPerson } from './pdf/plan-pdf.js';
import { PlanContext } from './plan-context.js';
import { reprojectAfterRecordWrite, type RecordWrite } from './summary/record-write-projection.js';
import type { Flat, ModuleContent, PlanChanges, PlanView, SaveResult, SubmitResult } from './plan-model.js';
import type { PlanWriter } from './plan-writer.js';
import { awaitingAttention, type AwaitingAttention } from './reads/awaiting-attention.js';
import { completenessReport, type CompletenessReport } from './reads/completeness-report.js';
import type { AllowedQueryScope } from '../access/query-scope.js';
import { planDiff, type RevisionSelector } from './reads/plan-changes.js';
import {
  planView,
  readDraft,
  readEmergencySummary,
  readHistory,
  readAtRevision,
  readModule,
  readPublished,
  readWorklist,
  type PlanHistory,
} from './reads/plan-reads.js';
import { isoDate } from './review-date.js';
import type { EmergencySummary } from './summary/emergency-summary.js';

export * from './plan-model.js';
export type { AwaitingAttention } from './reads/awaiting-attention.js';
export type { MergeResult, PersonalDraftSummary, PersonalDraftView } from './drafts/personal-drafts.js';
export type { SaveMode } from './diff/flat-merge.js';
export { qualityWarnings } from './lifecycle/quality-warnings.js';

/**
 * The urgent care plan: one living plan per person, made of openEHR compositions in their EHR.
 * Drafts are incomplete compositions in versioned objects of their own; publishing turns them
 * into new versions of the published compositions in one contribution, with the projections, the
 * emergency summary, the outbox event and the audit record.
 *
 * This is the plan's one entry point; the work is done by the reads (`reads/`), each lifecycle
 * step (`lifecycle/`) through the one plan transaction, and the projections (`summary/`).
 */
export class CarePlanService {
  private readonly context: PlanContext;

  constructor(
    db: Database,
    openehr: OpenEhrServices,
    readonly catalogue: PlanCatalogue,
    clock: () => Date = () => new Date(),
  ) {
    this.context = new PlanContext(db, openehr, catalogue, clock);
  }

  // ---------------------------------------------------------------- reading

  require(ehrId: string): Promise<CarePlanRow> {
    return this.context.require(ehrId);
  }

  readPublished(ehrId: string): Promise<PlanView> {
    return readPublished(this.context, ehrId);
  }

  /** The plan as its readers saw it just after `revision`; undefined when there is no such revision. */
  readAtRevision(ehrId: string, revision: number): Promise<PlanView | undefined> {
    return readAtRevision(this.context, ehrId, revision);
  }

  readDraft(ehrId: string): Promise<PlanView> {
    return readDraft(this.context, ehrId);
  }

  readModule(ehrId: string, moduleId: string, which: 'published' | 'draft'): Promise<ModuleContent> {
    return readModule(this.context, ehrId, moduleId, which);
  }

  emergencySummary(ehrId: string): Promise<EmergencySummary> {
    return readEmergencySummary(this.context, ehrId);
  }

  history(ehrId: string): Promise<PlanHistory> {
    return readHistory(this.context, ehrId);
  }

  diff(ehrId: string, from: RevisionSelector, to: RevisionSelector): Promise<PlanChanges> {
    return planDiff(this.context, ehrId, from, to);
  }

  /** The published plan as a PDF for a paper file, naming the person when their identity is known. */
  publishedPdf(ehrId: string, person: PdfPerson | undefined): Promise<PublishedPlanPdf> {
    return publishedPlanPdf(this.context, ehrId, person);
  }

  /** The web template a module's form is built from. */
  async webTemplateOf(templateId: string): Promise<unknown> {
    return (await this.context.template(templateId)).webTemplate;
  }

  /** Today, and the last day of a review worklist looking `withinDays` ahead, by the service's clock. */
  reviewWindow(withinDays: number): { today: string; until: string } {
    const now = this.context.clock();
    return { today: isoDate(now), until: isoDate(new Date(now.getTime() + withinDays * 86_400_000)) };
  }

  worklist(due: readonly { ehrId: string; reviewDate: string }[]): Promise<ReviewDueRow[]> {
    return readWorklist(this.context, due);
  }

  /** The NHS numbers of the plans of `ehrIds` (found by a query), by EHR id: reports name people, not EHRs. */
  async nhsNumbersOf(ehrIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const rows = await readWorklist(
      this.context,
      ehrIds.map((ehrId) => ({ ehrId, reviewDate: '' })),
    );
    return new Map(rows.map((row) => [row.ehrId, row.nhsNumber]));
  }

  /** Drafts awaiting approval and the people's proposals, among the people `scope` reaches, oldest first. */
  awaitingAttention(scope: AllowedQueryScope, limit = 100): Promise<AwaitingAttention> {
    return awaitingAttention(this.context, scope, limit);
  }

  /** How an organisation's published plans meet the ReSPECT quality gates, and its overdue reviews. */
  completenessReport(odsCode: string): Promise<CompletenessReport> {
    return completenessReport(this.context, odsCode);
  }

  // ---------------------------------------------------------------- lifecycle

  async create(
    input: { nhsNumber: string; pathways: string[]; consent: ConsentRecord | undefined },
    writer: PlanWriter,
  ): Promise<PlanView> {
    const ehrId = await startPlan(this.context, input, writer);
    return planView(this.context, await this.context.require(ehrId), 'draft');
  }

  saveModule(
    ehrId: string,
    moduleId: string,
    flat: Flat,
    input: { baseRevision: number; changeSummary: string | undefined; mode?: SaveMode },
    writer: PlanWriter,
  ): Promise<SaveResult> {
    return saveModule(this.context, { ehrId, moduleId, flat, ...input, mode: input.mode ?? 'merge' }, writer);
  }

  startDraft(ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    return startDraft(this.context, ehrId, baseRevision, writer);
  }

  setPathways(ehrId: string, pathwayIds: string[], baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    return setPathways(this.context, { ehrId, pathwayIds, baseRevision }, writer);
  }

  submit(
    ehrId: string,
    input: { baseRevision: number; reviewDate: string | undefined; changeSummary: string | undefined },
    writer: PlanWriter,
  ): Promise<SubmitResult> {
    return submitDraft(this.context, { ehrId, ...input }, writer);
  }

  publish(ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    return publishDraft(this.context, ehrId, baseRevision, writer);
  }

  recordDeath(ehrId: string, input: DeathInput, writer: PlanWriter): Promise<PlanView> {
    return recordDeath(this.context, ehrId, input, writer);
  }

  /** Re-projects the summary when a commit outside the care plan changed a published module (wired into the repository). */
  readonly projectRecordWrite = (tx: Queryable, write: RecordWrite): Promise<void> => reprojectAfterRecordWrite(this.context, tx, write);

  /** A death recorded in error: the closed plan becomes current again, the correction a revision of its own. */
  correctDeath(ehrId: string, input: DeathCorrection, writer: PlanWriter): Promise<PlanView> {
    return correctDeathRecordedInError(this.context, ehrId, input, writer);
  }

  /** A plan recorded against the wrong person: withdrawn from them (deleted versions, entered in error); what it held is returned for a re-recording. */
  withdrawFromWrongSubject(ehrId: string, input: WrongSubjectCorrection, writer: PlanWriter): Promise<WithdrawnPlan> {
    return withdrawFromWrongSubject(this.context, ehrId, input, writer);
  }

  /** The withdrawn plan's content as a new draft plan of the right person (`create` starts it, `save` writes each section). */
  async reRecordForRightPerson(
    withdrawn: WithdrawnPlan,
    nhsNumber: string,
    writers: { create: PlanWriter; save: PlanWriter },
  ): Promise<PlanView> {
    const ehrId = await reRecordForRightPerson(this.context, withdrawn, nhsNumber, writers);
    return planView(this.context, await this.context.require(ehrId), 'draft');
  }

  /** Refuses (409) when the person has a current plan: checked before a step that would start one. */
  async requireNoCurrentPlan(nhsNumber: string): Promise<void> {
    const existing = await findCarePlanByNhsNumber(this.context.db, nhsNumber);
    if (existing && existing.status !== 'deleted') {
      throw new AppError(
        'conflict',
        `NHS number ${nhsNumber} already has a care plan (EHR ${existing.ehrId}, ${existing.status}): there is one plan per person. Nothing was changed; add what is missing to that plan.`,
        { headers: { Location: `/api/care-plans/${existing.ehrId}` } },
      );
    }
  }

  delete(ehrId: string, input: { baseRevision: number; reason: string }, writer: PlanWriter): Promise<void> {
    return deletePlan(this.context, ehrId, input, writer);
  }

  // ---------------------------------------------------------------- drafts of one's own

  /** Saves a section into the writer's own draft (started by the first save), based on the plan revision they read. */
  saveToOwnDraft(ehrId: string, moduleId: string, flat: Flat, readRevision: number, writer: PlanWriter): Promise<PersonalDraftView> {
    return saveToOwnDraft(this.context, { ehrId, moduleId, flat, readRevision }, writer);
  }

  ownDraft(ehrId: string, writer: PlanWriter): Promise<PersonalDraftView> {
    return readOwnDraft(this.context, ehrId, writer);
  }

  draft(ehrId: string, draftId: string, writer: PlanWriter): Promise<PersonalDraftView> {
    return readDraftOf(this.context, ehrId, draftId, writer);
  }

  drafts(ehrId: string, writer: PlanWriter): Promise<PersonalDraftSummary[]> {
    return listDraftsOf(this.context, ehrId, writer);
  }

  proposeOwnDraft(ehrId: string, note: string | undefined, writer: PlanWriter): Promise<PersonalDraftView> {
    return proposeOwnDraft(this.context, { ehrId, note }, writer);
  }

  withdrawOwnDraft(ehrId: string, writer: PlanWriter): Promise<PersonalDraftView> {
    return withdrawOwnDraft(this.context, ehrId, writer);
  }

  mergeDraft(
    ehrId: string,
    draftId: string,
    input: {
      baseRevision: number;
      resolutions: Readonly<Record<string, Readonly<Record<string, Resolution>>>>;
      changeSummary: string | undefined;
    },
    writer: PlanWriter,
  ): Promise<MergeResult> {
    return mergeDraft(this.context, { ehrId, draftId, ...input }, writer);
  }

  declineProposal(ehrId: string, draftId: string, reason: string, writer: PlanWriter): Promise<PersonalDraftView> {
    return declineProposal(this.context, { ehrId, draftId, reason }, writer);
  }
}
