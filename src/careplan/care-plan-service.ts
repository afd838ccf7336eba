import { randomUUID } from 'node:crypto';
import { seniorDecisionChange, seniorModuleChange, touchesSeniorDecisions } from '../repository/senior-decision-rule.js';
import type { Database, Queryable } from '../db/database.js';
import { AppError, type ErrorIssue } from '../errors/app-error.js';
import { appendEvent } from '../events/outbox.js';
import {
  compositionToFlat,
  FlatFormatError,
  flatToComposition,
  type JsonObject as FlatJsonObject,
  type JsonValue,
} from '../openehr/flat/index.js';
import { readEhrStatusFacts } from '../openehr/service/ehr-status.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import type { CompiledTemplate } from '../openehr/service/template-service.js';
import { updateEhrStatusFacts } from '../openehr/store/ehr-store.js';
import {
  readVersion,
  writeContribution,
  type CommitAudit,
  type JsonObject,
  type StoredVersion,
  type VersionChange,
} from '../openehr/store/version-store.js';
import { NHS_NUMBER_SYSTEM, isValidNhsNumber } from '../nhs/nhs-number.js';
import { ehrStatusForSubject } from '../openehr/service/ehr-status.js';
import { type PlanCatalogue, type PlanModuleDefinition } from './catalogue/plan-catalogue.js';
import {
  findCarePlanByNhsNumber,
  insertCarePlan,
  insertRevision,
  readWorklistRows,
  listRevisions,
  readCarePlan,
  readRevision,
  readSummary,
  recordConsent,
  updateCarePlan,
  writeSummary,
  type CarePlanRow,
  type ConsentRecord,
  type PlanActor,
  type PlanHeader,
  type PlanRevision,
  type ReviewDueRow,
} from './care-plan-store.js';
import { diffFlat, type FieldChange } from './diff/flat-diff.js';
import { labelOfFlatPath } from './diff/flat-fields.js';
import { checkReviewDate, isoDate, latestReviewDate } from './review-date.js';
import { actorOf, committerOf, type PlanWriter } from './plan-writer.js';
import { withCprSnomedMappings } from './cpr-coding.js';
import { planHeaderFlat } from './header/plan-header-flat.js';
import { emergencySummary, type EmergencySummary, type SummaryModuleInput } from './summary/emergency-summary.js';

export const CAREPLAN_PUBLISHED_TOPIC = 'careplan.published';
export const CAREPLAN_CLOSED_TOPIC = 'careplan.closed';
export const CAREPLAN_DELETED_TOPIC = 'careplan.deleted';

type Flat = Record<string, JsonValue>;

export interface ModuleContent {
  moduleId: string;
  title: string;
  pathwayId: string;
  templateId: string;
  kind: PlanModuleDefinition['kind'];
  seniorDecision: boolean;
  /** Where this content is: the open draft, or the published plan; `empty` when nothing is recorded. */
  source: 'draft' | 'published' | 'empty';
  versionUid: string | null;
  committedAt: string | null;
  committer: string | null;
  flat: Flat | null;
}

export interface PlanView {
  ehrId: string;
  nhsNumber: string;
  status: CarePlanRow['status'];
  draftState: CarePlanRow['draftState'];
  revision: number;
  planVersion: number;
  pathways: string[];
  reviewDate: string | null;
  latestReviewDate: string;
  header: PlanHeader;
  modules: ModuleContent[];
  updatedAt: string;
}

export interface PlanChanges {
  fromRevision: number;
  toRevision: number;
  header: FieldChange[];
  modules: { moduleId: string; title: string; changes: FieldChange[] }[];
}

/** A write based on a revision that is no longer current: the caller gets what changed since. */
export class StalePlanError extends AppError {
  constructor(
    readonly currentRevision: number,
    readonly changes: PlanChanges,
  ) {
    super(
      'precondition-failed',
      `The plan has changed since revision ${changes.fromRevision} you edited: it is now at revision ${currentRevision}. ` +
        'Look at what changed (changes), merge your edits into the current plan and save again with If-Match: "' +
        `${currentRevision}".`,
      { headers: { ETag: `"${currentRevision}"` } },
    );
  }
}

export interface SaveResult {
  plan: PlanView;
  moduleId: string;
  versionUid: string;
  /** What the template still needs before the plan can be submitted; saving a draft does not require it. */
  incomplete: ErrorIssue[];
}

export interface SubmitResult {
  plan: PlanView;
  warnings: string[];
}

/**
 * The urgent care plan: one living plan per person, made of openEHR compositions in their EHR.
 * Drafts are incomplete compositions in versioned objects of their own; publishing turns them
 * into new versions of the published compositions in one contribution, with the projections, the
 * emergency summary, the access facts, the outbox event and the audit record.
 */
