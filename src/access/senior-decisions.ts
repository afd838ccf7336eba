import type { Caller } from './caller.js';

/**
 * Archetypes whose content is a senior clinical decision: a CPR recommendation (UK CPR decision,
 * the international advance intervention decisions). Only a caller who may approve plans records,
 * changes or removes them — national guidance asks that DNACPR decisions be recorded by the
 * senior responsible clinician. An integration client administering records may carry them over
 * (migration). The policy data only: the repository applies it to every write
 * (src/repository/senior-decision-rule.ts).
 */
export const SENIOR_DECISION_ARCHETYPES: readonly string[] = [
  'openEHR-EHR-EVALUATION.cpr_decision_uk.',
  'openEHR-EHR-EVALUATION.advance_intervention_decisions.',
];

export function isSeniorDecisionArchetype(archetypeId: string): boolean {
  return SENIOR_DECISION_ARCHETYPES.some((prefix) => archetypeId.startsWith(prefix));
}

export function mayRecordSeniorDecisions(caller: Caller): boolean {
  return caller.permissions.has('plan:approve') || (caller.kind === 'client' && caller.permissions.has('records:administer'));
}
