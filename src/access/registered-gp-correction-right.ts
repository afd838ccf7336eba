import type { Caller } from './caller.js';

/**
 * Who may correct a person's registered GP practice. The registration is administrative, not a
 * clinical decision, and it moves access to the person's record, so it is not a clinician's act
 * and never a practice's claim on someone: an organisation administrator (`org:manage-users`) of
 * the practice the record names now (it gives the relationship up: "not our patient, registered
 * at …"), or a platform administrator (`platform:admin`, the service desk acting on a practice's
 * or the person's request). The practice named as right cannot name itself: that would let any
 * practice take anyone's record.
 */
export function mayCorrectRegisteredGp(
  caller: Caller,
  currentOdsCode: string | null,
): { allowed: true; basis: 'platform-administrator' | 'registered-practice-administrator' } | { allowed: false; explanation: string } {
  if (caller.permissions.has('platform:admin')) return { allowed: true, basis: 'platform-administrator' };
  const own = caller.organisation?.odsCode;
  if (caller.permissions.has('org:manage-users') && own !== undefined && currentOdsCode !== null && own === currentOdsCode) {
    return { allowed: true, basis: 'registered-practice-administrator' };
  }
  return {
    allowed: false,
    explanation:
      'a registered GP is corrected by an administrator (org:manage-users) of the practice the record names now, or by a platform administrator (platform:admin); ' +
      'the practice the person is really registered with asks either of them',
  };
}
