import { checkCodedReason, type CodedReasonCheck } from './break-glass-reason.js';

/**
 * Why an organisation declares a legitimate relationship with a person (and so joins their care
 * team): a code from this list and an explanation an auditor can check, as for break-glass. A
 * declared relationship lasts, so it is listed for the organisation's auditors to follow up.
 */
export const RELATIONSHIP_REASONS = {
  'providing-care': 'the organisation is caring for the person now',
  'referral-accepted': 'the organisation accepted a referral for the person',
  'resident-or-registered': 'the person lives at, or is registered with, the organisation (a care home, a practice)',
  other: 'anything else, explained in full',
} as const;

export type RelationshipReasonCode = keyof typeof RELATIONSHIP_REASONS;

export function checkRelationshipReason(stated: string | undefined): CodedReasonCheck<RelationshipReasonCode> {
  return checkCodedReason(stated, RELATIONSHIP_REASONS);
}
