import { ApiProblem } from '../../api/http';
import { publishedPlan, readDraft, type PlanView } from '../../api/care-plan-api';

/** Where the plan stands for an editor: an open draft, a published plan to change, or none yet. */
export type EditState = { kind: 'draft'; plan: PlanView } | { kind: 'published'; plan: PlanView } | { kind: 'none' };

export async function editStateOf(ehrId: string | null): Promise<EditState> {
  if (!ehrId) return { kind: 'none' };
  try {
    return { kind: 'draft', plan: await readDraft(ehrId) };
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.status !== 404) throw error;
  }
  try {
    return { kind: 'published', plan: await publishedPlan(ehrId) };
  } catch (error) {
    if (error instanceof ApiProblem && (error.status === 404 || error.status === 410)) return { kind: 'none' };
    throw error;
  }
}

/** Keys that say how a composition was recorded (the service writes them): never part of the form's content. */
const RECORDING_DETAIL =
  /^ctx\/|\/(language|encoding|subject|composer|category|territory|_uid|_work_flow_id|_guideline_id)(\/|\||:|$)|\/context\/(start_time|setting|_end_time|_health_care_facility|_participation|_location)|\/_other_participation|\/_provider|\/_feeder_audit/;

export function contentOnly(flat: Record<string, unknown> | null): Record<string, string | number | boolean> {
  const content: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(flat ?? {})) {
    if (RECORDING_DETAIL.test(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') content[key] = value;
  }
  return content;
}
