import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../../nhs/nhs-number.js';
import { ehrStatusForSubject } from '../../openehr/service/ehr-status.js';
import type { CompiledTemplate } from '../../openehr/service/template-service.js';
import {
  deleteSummary,
  findCarePlanByNhsNumber,
  insertCarePlan,
  insertRevision,
  readCarePlan,
  recordConsent,
  setDraftHeader,
  updateCarePlan,
  type CarePlanRow,
  type ConsentRecord,
  type PlanActor,
  type PlanHeader,
} from '../care-plan-store.js';
import type { PlanContext } from '../plan-context.js';
import { actorOf, committerOf, type PlanWriter } from '../plan-writer.js';
import { headerWrite } from './header-write.js';

export interface StartPlanInput {
  nhsNumber: string;
  pathways: string[];
  consent: ConsentRecord | undefined;
}

/** Starts a person's plan: their EHR if they have none, and an empty draft. One plan per person. Returns the EHR id. */
export async function startPlan(context: PlanContext, input: StartPlanInput, writer: PlanWriter): Promise<string> {
  const nhsNumber = input.nhsNumber.replace(/\s/g, '');
  if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${input.nhsNumber} is not a valid NHS number.`);
  const pathways = context.checkPathways(input.pathways);
  const existing = await findCarePlanByNhsNumber(context.db, nhsNumber);
  // A deleted plan is kept for the record; the person may have a new one in the same EHR.
  if (existing && existing.status !== 'deleted') {
    throw new AppError(
      'conflict',
      `This person already has a care plan (EHR ${existing.ehrId}, ${existing.status}); there is one plan per person: open it and edit it.`,
      { headers: { Location: `/api/care-plans/${existing.ehrId}` } },
    );
  }
  const actor = actorOf(writer.caller);
  const ehrId = await ensureEhr(context, nhsNumber, writer);
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
  const headerTemplate = await context.headerTemplate();
  await context.db.transaction(async (tx) => {
    await context.openehr.ehrs.lockForWrite(tx, ehrId, { statusOnly: false });
    const revision = await openPlanRow(tx, { ehrId, nhsNumber, pathways, actor, restarting: existing !== undefined });
    const headerVersionUid = await writeDraftHeader(tx, context, { ehrId, header, template: headerTemplate, writer });
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
  });
  return ehrId;
}

/** The plan's row: a new one, or the deleted plan's row started afresh. Returns the revision the start is. */
async function openPlanRow(
  tx: Queryable,
  input: { ehrId: string; nhsNumber: string; pathways: string[]; actor: PlanActor; restarting: boolean },
): Promise<number> {
  const { ehrId, actor } = input;
  const restarted = input.restarting ? await readCarePlan(tx, ehrId, { forUpdate: true }) : undefined;
  if (restarted && restarted.status !== 'deleted')
    throw new AppError('conflict', `This person already has a care plan (EHR ${ehrId}); open it and edit it.`);
  if (!restarted) {
    await insertCarePlan(tx, { ehrId, nhsNumber: input.nhsNumber, draftPathways: input.pathways, authorOds: actor.odsCode });
    return 1;
  }
  const next: CarePlanRow = {
    ...restarted,
    status: 'draft',
    draftState: 'editing',
    pathways: [],
    draftPathways: input.pathways,
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
  };
  await updateCarePlan(tx, next);
  await deleteSummary(tx, ehrId);
  return next.revision;
}

/** The new plan's draft header, committed with its audit record; without a header template, the audit record alone. */
async function writeDraftHeader(
  tx: Queryable,
  context: PlanContext,
  input: { ehrId: string; header: PlanHeader; template: CompiledTemplate | undefined; writer: PlanWriter },
): Promise<string | null> {
  const { ehrId, template, writer } = input;
  if (!template) {
    await writer.trail(tx, { ehrId, contributionId: undefined, versionUids: [] });
    return null;
  }
  const written = await headerWrite(tx, context, {
    ehrId,
    current: { headerId: null, draftHeaderId: null },
    header: input.header,
    mode: 'draft',
    template,
    writer,
  });
  const committed = await context.openehr.versions.commit(tx, {
    ehrId,
    audit: { committer: committerOf(writer.caller), description: 'Plan started', trail: writer.trail },
    changes: written.changes,
    templates: new Map([[template.templateId, template]]),
  });
  await setDraftHeader(tx, ehrId, written.draftHeaderId);
  return committed.versions[0]?.versionUid ?? null;
}

async function ensureEhr(context: PlanContext, nhsNumber: string, writer: PlanWriter): Promise<string> {
  const subject = { id: nhsNumber, namespace: NHS_NUMBER_SYSTEM };
  try {
    return (await context.openehr.ehrs.findBySubject(subject)).ehr.ehrId;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'not-found') throw error;
  }
  try {
    const created = await context.openehr.ehrs.create(
      { status: ehrStatusForSubject(subject) },
      { committer: committerOf(writer.caller), description: "EHR created for the person's care plan", trail: writer.trail },
    );
    return created.ehr.ehrId;
  } catch (error) {
    // Someone else created it at the same moment: use theirs.
    if (error instanceof AppError && error.code === 'conflict') return (await context.openehr.ehrs.findBySubject(subject)).ehr.ehrId;
    throw error;
  }
}
