import type { PlanContext } from '../plan-context.js';
import type { PlanView } from '../plan-model.js';
import { actorOf, type PlanWriter } from '../plan-writer.js';
import { planView } from '../reads/plan-reads.js';
import { afterPublication } from './approve-plan.js';
import { writePlan } from './plan-transaction.js';
import { ehrStatusModifiable } from './version-changes.js';

export interface DeathCorrection {
  baseRevision: number;
  /** Why the death was recorded in error (a wrong person, a mistaken report …): kept in the plan's history and the audit. */
  reason: string;
}

/**
 * Corrects a death recorded in error: the plan, closed at the death, is current again as it was
 * published (the EHR may change again, the summary shows the plan, services are told it is
 * active). Nothing is edited: the death stays in the plan's history as a revision, and this
 * correction is the next one, naming who corrected it and why.
 */
export async function correctDeathRecordedInError(
  context: PlanContext,
  ehrId: string,
  input: DeathCorrection,
  writer: PlanWriter,
): Promise<PlanView> {
  // Whether the plan is closed is decided under its lock, by the transaction (correctsClosedPlan).
  const plan = await context.require(ehrId);
  const actor = actorOf(writer.caller);
  const templates = await context.templatesOf(plan.pathways);
  const committed = await writePlan(context, {
    ehrId,
    baseRevision: input.baseRevision,
    writer,
    changeSummary: `Death recorded in error, corrected: ${input.reason}`,
    templates,
    correctsClosedPlan: true,
    plan: async (tx, current) => {
      const published = current.planVersion > 0;
      return {
        changes: [await ehrStatusModifiable(tx, context.openehr, ehrId, true)],
        event: 'death-corrected',
        header: 'published',
        headerPatch: { death: undefined },
        next: published ? { ...current, status: 'published', draftState: null } : { ...current, status: 'draft', draftState: 'editing' },
        after: async (tx2, next, header) => {
          if (next.planVersion > 0) await afterPublication(tx2, context, { plan: next, header, actor, templates });
        },
      };
    },
  });
  return planView(context, committed.plan, committed.plan.planVersion > 0 ? 'published' : 'draft');
}
