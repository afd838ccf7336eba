import type { Queryable } from '../../db/database.js';
import { parseVersionUid } from '../../openehr/service/version-service.js';
import { readCarePlan, readRevision, writeSummary } from '../care-plan-store.js';
import type { PlanContext } from '../plan-context.js';
import { summaryProjection } from './summary-projection.js';

/** A commit to a person's record made outside the care plan (the openEHR API): its EHR and the versions it wrote. */
export interface RecordWrite {
  ehrId: string;
  versionUids: readonly string[];
}

/**
 * Keeps the emergency summary true to the compositions when they change outside the care plan:
 * an openEHR PUT or DELETE of a published module's composition (a CPR decision changed or
 * removed, with the decision permission) re-projects the summary in that write's own transaction,
 * so no service ever reads a summary that says what the record no longer does. The EHR's write
 * lock, held by the commit, orders this with every care plan step.
 */
export async function reprojectAfterRecordWrite(context: PlanContext, tx: Queryable, write: RecordWrite): Promise<void> {
  const plan = await readCarePlan(tx, write.ehrId);
  if (!plan || plan.planVersion === 0 || plan.status === 'deleted') return;
  const touched = new Set(write.versionUids.flatMap((uid) => parseVersionUid(uid)?.objectId ?? []));
  const published = Object.values(plan.modules).some((refs) => refs.published !== undefined && touched.has(refs.published));
  if (!published) return;
  const revision = await readRevision(tx, plan.ehrId, { revision: plan.revision });
  if (!revision) return;
  const templates = await context.templatesOf(plan.pathways, tx);
  await writeSummary(tx, plan.ehrId, await summaryProjection(tx, context, plan, revision.header, templates));
}
