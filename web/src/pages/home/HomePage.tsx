import { Navigate } from 'react-router';
import { Main } from '../../app/Layout';
import { hasRole, useSignedIn } from '../../app/session-context';
import { Card } from '../../components/card/Card';

/** Where each person starts: the things their role lets them do. A patient goes straight to their plan. */
export function HomePage() {
  const session = useSignedIn();
  if (hasRole(session, 'patient') && session.roles.length === 1) return <Navigate to="/my-plan" replace />;
  const reads = hasRole(session, 'viewer', 'contributor', 'clinician', 'senior-clinician');
  return (
    <Main>
      <h1>
        <span className="nhsuk-caption-l">{session.organisation.name}</span>
        What do you want to do?
      </h1>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {reads && (
          <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
            <Card
              heading="Find a person"
              href="/people"
              description="By NHS number, or by name and date of birth. See their emergency summary and plan."
            />
          </li>
        )}
        {hasRole(session, 'contributor', 'clinician', 'senior-clinician') && (
          <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
            <Card
              heading="Worklists"
              href="/worklists"
              description="Drafts waiting for approval, changes people have suggested, and plans due or overdue for review."
            />
          </li>
        )}
        {hasRole(session, 'auditor') && (
          <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
            <Card heading="Audit trail" href="/audit" description="Who looked at or changed plans, and every break-glass to follow up." />
          </li>
        )}
        {hasRole(session, 'org-admin', 'platform-admin') && (
          <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
            <Card heading="Administration" href="/admin" description="Add users to your organisation; the organisations taking part." />
          </li>
        )}
        <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
          <Card heading="Your account" href="/account" description="Sign out on every device." />
        </li>
      </ul>
    </Main>
  );
}
