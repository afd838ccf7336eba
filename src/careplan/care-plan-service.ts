import type { Queryable } from '../db/database.js';
import type { Database } from '../db/database.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import type { PlanCatalogue } from './catalogue/plan-catalogue.js';
import type { SaveMode } from './diff/flat-merge.js';
import type { CarePlanRow, ConsentRecord, ReviewDueRow } from './care-plan-store.js';
import { publishDraft, submitDraft } from './lifecycle/approve-plan.js';
import { deletePlan, recordDeath, type DeathInput } from './lifecycle/close-plan.js';
import { correctDeathRecordedInError, type DeathCorrection } from './lifecycle/correct-death.js';
import { saveModule, setPathways, startDraft } from './lifecycle/edit-draft.js';
import { startPlan } from './lifecycle/start-plan.js';
import { publishedPlanPdf, type PublishedPlanPdf } from './pdf/published-plan-pdf.js';
import type { PdfPerson } from './pdf/plan-pdf.js';
import { PlanContext } from './plan-context.js';
import { reprojectAfterRecordWrite, type RecordWrite } from './summary/record-write-projection.js';
import type { Flat, ModuleContent, PlanChanges, PlanView, SaveResult, SubmitResult } from './plan-model.js';
import type { PlanWriter } from './plan-writer.js';
import { completenessReport, type CompletenessReport } from './reads/completeness-report.js';
import { planDiff, type RevisionSelector } from './reads/plan-changes.js';
import {
  planView,
  readDraft,
  readEmergencySummary,
  readEmergencySummaryJson,
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

  /** The emergency summary as JSON text, ready to send (the same content as `emergencySummary`). */
  emergencySummaryJson(ehrId: string): Promise<string> {
    return readEmergencySummaryJson(this.context, ehrId);
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

  delete(ehrId: string, input: { baseRevision: number; reason: string }, writer: PlanWriter): Promise<void> {
    return deletePlan(this.context, ehrId, input, writer);
  }
}
