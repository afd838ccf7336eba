/**
 * The reasons the server accepts for declaring a legitimate relationship (joining a person's care
 * team), in the words a reader sees. The server's list (src/access/relationship-reason.ts) is the
 * rule; test/web/coded-reasons.test.ts keeps this copy equal to it.
 */
export const RELATIONSHIP_REASON_CHOICES = [
  { code: 'providing-care', text: 'We are caring for this person now' },
  { code: 'referral-accepted', text: 'We accepted a referral for this person' },
  { code: 'resident-or-registered', text: 'The person lives here or is registered with us', hint: 'For example a care home or a practice' },
  { code: 'other', text: 'Another reason', hint: 'Explain it in full' },
] as const;

export type RelationshipReasonCode = (typeof RELATIONSHIP_REASON_CHOICES)[number]['code'];
