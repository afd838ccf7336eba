import type { Queryable } from '../db/database.js';
import type { Database } from '../db/database.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import { PlanCatalogue } from './catalogue/plan-catalogue.js';
import { fixedCatalogue, type CatalogueSource } from './catalogue/published-catalogue.js';
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
import { buildFormDefinition, type FormDefinition } from './pathway/form-definition.js';
import type { FormOverrides } from './pathway/pathway-definition.js';
import type { WebTemplate } from '../openehr/template/index.js';
import { reprojectAfterRecordWrite, type RecordWrite } from './summary/record-write-projection.js';
import type { Flat, ModuleContent, PlanChanges, PlanView, SaveResult, SubmitResult } from './plan-model.js';
import type { PlanWriter } from './plan-writer.js';
import { completenessReport, type CompletenessReport } from './reads/completeness-report.js';
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
  emergencySummary(ehrId: string): Promise<EmergencySummary> {
    return readEmergencySummary(this.context, ehrId);
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

  async delete(ehrId: string, input: { baseRevision: number; reason: string }, writer: PlanWriter): Promise<void> {
    await this.pathways();
    return deletePlan(this.context, ehrId, input, writer);
  }
}
