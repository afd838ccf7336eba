import { hasRole, useSignedIn } from '../../app/session-context';
import { AppLink } from '../../components/app-link';

/** What each administration page is for, so an administrator finds their way. */
export function AdminOverviewPage() {
  const session = useSignedIn();
  const platformAdmin = hasRole(session, 'platform-admin');
  return (
    <>
      <h1>Administration</h1>
      <ul className="nhsuk-list">
        <li>
          <AppLink href="/admin/users">Users</AppLink>: add people to {session.organisation.name}, give and take away roles, approve
          privileged roles, disable or re-enable an account, unlock it, reset a password or a lost second factor.
        </li>
        <li>
          <AppLink href="/admin/organisations">Organisations</AppLink>: the organisations taking part and their data security status.
        </li>
        <li>
          <AppLink href="/admin/pathways">Pathways</AppLink>: the care plan pathways installed and what each plan holds.
        </li>
        {platformAdmin && (
          <>
            <li>
              <AppLink href="/admin/clients">Machine clients</AppLink>: record systems and integrations that call the APIs, their secrets
              and what they may do.
            </li>
            <li>
              <AppLink href="/admin/identity-providers">Identity providers</AppLink>: the single sign-on services people sign in with.
            </li>
          </>
        )}
      </ul>
      <p className="nhsuk-body-s">Every change made here is recorded in the audit trail. Nobody changes their own account.</p>
    </>
  );
}
