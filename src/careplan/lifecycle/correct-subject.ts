import { AppError } from '../../errors/app-error.js';
import { appendEvent } from '../../events/outbox.js';
import { writeSummary, type CarePlanRow, type ConsentRecord } from '../care-plan-store.js';
import type { PlanContext } from '../plan-context.js';
import { CAREPLAN_DELETED_TOPIC, StalePlanError, type Flat } from '../plan-model.js';
import { actorOf, type PlanWriter } from '../plan-writer.js';
import { changesSince } from '../reads/plan-changes.js';
import { planView } from '../reads/plan-reads.js';
import { saveModule } from './edit-draft.js';
import { writePlan } from './plan-transaction.js';
import { startPlan } from './start-plan.js';
import { deletionsOfEveryComposition } from './close-plan.js';

export interface WrongSubjectCorrection {
  baseRevision: number;
  /** How the mistake was found and who the plan was meant for (by description, not number): kept in the history and the audit. */
  reason: string;
}

/** What was recorded against the wrong person, as it stood when it was withdrawn: what a re-recording copies. */
export interface WithdrawnPlan {
  ehrId: string;
  revision: number;
  pathways: string[];
  consent: ConsentRecord | undefined;
  /** Module id → its FLAT content (the open draft's where one was open, else the published plan's). */
  content: Record<string, Flat>;
}

/**
 * Withdraws a plan recorded against the wrong person (a wrong NHS number): every composition of
 * the plan gets a deleted version whose audit says why (openEHR's way of marking data entered in
 * error), the header a closed version marking the deletion as `wrong-person`, the summary says
 * deleted and services are told (`careplan.deleted`, so the NRL pointer and flags go), in one
 * transaction. Nothing is erased: every version stays in the EHR's history. AQL and the summary
 * no longer find the plan for this person, who may be given a plan of their own later.
 */
export async function withdrawFromWrongSubject(
  context: PlanContext,
  ehrId: string,
  input: WrongSubjectCorrection,
  writer: PlanWriter,
): Promise<WithdrawnPlan> {
  const plan = await context.require(ehrId);
  if (plan.status === 'deleted') throw new AppError('gone', 'The plan is already withdrawn or deleted.');
  if (plan.status === 'closed') {
    throw new AppError(
      'conflict',
      'The plan was closed by a recorded death: if the death was recorded against the wrong person too, correct the death first (POST …/death/correction).',
    );
  }
  // The transaction refuses a stale write too; refused here as well, so that the content kept for
  // a re-recording is the revision the writer read (the transaction then checks it is still current).
  if (plan.revision !== input.baseRevision) {
    throw new StalePlanError(plan.revision, await changesSince(context, ehrId, input.baseRevision, plan.revision));
  }
  const view = await planView(context, plan, plan.draftState || plan.planVersion === 0 ? 'draft' : 'published');
  const content = Object.fromEntries(view.modules.flatMap((module) => (module.flat ? [[module.moduleId, module.flat] as const] : [])));
  const actor = actorOf(writer.caller);
  const reason = `Entered in error, recorded against the wrong person: ${input.reason}`;
  const committed = await writePlan(context, {
    ehrId,
    baseRevision: input.baseRevision,
    writer,
    changeSummary: reason,
    templates: new Map(),
    plan: async (tx, current) => {
      const changes = await deletionsOfEveryComposition(tx, context, current);
      const next: CarePlanRow = { ...current, status: 'deleted', draftState: null, modules: {} };
      return {
        changes,
        event: 'entered-in-error',
        header: 'published',
        headerPatch: { deletion: { at: context.now(), by: actor, reason, kind: 'wrong-person' } },
        next,
        after: async (tx2, written) => {
          // The summary says why, so a crew told "gone" knows the plan was never this person's.
          await writeSummary(tx2, ehrId, {
            ehrId,
            status: 'deleted',
            enteredInError: true,
            planVersion: written.planVersion,
            lastUpdated: context.now(),
          });
          await appendEvent(tx2, CAREPLAN_DELETED_TOPIC, {
            ehrId,
            nhsNumber: written.nhsNumber,
            planVersion: written.planVersion,
            enteredInError: true,
          });
        },
      };
    },
  });
  return {
    ehrId,
    revision: committed.plan.revision,
    pathways: plan.draftState ? plan.draftPathways : plan.pathways,
    consent: view.header.consent,
    content,
  };
}

/**
 * Records a withdrawn plan's content again for the right person: a new plan for them (the caller
 * must already care for them, as for any start) with each section saved into its draft as it
 * was. It is a draft: a clinician checks it and submits it, and a decision-maker approves it,
 * like any plan. A CPR decision keeps the maker it was recorded with. Returns the new EHR id.
 */
export async function reRecordForRightPerson(
  context: PlanContext,
  withdrawn: WithdrawnPlan,
  nhsNumber: string,
  writers: { create: PlanWriter; save: PlanWriter },
): Promise<string> {
  const ehrId = await startPlan(context, { nhsNumber, pathways: withdrawn.pathways, consent: withdrawn.consent }, writers.create);
  let revision = (await context.require(ehrId)).revision;
  for (const [moduleId, flat] of Object.entries(withdrawn.content)) {
    const saved = await saveModule(
      context,
      {
        ehrId,
        moduleId,
        flat,
        mode: 'merge',
        baseRevision: revision,
        changeSummary: `Re-recorded from a plan entered in error against another person (EHR ${withdrawn.ehrId})`,
      },
      writers.save,
    );
    revision = saved.plan.revision;
  }
  return ehrId;
}
