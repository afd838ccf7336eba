import { useState } from 'react';
import { useParams } from 'react-router';
import { getUser, type AdminUser } from '../../api/admin-api';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { SummaryList } from '../../components/summary-list/SummaryList';
import { formatDateTime } from '../../format/dates';
import { problemText, roleNames, secondFactorText, UserStatusTag } from './admin-format';
import { AccountActions } from './AccountActions';
import { PasswordReset } from './PasswordReset';
import { RoleActions } from './RoleActions';

/** What the page tells after a change, or what went wrong. */
export type Outcome = { done: string } | { problem: string };

function detailRows(user: AdminUser) {
  return [
    { key: { text: 'Email address' }, value: { text: user.email } },
    { key: { text: 'Username' }, value: { text: user.localAccount?.username ?? 'No local account (single sign-on)' } },
    ...(user.professionalRegistrationId
      ? [{ key: { text: 'Professional registration' }, value: { text: user.professionalRegistrationId } }]
      : []),
    {
      key: { text: 'Status' },
      value: {
        children: (
          <>
            <UserStatusTag status={user.status} />
            {user.disabledAt && <span> since {formatDateTime(user.disabledAt)}</span>}
            {user.lockedUntil && <span> until {formatDateTime(user.lockedUntil)}</span>}
          </>
        ),
      },
    },
    { key: { text: 'Second factor' }, value: { text: secondFactorText(user) } },
    ...(user.localAccount?.mustChangePassword
      ? [{ key: { text: 'Password' }, value: { text: 'Temporary: to be changed at next sign-in' } }]
      : []),
    {
      key: { text: 'Roles' },
      value: {
        children: (
          <ul className="nhsuk-list">
            {user.memberships.map((membership) => (
              <li key={membership.odsCode}>
                {membership.organisationName} ({membership.odsCode}): {roleNames(membership.roles)}
              </li>
            ))}
            {user.pendingRoles.map((grant) => (
              <li key={grant.id}>
                Waiting for approval: {roleNames([grant.role])} ({grant.odsCode})
              </li>
            ))}
          </ul>
        ),
      },
    },
  ];
}

/** One person's account (/admin/users/:userId): who they are, their roles, and what an administrator may do to it. */
export function UserPage() {
  const { userId = '' } = useParams();
  const session = useSignedIn();
  const [version, setVersion] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const user = useLoaded(() => getUser(userId), `${userId}-${version}`);
  const report = (next: Outcome) => {
    setOutcome(next);
    setVersion((current) => current + 1);
  };
  if (user.status === 'loading') return <p role="status">Loading the user…</p>;
  if (user.status === 'failed')
    return (
      <>
        <BackLink href="/admin/users" text="Users" />
        <ErrorSummary errorList={[{ text: problemText(user.error, 'The user could not be loaded.') }]} />
      </>
    );
  const own = user.value.id === session.user.id;
  return (
    <>
      <BackLink href="/admin/users" text="Users" />
      {outcome && 'problem' in outcome && <ErrorSummary errorList={[{ text: outcome.problem }]} />}
      {outcome && 'done' in outcome && (
        <NotificationBanner type="success">
          <p className="nhsuk-notification-banner__heading">{outcome.done}</p>
        </NotificationBanner>
      )}
      <h1>{user.value.displayName}</h1>
      <SummaryList rows={detailRows(user.value)} />
      {own ? (
        <InsetText>
          <p>This is your own account. Another administrator changes its roles, status and second factor.</p>
        </InsetText>
      ) : (
        <>
          <AccountActions user={user.value} onOutcome={report} />
          <RoleActions user={user.value} organisation={session.organisation} onOutcome={report} />
          {user.value.localAccount && <PasswordReset user={user.value} onOutcome={report} />}
        </>
      )}
    </>
  );
}