export class CarePlanService {
  constructor(
    private readonly db: Database,
    private readonly systemId: string,
    private readonly openehr: OpenEhrServices,
    readonly catalogue: PlanCatalogue,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  // ---------------------------------------------------------------- reading

  async require(ehrId: string): Promise<CarePlanRow> {
    const plan = await readCarePlan(this.db, ehrId);
    if (!plan) throw new AppError('not-found', `There is no care plan in EHR ${ehrId}.`);
    return plan;
  }

  /** The published plan: what every urgent care service sees. Never a draft. */
  async readPublished(ehrId: string): Promise<PlanView> {
    const plan = await this.require(ehrId);
    if (plan.status === 'deleted') throw new AppError('gone', `The care plan in EHR ${ehrId} was deleted.`);
    if (plan.status === 'draft' || plan.status === 'awaiting-approval')
      throw new AppError('not-found', `The care plan in EHR ${ehrId} has not been published yet; it is a draft.`);
    return this.view(plan, 'published');
  }

  /**
   * The plan as its readers saw it just after `revision` (a publication, or a later closing):
   * the header and the module versions that revision recorded, so an earlier published version
   * can be shown as it was. Undefined when the plan has no such revision.
   */
  async readAtRevision(ehrId: string, revision: number): Promise<PlanView | undefined> {
    const plan = await this.require(ehrId);
    const revisions = await listRevisions(this.db, ehrId);
    const at = revisions.find((candidate) => candidate.revision === revision);
    if (!at) return undefined;
    const planVersion = Math.max(0, ...revisions.filter((r) => r.revision <= revision).map((r) => r.planVersion ?? 0));
    const pathways = at.header.pathways;
    const modules = await this.modulesOf(ehrId, pathways, (moduleId) => {
      const [objectId, , version] = at.modules[moduleId]?.split('::') ?? [];
      return objectId && version ? { objectId, version: Number(version) } : undefined;
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
      latestReviewDate: latestReviewDate(isoDate(this.clock()), this.catalogue.reviewMaxMonths(pathways)),
      header: at.header,
      modules,
      updatedAt: at.recordedAt,
    };
  }

  /** The open draft: its own content, and the published content of modules it has not touched. */
  async readDraft(ehrId: string): Promise<PlanView> {
    const plan = await this.require(ehrId);
    if (!plan.draftState) {
      throw new AppError('not-found', `The care plan in EHR ${ehrId} has no open draft; start one from the published plan (POST …/draft).`);
    }
    return this.view(plan, 'draft');
  }

  async readModule(ehrId: string, moduleId: string, which: 'published' | 'draft'): Promise<ModuleContent> {
    const view = which === 'draft' ? await this.readDraft(ehrId) : await this.readPublished(ehrId);
    const module = view.modules.find((candidate) => candidate.moduleId === moduleId);
    if (!module)
      throw new AppError('not-found', `The plan has no module ${moduleId}; it has ${view.modules.map((m) => m.moduleId).join(', ')}.`);
    return module;
  }

  async emergencySummary(ehrId: string): Promise<EmergencySummary> {
    const summary = await readSummary(this.db, ehrId);
    if (summary === undefined) throw new AppError('not-found', `There is no published care plan in EHR ${ehrId}.`);
    const status = (summary as { status?: string }).status;
    if (status === 'deleted') throw new AppError('gone', `The care plan in EHR ${ehrId} was deleted.`);
    const stored = summary as EmergencySummary;
    // The projection is written at publish; whether the review is overdue depends on the day it is read.
    return { ...stored, reviewOverdue: stored.reviewDate !== null && stored.reviewDate < isoDate(this.clock()) };
  }

  async history(ehrId: string): Promise<{
    plan: CarePlanRow;
    revisions: PlanRevision[];
    compositions: { moduleId: string; objectId: string; versions: StoredVersion[] }[];
  }> {
    const plan = await this.require(ehrId);
    const revisions = await listRevisions(this.db, ehrId);
    const objectIds = new Map<string, string>();
    for (const revision of revisions) {
      for (const [moduleId, versionUid] of Object.entries(revision.modules)) objectIds.set(versionUid.split('::')[0] ?? '', moduleId);
    }
    for (const [moduleId, refs] of Object.entries(plan.modules)) {
      for (const id of [refs.published, refs.draft]) if (id) objectIds.set(id, moduleId);
    }
    for (const revision of revisions)
      if (revision.headerVersionUid) objectIds.set(revision.headerVersionUid.split('::')[0] ?? '', 'header');
    for (const id of [plan.headerId, plan.draftHeaderId]) if (id) objectIds.set(id, 'header');
    const compositions = [];
    for (const [objectId, moduleId] of objectIds) {
      if (!objectId) continue;
      compositions.push({ moduleId, objectId, versions: await this.openehr.compositions.history(ehrId, objectId) });
    }
    return { plan, revisions, compositions };
  }

  /** What differs between two revisions of the plan (by revision number or published plan version). */
  async diff(
    ehrId: string,
    from: { revision: number } | { planVersion: number },
    to: { revision: number } | { planVersion: number },
  ): Promise<PlanChanges> {
    await this.require(ehrId);
    const [before, after] = await Promise.all([readRevision(this.db, ehrId, from), readRevision(this.db, ehrId, to)]);
    if (!before || !after) throw new AppError('not-found', `The plan has no ${!before ? describe(from) : describe(to)}.`);
    return this.changesBetween(ehrId, before, after);
  }

  /** The web template a module's form is built from. */
  async webTemplateOf(templateId: string): Promise<unknown> {
    return (await this.template(templateId)).webTemplate;
  }

  /**
   * The worklist rows of the plans an AQL query found due for review (`CarePlanQueries`), in the
   * query's order; the query decides who is due, the projection adds what the worklist shows.
   */
  async worklist(due: readonly { ehrId: string; reviewDate: string }[]): Promise<ReviewDueRow[]> {
    const rows = await readWorklistRows(
      this.db,
      due.map((plan) => plan.ehrId),
    );
    return due.flatMap((plan) => {
      const row = rows.get(plan.ehrId);
      return row ? [{ ...row, reviewDate: plan.reviewDate.slice(0, 10) }] : [];
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts a person's plan: their EHR if they have none, and an empty draft. One plan per person. */
  async create(
    input: { nhsNumber: string; pathways: string[]; consent: ConsentRecord | undefined },
    writer: PlanWriter,
  ): Promise<PlanView> {
    const nhsNumber = input.nhsNumber.replace(/\s/g, '');
    if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${input.nhsNumber} is not a valid NHS number.`);
    const pathways = this.checkPathways(input.pathways);
    const existing = await findCarePlanByNhsNumber(this.db, nhsNumber);
    // A deleted plan is kept for the record; the person may have a new one in the same EHR.
    if (existing && existing.status !== 'deleted') {
      throw new AppError(
        'conflict',
        `This person already has a care plan (EHR ${existing.ehrId}, ${existing.status}); there is one plan per person: open it and edit it.`,
        {
          headers: { Location: `/api/care-plans/${existing.ehrId}` },
        },
      );
    }
    const actor = actorOf(writer.caller);
    const ehrId = await this.ensureEhr(nhsNumber, writer);
    const header: PlanHeader = {
      status: 'draft',
      pathways,
      changeSummary: 'Plan started',
      author: actor,
      approver: undefined,
      approvedAt: undefined,
      reviewDate: undefined,
      consent: input.consent,
      death: undefined,
      deletion: undefined,
    };
    const headerTemplate = await this.headerTemplate();
    await this.db.transaction(async (tx) => {
      await this.openehr.ehrs.lockForWrite(tx, ehrId, { statusOnly: false });
      const restarted = existing ? await readCarePlan(tx, ehrId, { forUpdate: true }) : undefined;
      if (restarted && restarted.status !== 'deleted')
        throw new AppError('conflict', `This person already has a care plan (EHR ${ehrId}); open it and edit it.`);
      if (restarted) {
        await updateCarePlan(tx, {
          ...restarted,
          status: 'draft',
          draftState: 'editing',
          pathways: [],
          draftPathways: pathways,
          revision: restarted.revision + 1,
          modules: {},
          headerId: null,
          draftHeaderId: null,
          reviewDate: null,
          draftReviewDate: null,
          changeSummary: 'Plan started',
          authorOds: actor.odsCode,
          approverOds: null,
          approvedAt: null,
        });
        await tx.query('DELETE FROM care_plan_summary WHERE ehr_id = $1', [ehrId]);
      } else {
        await insertCarePlan(tx, { ehrId, nhsNumber, draftPathways: pathways, authorOds: actor.odsCode });
      }
      const revision = restarted ? restarted.revision + 1 : 1;
      let headerVersionUid: string | null = null;
      if (headerTemplate) {
        const headerWrite = await this.headerChanges(
          tx,
          ehrId,
          { headerId: null, draftHeaderId: null },
          header,
          'draft',
          headerTemplate,
          writer,
        );
        const committed = await writeContribution(tx, {
          ehrId,
          systemId: this.systemId,
          audit: { committer: committerOf(writer.caller), description: 'Plan started', trail: writer.trail },
          changes: headerWrite.changes,
        });
        headerVersionUid = committed.versions[0]?.versionUid ?? null;
        await tx.query('UPDATE care_plan SET draft_header_id = $2 WHERE ehr_id = $1', [ehrId, headerWrite.draftHeaderId]);
      }
      await insertRevision(tx, ehrId, {
        revision,
        planVersion: null,
        event: 'created',
        status: 'draft',
        modules: {},
        headerVersionUid,
        header,
        actor,
        changeSummary: header.changeSummary ?? null,
      });
      if (input.consent) await recordConsent(tx, nhsNumber, input.consent.toShare);
      if (!headerTemplate) await writer.trail(tx, { ehrId, contributionId: undefined, versionUids: [] });
    });
    return this.view(await this.require(ehrId), 'draft');
  }

  /** Saves one module of the draft (FLAT, as the generated forms produce it) as a new draft version. */
  async saveModule(
    ehrId: string,
    moduleId: string,
    flat: Flat,
    input: { baseRevision: number; changeSummary: string | undefined },
    writer: PlanWriter,
  ): Promise<SaveResult> {
    const plan = await this.require(ehrId);
    this.refuseIfReadOnly(plan);
    const pathways = plan.draftState ? plan.draftPathways : plan.pathways;
    const module = this.catalogue.module(pathways, moduleId);
    if (!module) {
      throw new AppError(
        'not-found',
        `The plan has no module ${moduleId}; its modules are ${this.catalogue
          .modulesOf(pathways)
          .map((m) => m.id)
          .join(', ')}.`,
      );
    }
    const { caller } = writer;
    if (module.kind === 'clinical' && !caller.permissions.has('plan:write-clinical')) {
      await writer.refuse(
        `${module.title} is a clinical section: editing it needs plan:write-clinical (a clinician); the role(s) ${caller.roles.join(', ')} may edit only non-clinical sections`,
      );
    }
    const template = await this.template(module.templateId);
    const composition = withCprSnomedMappings(this.toComposition(flat, template, writer, module));
    // A module its pathway declares senior is a senior decision as a whole; elsewhere the
    // decision content itself is compared with what the module holds now, so removing it counts.
    const refs = plan.modules[moduleId] ?? {};
    const currentId = refs.draft ?? refs.published;
    const before = currentId ? await readVersion(this.db, { ehrId, objectType: 'COMPOSITION', objectId: currentId }) : undefined;
    await writer.requireSeniorDecisionRight(
      module.seniorDecision ? seniorModuleChange(module.title) : seniorDecisionChange(before?.data ?? null, composition),
    );
    const incomplete = template.validate(composition);
    const committed = await this.write(
      ehrId,
      input.baseRevision,
      writer,
      input.changeSummary ?? `${module.title} updated`,
      async (tx, current) => {
        const refs = current.modules[moduleId] ?? {};
        const change = await this.draftChange(tx, ehrId, refs.draft, composition, template);
        return {
          changes: [change],
          event: 'saved',
          header: current.draftHeaderId ? 'none' : 'draft',
          apply: (versions) => {
            const draftVersion = versions[0];
            if (!draftVersion) throw new Error('draft save wrote no version');
            const next = this.openDraft(current);
            next.modules = { ...next.modules, [moduleId]: { ...refs, draft: draftVersion.objectId } };
            next.draftState = 'editing';
            if (next.status !== 'published') next.status = 'draft';
            return { plan: next, moduleVersions: { [moduleId]: draftVersion.versionUid } };
          },
        };
      },
    );
    const versionUid = committed.moduleVersions[moduleId] ?? '';
    return { plan: await this.view(committed.plan, 'draft'), moduleId, versionUid, incomplete };
  }

  /** Opens a draft from the published plan (edits then go to it, never to the published plan). */
  async startDraft(ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    const plan = await this.require(ehrId);
    this.refuseIfReadOnly(plan);
    if (plan.draftState) throw new AppError('conflict', `The plan already has an open draft (${plan.draftState}); edit that one.`);
    const committed = await this.write(ehrId, baseRevision, writer, 'New draft from the published plan', async (_tx, current) => ({
      changes: [],
      event: 'draft-started',
      header: 'draft',
      apply: () => ({ plan: this.openDraft(current), moduleVersions: {} }),
    }));
    return this.view(committed.plan, 'draft');
  }

  /** Adds or removes pathways of the draft (each adds its modules to the plan). */
  async setPathways(ehrId: string, pathwayIds: string[], baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    const plan = await this.require(ehrId);
    this.refuseIfReadOnly(plan);
    const pathways = this.checkPathways(pathwayIds);
    const committed = await this.write(
      ehrId,
      baseRevision,
      writer,
      `Pathways: ${pathways.join(', ') || 'core plan only'}`,
      async (_tx, current) => ({
        changes: [],
        event: 'pathways-changed',
        header: 'draft',
        apply: () => {
          const next = this.openDraft(current);
          next.draftPathways = pathways;
          next.draftState = 'editing';
          return { plan: next, moduleVersions: {} };
        },
      }),
    );
    return this.view(committed.plan, 'draft');
  }

  /** Submits the draft for approval: every composition must satisfy its template, and a review date is set. */
  async submit(
    ehrId: string,
    input: { baseRevision: number; reviewDate: string | undefined; changeSummary: string | undefined },
    writer: PlanWriter,
  ): Promise<SubmitResult> {
    const plan = await this.require(ehrId);
    this.refuseIfReadOnly(plan);
    if (!plan.draftState) throw new AppError('conflict', 'There is no open draft to submit.');
    const today = isoDate(this.clock());
    const reviewDate = checkReviewDate(input.reviewDate, today, this.catalogue.reviewMaxMonths(plan.draftPathways));
    const draft = await this.view(plan, 'draft');
    const issues = await this.validateAll(draft);
    if (issues.length > 0) {
      throw new AppError('unprocessable', `The plan cannot be submitted yet: ${issues.length} problem(s) in its sections.`, { issues });
    }
    if (
      !draft.modules.some((module) => module.flat && module.source === 'draft') &&
      plan.draftPathways.join() === plan.pathways.join() &&
      reviewDate === plan.reviewDate
    ) {
      throw new AppError('unprocessable', 'The draft changes nothing: edit a section, the pathways or the review date before submitting.');
    }
    const committed = await this.write(
      ehrId,
      input.baseRevision,
      writer,
      input.changeSummary ?? 'Submitted for approval',
      async (_tx, current) => ({
        changes: [],
        event: 'submitted',
        header: 'draft',
        apply: () => {
          const next = {
            ...current,
            draftState: 'awaiting-approval' as const,
            draftReviewDate: reviewDate,
            changeSummary: input.changeSummary ?? current.changeSummary,
          };
          if (next.status !== 'published') next.status = 'awaiting-approval';
          return { plan: next, moduleVersions: {} };
        },
      }),
    );
    return { plan: await this.view(committed.plan, 'draft'), warnings: qualityWarnings(draft) };
  }

  /**
   * Approves and publishes the submitted draft in one contribution: each drafted module becomes
   * a new complete version of its published composition, the drafts are deleted, and the
   * projections, summary, access facts, event and audit are written with it.
   */
  async publish(ehrId: string, baseRevision: number, writer: PlanWriter): Promise<PlanView> {
    const plan = await this.require(ehrId);
    this.refuseIfReadOnly(plan);
    if (plan.draftState !== 'awaiting-approval') {
      throw new AppError(
        'conflict',
        plan.draftState
          ? 'The draft has not been submitted for approval (or was edited since): submit it first.'
          : 'There is no draft to approve.',
      );
    }
    const { caller } = writer;
    const draft = await this.view(plan, 'draft');
    const changedSenior: ModuleContent[] = [];
    for (const module of draft.modules) {
      if (module.source !== 'draft') continue;
      if (module.seniorDecision || (await this.changesSeniorDecisions(ehrId, plan.modules[module.moduleId] ?? {})))
        changedSenior.push(module);
    }
    if (!caller.permissions.has('plan:approve')) {
      if (changedSenior.length > 0) {
        await writer.refuse(
          `the draft changes ${changedSenior.map((m) => m.title).join(', ')}: CPR/ReSPECT recommendations are approved by a senior clinician (plan:approve)`,
        );
      }
      if (this.catalogue.requiresSeniorApproval(plan.draftPathways)) {
        await writer.refuse('plans on this pathway are approved by a senior clinician (plan:approve)');
      }
    }
    const issues = await this.validateAll(draft);
    if (issues.length > 0) throw new AppError('unprocessable', `The plan cannot be published: ${issues.length} problem(s).`, { issues });
    const actor = actorOf(caller);
    // Compiled before the transaction: a template read inside it would wait for the connection it holds (PGlite).
    const templates = await this.templatesOf(plan.draftPathways);
    const committed = await this.write(
      ehrId,
      baseRevision,
      writer,
      plan.changeSummary ?? 'Plan approved and published',
      async (tx, current) => {
        const changes: VersionChange[] = [];
        const published: string[] = [];
        for (const [moduleId, refs] of Object.entries(current.modules)) {
          if (!refs.draft) continue;
          const draftVersion = await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.draft });
          if (!draftVersion?.data) throw new Error(`draft ${refs.draft} of ${moduleId} has no content`);
          const base = refs.published ? await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.published }) : undefined;
          const content = withoutUid(draftVersion.data);
          changes.push({
            objectType: 'COMPOSITION',
            objectId: base?.objectId ?? randomUUID(),
            precedingVersion: base?.version,
            changeType: base ? 'modification' : 'creation',
            lifecycleState: 'complete',
            data: content,
            ...(draftVersion.templateId ? { templateId: draftVersion.templateId } : {}),
          });
          changes.push(deletionOf(draftVersion));
          published.push(moduleId);
        }
        return {
          changes,
          event: 'published',
          header: 'published',
          apply: (versions) => {
            const next: CarePlanRow = { ...current, modules: { ...current.modules } };
            const moduleVersions: Record<string, string> = {};
            let index = 0;
            for (const moduleId of published) {
              const version = versions[index];
              index += 2;
              if (!version) throw new Error('publish wrote fewer versions than planned');
              next.modules[moduleId] = { published: version.objectId };
              moduleVersions[moduleId] = version.versionUid;
            }
            next.status = 'published';
            next.draftState = null;
            next.pathways = current.draftPathways;
            next.reviewDate = current.draftReviewDate;
            next.planVersion = current.planVersion + 1;
            next.approverOds = actor.odsCode;
            next.approvedAt = this.clock().toISOString();
            if (!next.authorOds) next.authorOds = actor.odsCode;
            return { plan: next, moduleVersions, planVersion: next.planVersion, approver: actor };
          },
          after: async (tx2, next, header) => {
            const summary = await this.summaryOf(tx2, next, header, templates);
            await writeSummary(tx2, ehrId, summary);
            // Publishing changes nobody's access: the care team is joined only by an explicit act,
            // and the registered GP comes from the demographics service, not from the plan's text.
            if (header.consent) await recordConsent(tx2, next.nhsNumber, header.consent.toShare);
            await appendEvent(tx2, CAREPLAN_PUBLISHED_TOPIC, {
              ehrId,
              nhsNumber: next.nhsNumber,
              planVersion: next.planVersion,
              revision: next.revision,
              pathways: next.pathways,
              reviewDate: next.reviewDate,
              approvedBy: { name: actor.name, odsCode: actor.odsCode },
              modules: Object.fromEntries(Object.entries(next.modules).map(([id, refs]) => [id, refs.published ?? null])),
              cpr: summary.cpr ? { code: summary.cpr.code, notForCpr: summary.cpr.notForCpr } : null,
            });
          },
        };
      },
    );
    return this.view(committed.plan, 'published');
  }

  /**
   * Records the person's death: the plan is closed and read-only from then on (the EHR is marked
   * not modifiable), any open draft is discarded, and the summary says so.
   */
  async recordDeath(
    ehrId: string,
    input: { baseRevision: number; date: string; place: string; placeDiffersReason: string | undefined },
    writer: PlanWriter,
  ): Promise<PlanView> {
    const plan = await this.require(ehrId);
    this.refuseIfReadOnly(plan);
    if (input.date > isoDate(this.clock())) throw new AppError('unprocessable', `The date of death ${input.date} is in the future.`);
    const actor = actorOf(writer.caller);
    const templates = await this.templatesOf(plan.pathways);
    const committed = await this.write(ehrId, input.baseRevision, writer, `Death recorded (${input.date})`, async (tx, current) => {
      const changes: VersionChange[] = [];
      for (const refs of Object.values(current.modules)) {
        if (!refs.draft) continue;
        const draftVersion = await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.draft });
        if (draftVersion && draftVersion.lifecycleState !== 'deleted') changes.push(deletionOf(draftVersion));
      }
      changes.push(await this.closedEhrStatus(tx, ehrId));
      return {
        changes,
        event: 'death-recorded',
        header: 'published',
        headerPatch: { death: { date: input.date, place: input.place, placeDiffersReason: input.placeDiffersReason, recordedBy: actor } },
        apply: () => {
          const next: CarePlanRow = { ...current, status: 'closed', draftState: null, draftPathways: current.pathways };
          next.modules = Object.fromEntries(
            Object.entries(current.modules)
              .filter(([, refs]) => refs.published)
              .map(([id, refs]) => [id, { published: refs.published as string }]),
          );
          return { plan: next, moduleVersions: {} };
        },
        after: async (tx2, next, header) => {
          await updateEhrStatusFacts(tx2, ehrId, {
            subject: { id: next.nhsNumber, namespace: NHS_NUMBER_SYSTEM },
            isQueryable: true,
            isModifiable: false,
          });
          if (next.planVersion > 0) await writeSummary(tx2, ehrId, await this.summaryOf(tx2, next, header, templates));
          await appendEvent(tx2, CAREPLAN_CLOSED_TOPIC, {
            ehrId,
            nhsNumber: next.nhsNumber,
            planVersion: next.planVersion,
            dateOfDeath: input.date,
            place: input.place,
          });
        },
      };
    });
    return this.view(committed.plan, committed.plan.planVersion > 0 ? 'published' : 'draft');
  }

  /** Logical deletion: every module composition gets a deleted version; nothing is erased. */
  async delete(ehrId: string, input: { baseRevision: number; reason: string }, writer: PlanWriter): Promise<void> {
    const plan = await this.require(ehrId);
    if (plan.status === 'deleted') throw new AppError('gone', 'The plan is already deleted.');
    if (plan.status === 'closed') throw new AppError('conflict', 'The plan was closed when the person died; it is kept as it was.');
    const actor = actorOf(writer.caller);
    await this.write(ehrId, input.baseRevision, writer, `Plan deleted: ${input.reason}`, async (tx, current) => {
      const changes: VersionChange[] = [];
      for (const refs of Object.values(current.modules)) {
        for (const objectId of [refs.published, refs.draft]) {
          if (!objectId) continue;
          const latest = await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId });
          if (latest && latest.lifecycleState !== 'deleted') changes.push(deletionOf(latest));
        }
      }
      return {
        changes,
        event: 'deleted',
        header: 'published',
        headerPatch: { deletion: { at: this.clock().toISOString(), by: actor, reason: input.reason } },
        apply: () => ({ plan: { ...current, status: 'deleted', draftState: null, modules: {} }, moduleVersions: {} }),
        after: async (tx2, next) => {
          await writeSummary(tx2, ehrId, {
            ehrId,
            status: 'deleted',
            planVersion: next.planVersion,
            lastUpdated: this.clock().toISOString(),
          });
          await appendEvent(tx2, CAREPLAN_DELETED_TOPIC, { ehrId, nhsNumber: next.nhsNumber, planVersion: next.planVersion });
        },
      };
    });
  }

  // ---------------------------------------------------------------- internals

  /**
   * The one way the plan changes: under the EHR's and the plan's row locks, refused if the writer
   * based it on an older revision; the compositions through the repository's one write path, the
   * projections, the revision record and the audit in the same transaction.
   */
  private async write(
    ehrId: string,
    baseRevision: number,
    writer: PlanWriter,
    changeSummary: string,
    plan: (
      tx: Queryable,
      current: CarePlanRow,
    ) => Promise<{
      changes: VersionChange[];
      event: string;
      headerPatch?: Partial<PlanHeader>;
      apply: (versions: StoredVersion[]) => {
        plan: CarePlanRow;
        moduleVersions: Record<string, string>;
        planVersion?: number;
        approver?: PlanActor;
      };
      /** `published`: a new complete header version (and the draft header deleted); `draft`: the draft header. */
      header?: 'published' | 'draft' | 'none';
      after?: (tx: Queryable, next: CarePlanRow, header: PlanHeader) => Promise<void>;
    }>,
  ): Promise<{ plan: CarePlanRow; moduleVersions: Record<string, string> }> {
    // Compiled before the transaction: a template read inside it would wait for the connection it holds (PGlite).
    const headerTemplate = await this.headerTemplate();
    try {
      return await this.db.transaction(async (tx) => {
        const current = await readCarePlan(tx, ehrId, { forUpdate: true });
        if (!current) throw new AppError('not-found', `There is no care plan in EHR ${ehrId}.`);
        if (current.revision !== baseRevision) throw new StaleRevision(current.revision);
        this.refuseIfReadOnly(current);
        await this.openehr.ehrs.lockForWrite(tx, ehrId, { statusOnly: false });
        const planned = await plan(tx, current);
        const previous = await readRevision(tx, ehrId, { revision: current.revision });
        const actor = actorOf(writer.caller);
        // What the write leads to does not depend on version numbers, only on object ids (which
        // every change names), so the header can join the same contribution.
        const preview = planned.apply(
          planned.changes.map((change) => ({ objectId: change.objectId ?? '', versionUid: '' }) as StoredVersion),
        );
        const headerOf = (next: CarePlanRow, approver: PlanActor | undefined): PlanHeader => ({
          ...(previous?.header ?? emptyHeader()),
          ...planned.headerPatch,
          status: next.status,
          pathways: next.draftState ? next.draftPathways : next.pathways,
          changeSummary,
          reviewDate: (next.draftState ? next.draftReviewDate : next.reviewDate) ?? undefined,
          ...(approver ? { approver, approvedAt: next.approvedAt ?? undefined } : {}),
        });
        const headerWrite = headerTemplate
          ? await this.headerChanges(
              tx,
              ehrId,
              current,
              headerOf(preview.plan, preview.approver),
              planned.header ?? 'none',
              headerTemplate,
              writer,
            )
          : { changes: [], headerId: current.headerId, draftHeaderId: current.draftHeaderId, headerObjectId: undefined };
        const changes = [...planned.changes, ...headerWrite.changes];
        const audit: CommitAudit = { committer: committerOf(writer.caller), description: changeSummary, trail: writer.trail };
        const committed = changes.length > 0 ? await writeContribution(tx, { ehrId, systemId: this.systemId, audit, changes }) : undefined;
        if (!committed) await writer.trail(tx, { ehrId, contributionId: undefined, versionUids: [] });
        const applied = planned.apply((committed?.versions ?? []).slice(0, planned.changes.length));
        const next: CarePlanRow = {
          ...applied.plan,
          revision: current.revision + 1,
          changeSummary,
          headerId: headerWrite.headerId,
          draftHeaderId: headerWrite.draftHeaderId,
        };
        const header = headerOf(next, applied.approver);
        const headerVersionUid =
          committed?.versions.find((version) => version.objectId === headerWrite.headerObjectId)?.versionUid ??
          previous?.headerVersionUid ??
          null;
        const modules = await this.contentVersions(tx, ehrId, next, previous?.modules ?? {}, applied.moduleVersions);
        await updateCarePlan(tx, next);
        await insertRevision(tx, ehrId, {
          revision: next.revision,
          planVersion: applied.planVersion ?? null,
          event: planned.event,
          status: next.draftState ? `${next.status}/${next.draftState}` : next.status,
          modules,
          headerVersionUid,
          header,
          actor,
          changeSummary,
        });
        await planned.after?.(tx, next, header);
        return { plan: next, moduleVersions: applied.moduleVersions };
      });
    } catch (error) {
      if (error instanceof StaleRevision)
        throw new StalePlanError(error.current, await this.changesSince(ehrId, baseRevision, error.current));
      throw error;
    }
  }

  private async headerTemplate(): Promise<CompiledTemplate | undefined> {
    const id = this.catalogue.headerTemplateId;
    return id ? this.template(id) : undefined;
  }

  /**
   * The header's part of a write: the draft header (an incomplete composition of its own) while a
   * draft is open, the published header (complete) when the plan is published, closed or deleted.
   */
  private async headerChanges(
    tx: Queryable,
    ehrId: string,
    current: Pick<CarePlanRow, 'headerId' | 'draftHeaderId'>,
    header: PlanHeader,
    mode: 'published' | 'draft' | 'none',
    template: CompiledTemplate,
    writer: PlanWriter,
  ): Promise<{ changes: VersionChange[]; headerId: string | null; draftHeaderId: string | null; headerObjectId: string | undefined }> {
    if (mode === 'none')
      return { changes: [], headerId: current.headerId, draftHeaderId: current.draftHeaderId, headerObjectId: undefined };
    const now = this.clock().toISOString();
    const flat = planHeaderFlat(header, {
      corePathwayId: this.catalogue.core.id,
      pathwayTitle: (id) => this.catalogue.pathway(id)?.title ?? id,
      now,
    });
    const data = {
      ...this.toComposition(flat, template, writer, { title: 'Plan header', templateId: template.templateId }),
      _type: 'COMPOSITION',
    };
    const target = mode === 'published' ? current.headerId : current.draftHeaderId;
    const latest = target ? await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId: target }) : undefined;
    const objectId = latest && latest.lifecycleState !== 'deleted' ? latest.objectId : randomUUID();
    const changes: VersionChange[] = [
      {
        objectType: 'COMPOSITION',
        objectId,
        precedingVersion: latest && latest.lifecycleState !== 'deleted' ? latest.version : undefined,
        changeType: latest && latest.lifecycleState !== 'deleted' ? 'modification' : 'creation',
        lifecycleState: mode === 'published' ? 'complete' : 'incomplete',
        data,
        templateId: template.templateId,
        templateVersion: template.version,
      },
    ];
    if (mode === 'draft') return { changes, headerId: current.headerId, draftHeaderId: objectId, headerObjectId: objectId };
    if (current.draftHeaderId) {
      const draft = await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId: current.draftHeaderId });
      if (draft && draft.lifecycleState !== 'deleted') changes.push(deletionOf(draft));
    }
    return { changes, headerId: objectId, draftHeaderId: null, headerObjectId: objectId };
  }

  /** Module id → the version uid a reader of the new revision sees (the draft's if one is open, else the published). */
  private async contentVersions(
    tx: Queryable,
    ehrId: string,
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
      const latest = await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId });
      if (latest && latest.lifecycleState !== 'deleted') versions[moduleId] = latest.versionUid;
    }
    return versions;
  }

  private async changesSince(ehrId: string, baseRevision: number, currentRevision: number): Promise<PlanChanges> {
    const [before, after] = await Promise.all([
      readRevision(this.db, ehrId, { revision: baseRevision }),
      readRevision(this.db, ehrId, { revision: currentRevision }),
    ]);
    if (!after) return { fromRevision: baseRevision, toRevision: currentRevision, header: [], modules: [] };
    return this.changesBetween(ehrId, before, after);
  }

  private async changesBetween(ehrId: string, before: PlanRevision | undefined, after: PlanRevision): Promise<PlanChanges> {
    const moduleIds = [...new Set([...Object.keys(before?.modules ?? {}), ...Object.keys(after.modules)])];
    const modules: PlanChanges['modules'] = [];
    const pathways = [...new Set([...(before?.header.pathways ?? []), ...after.header.pathways])];
    for (const moduleId of moduleIds) {
      const oldUid = before?.modules[moduleId];
      const newUid = after.modules[moduleId];
      if (oldUid === newUid) continue;
      const definition = this.catalogue.module(pathways, moduleId);
      const [oldFlat, newFlat, template] = await Promise.all([
        this.flatOfVersion(ehrId, oldUid),
        this.flatOfVersion(ehrId, newUid),
        definition ? this.template(definition.templateId) : undefined,
      ]);
      const changes = diffFlat(oldFlat, newFlat, (path) => (template ? labelOfFlatPath(template.webTemplate, path) : path));
      if (changes.length > 0) modules.push({ moduleId, title: definition?.title ?? moduleId, changes });
    }
    return {
      fromRevision: before?.revision ?? 0,
      toRevision: after.revision,
      header: headerChanges(before?.header, after.header),
      modules,
    };
  }

  private async flatOfVersion(ehrId: string, versionUid: string | undefined): Promise<Flat | undefined> {
    if (!versionUid) return undefined;
    const [objectId, , version] = versionUid.split('::');
    if (!objectId || !version) return undefined;
    const stored = await readVersion(this.db, { ehrId, objectType: 'COMPOSITION', objectId, version: Number(version) });
    return stored?.data ? this.flatOf(stored) : undefined;
  }

  private async flatOf(version: StoredVersion): Promise<Flat | undefined> {
    if (!version.data || !version.templateId) return undefined;
    const template = await this.template(version.templateId);
    return compositionToFlat(version.data as FlatJsonObject, template.webTemplate, { skippedNode: template.skippedNode });
  }

  private async view(plan: CarePlanRow, which: 'published' | 'draft'): Promise<PlanView> {
    const pathways = which === 'draft' && plan.draftState ? plan.draftPathways : plan.pathways;
    // Readers of the published plan see the header as published, never what an open draft says.
    const revision = await readRevision(
      this.db,
      plan.ehrId,
      which === 'published' && plan.status === 'published' ? { planVersion: plan.planVersion } : { revision: plan.revision },
    );
    const modules = await this.modulesOf(plan.ehrId, pathways, (moduleId) => {
      const refs = plan.modules[moduleId] ?? {};
      const objectId = which === 'draft' ? (refs.draft ?? refs.published) : refs.published;
      return objectId ? { objectId, isDraft: objectId === refs.draft } : undefined;
    });
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
      latestReviewDate: latestReviewDate(isoDate(this.clock()), this.catalogue.reviewMaxMonths(pathways)),
      header:
        which === 'published'
          ? { ...header, status: plan.status, pathways: plan.pathways, reviewDate: plan.reviewDate ?? undefined }
          : header,
      modules,
      updatedAt: plan.updatedAt,
    };
  }

  /** Each module of the pathways with the content `locate` names (a version, or the latest of an object). */
  private async modulesOf(
    ehrId: string,
    pathways: readonly string[],
    locate: (moduleId: string) => { objectId: string; version?: number; isDraft?: boolean } | undefined,
  ): Promise<ModuleContent[]> {
    const modules: ModuleContent[] = [];
    for (const pathwayId of [this.catalogue.core.id, ...pathways]) {
      for (const module of this.catalogue.pathway(pathwayId)?.modules ?? []) {
        const located = locate(module.id);
        const stored = located
          ? await readVersion(this.db, {
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
          flat: present ? ((await this.flatOf(present)) ?? null) : null,
        });
      }
    }
    return modules;
  }

  private async summaryOf(
    tx: Queryable,
    plan: CarePlanRow,
    header: PlanHeader,
    templates: ReadonlyMap<string, CompiledTemplate>,
  ): Promise<EmergencySummary> {
    const inputs: SummaryModuleInput[] = [];
    for (const pathwayId of [this.catalogue.core.id, ...plan.pathways]) {
      for (const module of this.catalogue.pathway(pathwayId)?.modules ?? []) {
        const objectId = plan.modules[module.id]?.published;
        if (!objectId) continue;
        const stored = await readVersion(tx, { ehrId: plan.ehrId, objectType: 'COMPOSITION', objectId });
        const template = templates.get(module.templateId);
        if (!stored?.data || stored.lifecycleState === 'deleted' || !template) continue;
        inputs.push({
          moduleId: module.id,
          title: module.title,
          templateId: module.templateId,
          pathwayId,
          flat: compositionToFlat(stored.data as FlatJsonObject, template.webTemplate, { skippedNode: template.skippedNode }),
          labelOf: (path) => labelOfFlatPath(template.webTemplate, path),
          ...(module.highlights ? { highlights: module.highlights } : {}),
        });
      }
    }
    return emergencySummary(
      {
        ehrId: plan.ehrId,
        corePathwayId: this.catalogue.core.id,
        status: plan.status,
        planVersion: plan.planVersion,
        lastUpdated: this.clock().toISOString(),
        reviewDate: plan.reviewDate ?? undefined,
        pathways: plan.pathways.map((id) => ({ id, title: this.catalogue.pathway(id)?.title ?? id })),
        approvedBy: header.approver
          ? `${header.approver.name}${header.approver.organisation ? `, ${header.approver.organisation}` : ''}`
          : undefined,
        death: header.death ? { date: header.death.date, place: header.death.place } : undefined,
      },
      inputs,
      isoDate(this.clock()),
    );
  }

  private async validateAll(view: PlanView): Promise<ErrorIssue[]> {
    const issues: ErrorIssue[] = [];
    for (const module of view.modules) {
      if (module.source !== 'draft' || !module.versionUid) continue;
      const [objectId] = module.versionUid.split('::');
      const stored = objectId ? await readVersion(this.db, { ehrId: view.ehrId, objectType: 'COMPOSITION', objectId }) : undefined;
      if (!stored?.data) continue;
      const template = await this.template(module.templateId);
      for (const issue of template.validate(stored.data))
        issues.push({ path: `/modules/${module.moduleId}${issue.path}`, message: issue.message });
    }
    return issues;
  }

  /** Whether a module's draft creates, changes or removes senior decision content of its published version. */
  private async changesSeniorDecisions(ehrId: string, refs: { draft?: string; published?: string }): Promise<boolean> {
    if (!refs.draft) return false;
    const draft = await readVersion(this.db, { ehrId, objectType: 'COMPOSITION', objectId: refs.draft });
    const published = refs.published
      ? await readVersion(this.db, { ehrId, objectType: 'COMPOSITION', objectId: refs.published })
      : undefined;
    return touchesSeniorDecisions(seniorDecisionChange(published?.data ?? null, draft?.data ?? null));
  }

  private toComposition(
    flat: Flat,
    template: CompiledTemplate,
    writer: PlanWriter,
    module: Pick<PlanModuleDefinition, 'title' | 'templateId'>,
  ): JsonObject {
    const organisation = writer.caller.organisation;
    const context: Flat = {
      'ctx/language': 'en',
      'ctx/territory': 'GB',
      'ctx/composer_name': writer.caller.displayName,
      'ctx/composer_id': writer.caller.id,
      ...(organisation ? { 'ctx/health_care_facility|name': organisation.name, 'ctx/health_care_facility|id': organisation.odsCode } : {}),
    };
    const foreign = Object.keys(flat).filter((key) => !key.startsWith(`${template.webTemplate.tree.id}/`) && !key.startsWith('ctx/'));
    if (foreign.length > 0) {
      throw new AppError(
        'unprocessable',
        `${module.title} is recorded with template ${module.templateId}, whose FLAT paths start with "${template.webTemplate.tree.id}/".`,
        {
          issues: foreign.slice(0, 20).map((key) => ({ path: key, message: 'is not a path of this section' })),
        },
      );
    }
    try {
      return flatToComposition({ ...context, ...flat }, template.webTemplate, {
        now: this.clock().toISOString(),
        skippedNode: template.skippedNode,
      });
    } catch (error) {
      if (error instanceof FlatFormatError) {
        throw new AppError('unprocessable', `The ${module.title} form does not fit template ${module.templateId}.`, {
          issues: error.issues,
          cause: error,
        });
      }
      throw error;
    }
  }

  private async draftChange(
    tx: Queryable,
    ehrId: string,
    draftId: string | undefined,
    composition: JsonObject,
    template: CompiledTemplate,
  ): Promise<VersionChange> {
    const data = { ...composition, _type: 'COMPOSITION' };
    if (draftId) {
      const latest = await readVersion(tx, { ehrId, objectType: 'COMPOSITION', objectId: draftId });
      if (latest && latest.lifecycleState !== 'deleted') {
        return {
          objectType: 'COMPOSITION',
          objectId: draftId,
          precedingVersion: latest.version,
          changeType: 'modification',
          lifecycleState: 'incomplete',
          data,
          templateId: template.templateId,
          templateVersion: template.version,
        };
      }
    }
    return {
      objectType: 'COMPOSITION',
      objectId: randomUUID(),
      precedingVersion: undefined,
      changeType: 'creation',
      lifecycleState: 'incomplete',
      data,
      templateId: template.templateId,
      templateVersion: template.version,
    };
  }

  /** A new EHR_STATUS version saying the EHR is no longer modifiable (the person has died). */
  private async closedEhrStatus(tx: Queryable, ehrId: string): Promise<VersionChange> {
    const ehr = await this.openehr.ehrs.requireEhr(tx, ehrId);
    const status = await readVersion(tx, { ehrId, objectType: 'EHR_STATUS', objectId: ehr.ehrStatusUid });
    if (!status?.data) throw new Error(`EHR ${ehrId} has no EHR_STATUS`);
    const data = { ...withoutUid(status.data), is_modifiable: false };
    if (!('facts' in readEhrStatusFacts(data))) throw new Error('closing the EHR made its status invalid');
    return {
      objectType: 'EHR_STATUS',
      objectId: ehr.ehrStatusUid,
      precedingVersion: status.version,
      changeType: 'modification',
      lifecycleState: 'complete',
      data,
    };
  }

  private openDraft(current: CarePlanRow): CarePlanRow {
    if (current.draftState) return { ...current, modules: { ...current.modules } };
    return {
      ...current,
      draftState: 'editing',
      draftPathways: current.pathways,
      draftReviewDate: current.reviewDate,
      modules: { ...current.modules },
    };
  }

  private refuseIfReadOnly(plan: CarePlanRow): void {
    if (plan.status === 'closed') {
      throw new AppError('conflict', "This plan was closed when the person's death was recorded: it is read-only and cannot be changed.");
    }
    if (plan.status === 'deleted') throw new AppError('gone', 'This plan was deleted; it cannot be changed.');
  }

  private checkPathways(ids: readonly string[]): string[] {
    const unique = [...new Set(ids.filter((id) => id !== this.catalogue.core.id))];
    const unknown = unique.filter((id) => !this.catalogue.pathway(id));
    if (unknown.length > 0) {
      throw new AppError(
        'bad-request',
        `Unknown pathway(s): ${unknown.join(', ')}. Known: ${this.catalogue.pathways.map((p) => p.id).join(', ') || 'none'}.`,
      );
    }
    return unique;
  }

  private async templatesOf(pathways: readonly string[]): Promise<Map<string, CompiledTemplate>> {
    const templates = new Map<string, CompiledTemplate>();
    for (const module of this.catalogue.modulesOf(pathways)) templates.set(module.templateId, await this.template(module.templateId));
    return templates;
  }

  private async template(templateId: string): Promise<CompiledTemplate> {
    const template = await this.openehr.templates.find(templateId);
    if (!template)
      throw new AppError('unavailable', `Template ${templateId} is not installed; the care plan templates are uploaded at start-up.`);
    return template;
  }

  private async ensureEhr(nhsNumber: string, writer: PlanWriter): Promise<string> {
    try {
      return (await this.openehr.ehrs.findBySubject({ id: nhsNumber, namespace: NHS_NUMBER_SYSTEM })).ehr.ehrId;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'not-found') throw error;
    }
    try {
      const created = await this.openehr.ehrs.create(
        { status: ehrStatusForSubject({ id: nhsNumber, namespace: NHS_NUMBER_SYSTEM }) },
        { committer: committerOf(writer.caller), description: "EHR created for the person's care plan", trail: writer.trail },
      );
      return created.ehr.ehrId;
    } catch (error) {
      // Someone else created it at the same moment: use theirs.
      if (error instanceof AppError && error.code === 'conflict')
        return (await this.openehr.ehrs.findBySubject({ id: nhsNumber, namespace: NHS_NUMBER_SYSTEM })).ehr.ehrId;
      throw error;
    }
  }
}

class StaleRevision extends Error {
  constructor(readonly current: number) {
    super(`stale revision; current is ${current}`);
  }
}

function emptyHeader(): PlanHeader {
  return {
    status: 'draft',
    pathways: [],
    changeSummary: undefined,
    author: undefined,
    approver: undefined,
    approvedAt: undefined,
    reviewDate: undefined,
    consent: undefined,
    death: undefined,
    deletion: undefined,
  };
}

function withoutUid(data: JsonObject): JsonObject {
  const { uid: _uid, ...rest } = data;
  return rest;
}

function deletionOf(version: StoredVersion): VersionChange {
  return {
    objectType: 'COMPOSITION',
    objectId: version.objectId,
    precedingVersion: version.version,
    changeType: 'deleted',
    lifecycleState: 'deleted',
    data: null,
    ...(version.templateId ? { templateId: version.templateId } : {}),
  };
}

function describe(selector: { revision: number } | { planVersion: number }): string {
  return 'revision' in selector ? `revision ${selector.revision}` : `published version ${selector.planVersion}`;
}

const HEADER_LABELS: Record<string, string> = {
  status: 'Plan status',
  pathways: 'Pathways',
  reviewDate: 'Review date',
  consent: 'Consent to share',
  death: 'Death',
  approver: 'Approved by',
};

function headerChanges(before: PlanHeader | undefined, after: PlanHeader): FieldChange[] {
  const render = (key: string, header: PlanHeader | undefined): string | undefined => {
    if (!header) return undefined;
    switch (key) {
      case 'status':
        return header.status;
      case 'pathways':
        return header.pathways.join(', ') || 'core plan only';
      case 'reviewDate':
        return header.reviewDate;
      case 'consent':
        return header.consent ? `${header.consent.toShare ? 'shares' : 'does not share'} (${header.consent.route})` : undefined;
      case 'death':
        return header.death
          ? `${header.death.date}, ${header.death.place}${header.death.placeDiffersReason ? ` (${header.death.placeDiffersReason})` : ''}`
          : undefined;
      case 'approver':
        return header.approver ? `${header.approver.name}${header.approvedAt ? ` at ${header.approvedAt}` : ''}` : undefined;
      default:
        return undefined;
    }
  };
  const changes: FieldChange[] = [];
  for (const [key, label] of Object.entries(HEADER_LABELS)) {
    const old = render(key, before);
    const now = render(key, after);
    if (old === now) continue;
    changes.push({
      path: `header/${key}`,
      label,
      change: old === undefined ? 'added' : now === undefined ? 'removed' : 'changed',
      before: old,
      after: now,
    });
  }
  return changes;
}

/** Prompts that do not block (SCCI1580 req. 54: alert when preferred place of death 1st choice is missing). */
export function qualityWarnings(view: Pick<PlanView, 'modules'>): string[] {
  const warnings: string[] = [];
  const hasPreferredPlaceOfDeath = view.modules.some((module) =>
    Object.entries(module.flat ?? {}).some(([key, value]) => /preferred_place_of_death/.test(key) && value !== ''),
  );
  if (!hasPreferredPlaceOfDeath)
    warnings.push('Preferred place of death (1st choice) is not recorded. Record it, or that the person was unable or chose not to say.');
  return warnings;
}
