import type { CarePlanService } from '../careplan/care-plan-service.js';
import type { EmergencySummary } from '../careplan/summary/emergency-summary.js';
import { AppError } from '../errors/app-error.js';

/**
 * How CDS Hooks finds the published plan in a person's EHR (the EHR the caller's repository
 * resolved from their NHS number): the one seam between the hook and the care plan.
 */
export interface EmergencySummaryLookup {
  /** The emergency summary of the EHR's published plan; undefined when it has none (never published, or deleted). */
  byEhrId(ehrId: string): Promise<EmergencySummary | undefined>;
}

export function carePlanServiceLookup(plans: CarePlanService): EmergencySummaryLookup {
  return {
    async byEhrId(ehrId) {
      if (!ehrId) return undefined;
      const plan = await plans.require(ehrId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not-found') return undefined;
        throw error;
      });
      if (!plan || plan.planVersion === 0 || plan.status === 'deleted') return undefined;
      return plans.emergencySummary(ehrId);
    },
  };
}
