import type { PlanView } from '../../careplan/care-plan-service.js';
import type { EmergencySummary } from '../../careplan/summary/emergency-summary.js';

/** What the plan mappers read: the plan as its readers see it, and its emergency summary when published. */
export type PlanFacts = Pick<
  PlanView,
  'ehrId' | 'nhsNumber' | 'status' | 'planVersion' | 'revision' | 'pathways' | 'reviewDate' | 'header' | 'updatedAt'
>;

export type Summary = EmergencySummary;

/** The FHIR id of everything derived from one plan: its EHR id, with a suffix per resource where there are several. */
export const planResourceId = (ehrId: string, suffix?: string): string => (suffix ? `${ehrId}-${suffix}` : ehrId);

/** When the plan first took effect and, once closed or deleted, when it stopped. */
export function planPeriod(plan: PlanFacts): { start?: string; end?: string } {
  const start = plan.header.approvedAt;
  const end = plan.header.death?.date ?? plan.header.deletion?.at;
  return { ...(start ? { start } : {}), ...(end && (plan.status === 'closed' || plan.status === 'deleted') ? { end } : {}) };
}
