import type { Flag } from '@medplum/fhirtypes';
import { SNOMED, UK_CORE_PROFILES } from '../uk-core.js';
import { planPeriod, planResourceId, type PlanFacts, type Summary } from './plan-facts.js';
import { narrative } from './narrative.js';
import { organizationReference, patientReference } from './references.js';

const FLAG_CATEGORY = 'http://terminology.hl7.org/CodeSystem/flag-category';

/** Flags exist for plans others may see: published, and closed or deleted ones (inactive) for history. */
function flagStatus(plan: PlanFacts): Flag['status'] | undefined {
  if (plan.planVersion === 0) return undefined;
  if (plan.status === 'published') return 'active';
  if (plan.status === 'deleted') return 'entered-in-error';
  return 'inactive';
}

function common(plan: PlanFacts, suffix: string): Pick<Flag, 'resourceType' | 'id' | 'meta' | 'subject' | 'period' | 'author'> {
  const approver = plan.header.approver;
  return {
    resourceType: 'Flag',
    id: planResourceId(plan.ehrId, suffix),
    meta: { profile: [UK_CORE_PROFILES.Flag], versionId: String(plan.planVersion), lastUpdated: plan.updatedAt },
    subject: patientReference(plan.nhsNumber),
    period: planPeriod(plan),
    ...(approver?.odsCode ? { author: organizationReference(approver.odsCode, approver.organisation) } : {}),
  };
}

/**
 * "This person has an urgent care plan": what a record system shows on the person's banner. Only
 * for a plan that has been published; undefined for one that never was (drafts are seen by no one).
 */
export function planFlag(plan: PlanFacts): Flag | undefined {
  const status = flagStatus(plan);
  if (!status) return undefined;
  const review = plan.reviewDate ? ` Review due ${plan.reviewDate}.` : '';
  const text =
    status === 'active' ? `Urgent care plan in place (version ${plan.planVersion}).${review}` : `Urgent care plan ${plan.status}.`;
  return {
    ...common(plan, 'plan'),
    text: narrative(text),
    status,
    category: [{ coding: [{ system: FLAG_CATEGORY, code: 'advance-directive', display: 'Advance Directive' }] }],
    code: { coding: [{ system: SNOMED, code: '734163000', display: 'Care plan' }], text: 'Urgent care plan' },
  };
}

/** The CPR recommendation of the published plan as a flag; undefined when the plan records none. */
export function cprFlag(plan: PlanFacts, summary: Summary | undefined): Flag | undefined {
  const status = flagStatus(plan);
  const cpr = summary?.cpr;
  if (!status || !cpr) return undefined;
  const display = cpr.notForCpr ? 'Not for attempted cardiopulmonary resuscitation' : 'For attempted cardiopulmonary resuscitation';
  return {
    ...common(plan, 'cpr'),
    text: narrative(`${display}: ${cpr.recommendation}${cpr.decidedOn ? ` (decided ${cpr.decidedOn})` : ''}`),
    status,
    category: [{ coding: [{ system: FLAG_CATEGORY, code: 'advance-directive', display: 'Advance Directive' }] }],
    code: { ...(cpr.code ? { coding: [{ system: SNOMED, code: cpr.code, display }] } : {}), text: cpr.recommendation },
  };
}
