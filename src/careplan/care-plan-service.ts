import type { AuditRecord } from '../audit/audit-record.js';
import type { Queryable } from '../db/database.js';
import type { Database } from '../db/database.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import { PlanCatalogue } from './catalogue/plan-catalogue.js';
import { fixedCatalogue, type CatalogueSource } from './catalogue/published-catalogue.js';
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
import { buildFormDefinition, type FormDefinition } from './pathway/form-definition.js';
import type { FormOverrides } from './pathway/pathway-definition.js';
import type { WebTemplate } from '../openehr/template/index.js';
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
  readEmergencySummaryJsonRecorded,
  readHistory,
  readAtRevision,
  readModule,
  readPublished,
  readWorklist,
  type PlanHistory,
} from './reads/plan-reads.js';
import { isoDate } from './review-date.js';
import type { EmergencySummaryAnswer } from './summary/emergency-summary.js';

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

  constructor(db: Database, openehr: OpenEhrServices, catalogue: PlanCatalogue | CatalogueSource, clock: () => Date = () => new Date()) {
    this.context = new PlanContext(db, openehr, catalogue instanceof PlanCatalogue ? fixedCatalogue(catalogue) : catalogue, clock);
  }

  /** The pathways as last read (synchronous look-ups: titles); `pathways()` reads them afresh. */
  get catalogue(): PlanCatalogue {
    return this.context.catalogue;
  }

  /**
   * The pathways in force now: a version published through any server is seen here on this
   * server's next call (or, from another server, within CATALOGUE_RECHECK_MS). Every operation
   * below starts with it, so publishing takes effect without a restart.
   */
  pathways(): Promise<PlanCatalogue> {
    return this.context.catalogues.fresh();
  }

  // ---------------------------------------------------------------- reading

  require(ehrId: string): Promise<CarePlanRow> {
    return this.context.require(ehrId);
  }

  async readPublished(ehrId: string): Promise<PlanView> {
    await this.pathways();
    return readPublished(this.context, ehrId);
  }

  /** The plan as its readers saw it just after `revision`; undefined when there is no such revision. */
  async readAtRevision(ehrId: string, revision: number): Promise<PlanView | undefined> {
    await this.pathways();
    return readAtRevision(this.context, ehrId, revision);
  }

  async readDraft(ehrId: string): Promise<PlanView> {
    await this.pathways();
    return readDraft(this.context, ehrId);
  }

  async readModule(ehrId: string, moduleId: string, which: 'published' | 'draft'): Promise<ModuleContent> {
    await this.pathways();
    return readModule(this.context, ehrId, moduleId, which);
  }

  // The summary is a projection written at publish: no pathway look-up, so no re-read on this hot path.
  emergencySummary(ehrId: string): Promise<EmergencySummaryAnswer> {
    return readEmergencySummary(this.context, ehrId);
  }

  /** The emergency summary as JSON text, ready to send (the same content as `emergencySummary`); a stored projection, so no pathway is read. */
  /**
   * The emergency summary answer's JSON text as the database gives it, with the read's audit
   * record committed in the same statement (the answer the platform gives most).
   */
  emergencySummaryJsonRecorded(ehrId: string, record: AuditRecord): Promise<string> {
    return readEmergencySummaryJsonRecorded(this.context, ehrId, record);
  }

  async history(ehrId: string): Promise<PlanHistory> {
    await this.pathways();
    return readHistory(this.context, ehrId);
  }

  async diff(ehrId: string, from: RevisionSelector, to: RevisionSelector): Promise<PlanChanges> {
    await this.pathways();
    return planDiff(this.context, ehrId, from, to);
  }

  /** The published plan as a PDF for a paper file, naming the person when their identity is known. */
  async publishedPdf(ehrId: string, person: PdfPerson | undefined): Promise<PublishedPlanPdf> {
    await this.pathways();
    return publishedPlanPdf(this.context, ehrId, person);
  }

  /** A module's form: generated from its template's web template, with the pathway's overrides. */
  async formOf(templateId: string, overrides: FormOverrides | undefined): Promise<{ form: FormDefinition; webTemplate: WebTemplate }> {
    const { webTemplate } = await this.context.template(templateId);
    return { form: buildFormDefinition(webTemplate, overrides ?? {}), webTemplate };
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

  async worklist(due: readonly { ehrId: string; reviewDate: string }[]): Promise<ReviewDueRow[]> {
    await this.pathways();
    return readWorklist(this.context, due);
  }

  /** The NHS numbers of the plans of `ehrIds` (found by a query), by EHR id: reports name people, not EHRs. */
  async nhsNumbersOf(ehrIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    await this.pathways();
    const rows = await readWorklist(
      this.context,
      ehrIds.map((ehrId) => ({ ehrId, reviewDate: '' })),
    );
    return new Map(rows.map((row) => [row.ehrId, row.nhsNumber]));
  }

  /** Drafts awaiting approval and the people's proposals, among the people `scope` reaches, oldest first. */
  async awaitingAttention(scope: AllowedQueryScope, limit = 100): Promise<AwaitingAttention> {
    await this.pathways();
    return awaitingAttention(this.context, scope, limit);
  }

  /** How an organisation's published plans meet the ReSPECT quality gates, and its overdue reviews. */
  async completenessReport(odsCode: string): Promise<CompletenessReport> {
    await this.pathways();
    return completenessReport(this.context, odsCode);
  }

  // ---------------------------------------------------------------- lifecycle

  async create(
    input: { nhsNumber: string; pathways: string[]; consent: ConsentRecord | undefined },
    writer: PlanWriter,
  ): Promise<PlanView> {
    await this.pathways();
    const ehrId = await startPlan(this.context, input, writer);
    return planView(this.context, await this.context.require(ehrId), 'draft');
  }

  async saveModule(
    ehrId: string,
    moduleId: string,
    flat: Flat,
    input: { baseRevision: number; changeSummary: string | undefined; mode?: SaveMode },
    writer: PlanWriter,
  ): Promise<SaveResult> {
    await this.pathways();
    return saveModule(this.context, { ehrId, moduleId, flat, ...input, mode: input.mode ?? 'merge' }, writer);
  }

  async startDraft(ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    await this.pathways();
    return startDraft(this.context, ehrId, baseRevision, writer);
  }

  async setPathways(ehrId: string, pathwayIds: string[], baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    await this.pathways();
    return setPathways(this.context, { ehrId, pathwayIds, baseRevision }, writer);
  }

  async submit(
    ehrId: string,
    input: { baseRevision: number; reviewDate: string | undefined; changeSummary: string | undefined },
    writer: PlanWriter,
  ): Promise<SubmitResult> {
    await this.pathways();
    return submitDraft(this.context, { ehrId, ...input }, writer);
  }

  async publish(ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    await this.pathways();
    return publishDraft(this.context, ehrId, baseRevision, writer);
  }

  async recordDeath(ehrId: string, input: DeathInput, writer: PlanWriter): Promise<PlanView> {
    await this.pathways();
    return recordDeath(this.context, ehrId, input, writer);
  }

  /** Re-projects the summary when a commit outside the care plan changed a published module (wired into the repository). */
  readonly projectRecordWrite = (tx: Queryable, write: RecordWrite): Promise<void> => reprojectAfterRecordWrite(this.context, tx, write);

  /** A death recorded in error: the closed plan becomes current again, the correction a revision of its own. */
  async correctDeath(ehrId: string, input: DeathCorrection, writer: PlanWriter): Promise<PlanView> {
    await this.pathways();
    return correctDeathRecordedInError(this.context, ehrId, input, writer);
  }

  /** A plan recorded against the wrong person: withdrawn from them (deleted versions, entered in error); what it held is returned for a re-recording. */
  async withdrawFromWrongSubject(ehrId: string, input: WrongSubjectCorrection, writer: PlanWriter): Promise<WithdrawnPlan> {
    await this.pathways();
    return withdrawFromWrongSubject(this.context, ehrId, input, writer);
  }

  /** The withdrawn plan's content as a new draft plan of the right person (`create` starts it, `save` writes each section). */
  async reRecordForRightPerson(
    withdrawn: WithdrawnPlan,
    nhsNumber: string,
    writers: { create: PlanWriter; save: PlanWriter },
  ): Promise<PlanView> {
    await this.pathways();
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

  async delete(ehrId: string, input: { baseRevision: number; reason: string }, writer: PlanWriter): Promise<void> {
    await this.pathways();
    return deletePlan(this.context, ehrId, input, writer);
  }

  // ---------------------------------------------------------------- drafts of one's own

  /** Saves a section into the writer's own draft (started by the first save), based on the plan revision they read. */
  async saveToOwnDraft(ehrId: string, moduleId: string, flat: Flat, readRevision: number, writer: PlanWriter): Promise<PersonalDraftView> {
    await this.pathways();
    return saveToOwnDraft(this.context, { ehrId, moduleId, flat, readRevision }, writer);
  }

  async ownDraft(ehrId: string, writer: PlanWriter): Promise<PersonalDraftView> {
    await this.pathways();
    return readOwnDraft(this.context, ehrId, writer);
  }

  async draft(ehrId: string, draftId: string, writer: PlanWriter): Promise<PersonalDraftView> {
    await this.pathways();
    return readDraftOf(this.context, ehrId, draftId, writer);
  }

  async drafts(ehrId: string, writer: PlanWriter): Promise<PersonalDraftSummary[]> {
    await this.pathways();
    return listDraftsOf(this.context, ehrId, writer);
  }

  async proposeOwnDraft(ehrId: string, note: string | undefined, writer: PlanWriter): Promise<PersonalDraftView> {
    await this.pathways();
    return proposeOwnDraft(this.context, { ehrId, note }, writer);
  }

  async withdrawOwnDraft(ehrId: string, writer: PlanWriter): Promise<PersonalDraftView> {
    await this.pathways();
    return withdrawOwnDraft(this.context, ehrId, writer);
  }

  async mergeDraft(
    ehrId: string,
    draftId: string,
    input: {
      baseRevision: number;
      resolutions: Readonly<Record<string, Readonly<Record<string, Resolution>>>>;
      changeSummary: string | undefined;
    },
    writer: PlanWriter,
  ): Promise<MergeResult> {
    await this.pathways();
    return mergeDraft(this.context, { ehrId, draftId, ...input }, writer);
  }

  async declineProposal(ehrId: string, draftId: string, reason: string, writer: PlanWriter): Promise<PersonalDraftView> {
    await this.pathways();
    return declineProposal(this.context, { ehrId, draftId, reason }, writer);
  }
}
