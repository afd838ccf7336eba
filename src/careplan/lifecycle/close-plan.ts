import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { appendEvent } from '../../events/outbox.js';
import type { VersionChange } from '../../openehr/service/version-service.js';
import { writeSummary, type CarePlanRow } from '../care-plan-store.js';
import { refuseIfReadOnly, type PlanContext } from '../plan-context.js';
import { CAREPLAN_CLOSED_TOPIC, CAREPLAN_DELETED_TOPIC, type PlanView } from '../plan-model.js';
import { actorOf, type PlanWriter } from '../plan-writer.js';
import { planView } from '../reads/plan-reads.js';
import { summaryProjection } from '../summary/summary-projection.js';
import { writePlan } from './plan-transaction.js';
import { closedEhrStatus, deletionOf } from './version-changes.js';

export interface DeathInput {
  baseRevision: number;
  date: string;
  place: string;
  placeDiffersReason: string | undefined;
}

/**
 * Records the person's death: the plan is closed and read-only from then on (the EHR is marked
 * not modifiable), any open draft is discarded, and the summary says so.
 */
export async function recordDeath(context: PlanContext, ehrId: string, input: DeathInput, writer: PlanWriter): Promise<PlanView> {
  const plan = await context.require(ehrId);
  refuseIfReadOnly(plan);
  if (input.date > context.today()) throw new AppError('unprocessable', `The date of death ${input.date} is in the future.`);
  const actor = actorOf(writer.caller);
  const templates = await context.templatesOf(plan.pathways);
  const committed = await writePlan(context, {
    ehrId,
    baseRevision: input.baseRevision,
    writer,
    changeSummary: `Death recorded (${input.date})`,
    templates,
    plan: async (tx, current) => {
      const changes: VersionChange[] = [];
      for (const refs of Object.values(current.modules)) {
        if (!refs.draft) continue;
        const draftVersion = await context.openehr.versions.read(tx, { ehrId, objectType: 'COMPOSITION', objectId: refs.draft });
        if (draftVersion && draftVersion.lifecycleState !== 'deleted') changes.push(deletionOf(draftVersion));
      }
      changes.push(await closedEhrStatus(tx, context.openehr, ehrId));
      const publishedOnly = Object.entries(current.modules).flatMap(([id, refs]) =>
        refs.published ? [[id, { published: refs.published }]] : [],
      );
      return {
        changes,
        event: 'death-recorded',
        header: 'published',
        headerPatch: { death: { date: input.date, place: input.place, placeDiffersReason: input.placeDiffersReason, recordedBy: actor } },
        next: {
          ...current,
          status: 'closed',
          draftState: null,
          draftPathways: current.pathways,
          modules: Object.fromEntries(publishedOnly),
        },
        after: async (tx2, next, header) => {
          if (next.planVersion > 0) await writeSummary(tx2, ehrId, await summaryProjection(tx2, context, next, header, templates));
          await appendEvent(tx2, CAREPLAN_CLOSED_TOPIC, {
            ehrId,
            nhsNumber: next.nhsNumber,
            planVersion: next.planVersion,
            dateOfDeath: input.date,
            place: input.place,
          });
        },
      };
    },
  });
  return planView(context, committed.plan, committed.plan.planVersion > 0 ? 'published' : 'draft');
}

/** Logical deletion: every module composition gets a deleted version; nothing is erased. */
export async function deletePlan(
  context: PlanContext,
  ehrId: string,
  input: { baseRevision: number; reason: string },
  writer: PlanWriter,
): Promise<void> {
  const plan = await context.require(ehrId);
  if (plan.status === 'deleted') throw new AppError('gone', 'The plan is already deleted.');
  if (plan.status === 'closed') throw new AppError('conflict', 'The plan was closed when the person died; it is kept as it was.');
  const actor = actorOf(writer.caller);
  await writePlan(context, {
    ehrId,
    baseRevision: input.baseRevision,
    writer,
    changeSummary: `Plan deleted: ${input.reason}`,
    templates: new Map(),
    plan: async (tx, current) => {
      const changes = await deletionsOfEveryComposition(tx, context, current);
      const next: CarePlanRow = { ...current, status: 'deleted', draftState: null, modules: {} };
      return {
        changes,
        event: 'deleted',
        header: 'published',
        headerPatch: { deletion: { at: context.now(), by: actor, reason: input.reason } },
        next,
        after: async (tx2, written) => {
          await writeSummary(tx2, ehrId, { ehrId, status: 'deleted', planVersion: written.planVersion, lastUpdated: context.now() });
          await appendEvent(tx2, CAREPLAN_DELETED_TOPIC, { ehrId, nhsNumber: written.nhsNumber, planVersion: written.planVersion });
        },
      };
    },
  });
}

/** A deleted version of every composition the plan has, published and drafted (the versions before stay readable). */
export async function deletionsOfEveryComposition(tx: Queryable, context: PlanContext, plan: CarePlanRow): Promise<VersionChange[]> {
  const changes: VersionChange[] = [];
  for (const refs of Object.values(plan.modules)) {
    for (const objectId of [refs.published, refs.draft]) {
      if (!objectId) continue;
      const latest = await context.openehr.versions.read(tx, { ehrId: plan.ehrId, objectType: 'COMPOSITION', objectId });
      if (latest && latest.lifecycleState !== 'deleted') changes.push(deletionOf(latest));
    }
  }
  return changes;
}
