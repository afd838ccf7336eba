import { request } from './http';
import type { RelationshipReasonCode } from './relationship-reasons';

export { RELATIONSHIP_REASON_CHOICES, type RelationshipReasonCode } from './relationship-reasons';

/** Declares that the signed-in user's organisation cares for the person: audited and followed up by its auditors. */
export async function declareCare(nhsNumber: string, code: RelationshipReasonCode, explanation: string): Promise<void> {
  await request(`/api/people/${nhsNumber}/care-team`, {
    method: 'POST',
    body: { reason: `${code}: ${explanation.trim().replace(/\s+/g, ' ')}` },
  });
}

/** True when a refusal to start a plan says the organisation must declare its relationship first. */
export function needsDeclaredCare(detail: string): boolean {
  return detail.includes('/care-team');
}
