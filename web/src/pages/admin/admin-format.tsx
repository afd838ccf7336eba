import { ApiProblem } from '../../api/http';
import { ROLE_NAMES, type AdminUser } from '../../api/admin-api';
import { Tag } from '../../components/tag/Tag';

/** What the server said went wrong, or a sentence saying what did not happen. */
export function problemText(failure: unknown, fallback: string): string {
  return failure instanceof ApiProblem ? failure.detail : fallback;
}

export function roleNames(roles: readonly string[]): string {
  return roles.map((role) => ROLE_NAMES[role] ?? role).join(', ');
}

const STATUS: Record<AdminUser['status'], { text: string; colour: 'green' | 'grey' | 'orange' }> = {
  active: { text: 'Active', colour: 'green' },
  disabled: { text: 'Disabled', colour: 'grey' },
  locked: { text: 'Locked', colour: 'orange' },
};

export function UserStatusTag({ status }: { status: AdminUser['status'] }) {
  return <Tag text={STATUS[status].text} colour={STATUS[status].colour} />;
}

export function secondFactorText(user: AdminUser): string {
  if (!user.localAccount) return 'Single sign-on only';
  const factor = user.localAccount.secondFactor;
  return factor === 'enrolled' ? 'Enrolled' : factor === 'pending' ? 'Enrolment started, not confirmed' : 'None';
}
