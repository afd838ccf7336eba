import type { Caller } from '../access/caller.js';
import type { CarePlanService } from '../careplan/care-plan-service.js';
import { findCarePlanByNhsNumber } from '../careplan/care-plan-store.js';
import type { EmergencySummary } from '../careplan/summary/emergency-summary.js';
import type { Database } from '../db/database.js';

/**
 * How CDS Hooks finds a person's published plan: the one seam between the hook and the data. Today
 * it reads through the care plan service; with the caller-bound repository it becomes
 * `repository.forCaller(caller).emergencySummaryByNhsNumber(nhsNumber)` — one line in app wiring.
 */
export interface EmergencySummaryLookup {
  byNhsNumber(caller: Caller, nhsNumber: string): Promise<{ ehrId: string; summary: EmergencySummary } | undefined>;
}

export function carePlanServiceLookup(db: Database, plans: CarePlanService): EmergencySummaryLookup {
  return {
    async byNhsNumber(_caller, nhsNumber) {
      const plan = await findCarePlanByNhsNumber(db, nhsNumber);
      if (!plan || plan.planVersion === 0 || plan.status === 'deleted') return undefined;
      return { ehrId: plan.ehrId, summary: await plans.emergencySummary(plan.ehrId) };
    },
  };
}
