import type { Caller } from './caller.js';

/**
 * Archetypes whose content is a senior clinical decision: a CPR recommendation (UK CPR decision,
 * the international advance intervention decisions). Only a caller who may approve plans records
 * them — national guidance asks that DNACPR decisions be recorded by the senior responsible
 * clinician. An integration client administering records may carry them over (migration).
 */
const SENIOR_DECISION_ARCHETYPES = ['openEHR-EHR-EVALUATION.cpr_decision_uk.', 'openEHR-EHR-EVALUATION.advance_intervention_decisions.'];

export function seniorDecisionsIn(archetypeIds: readonly string[]): string[] {
  return archetypeIds.filter((id) => SENIOR_DECISION_ARCHETYPES.some((prefix) => id.startsWith(prefix)));
}

export function mayRecordSeniorDecisions(caller: Caller): boolean {
  return caller.permissions.has('plan:approve') || (caller.kind === 'client' && caller.permissions.has('records:administer'));
}
