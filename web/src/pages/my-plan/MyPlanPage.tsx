import { useState } from 'react';
import { useLocation } from 'react-router';
import { getJson } from '../../api/http';
import { Main } from '../../app/Layout';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { InsetText } from '../../components/inset-text/InsetText';
import { Table } from '../../components/table/Table';
import { formatDateTime } from '../../format/dates';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { PlanSections } from '../person/PlanSections';
import { ownPlanOf } from './own-plan';
import { SuggestChanges } from './SuggestChanges';

interface AccessEntry {
  recordedAt: string;
  action: string;
  outcome: string;
  actorDisplayName?: string;
  odsCode?: string;
  breakGlassReason?: string;
}

const WHAT: Record<string, string> = {
  read: 'Looked at your plan',
  create: 'Started your plan',
  update: 'Changed your plan',
  delete: 'Deleted your plan',
  'break-glass': 'Looked at your plan in an emergency',
  'access-denied': 'Was stopped from looking at your plan',
  query: 'Found your plan in a search',
};

/** The person's own view: their plan in plain language, and everyone who has looked at it. */
export function MyPlanPage() {
  const session = useSignedIn();
  const nhsNumber = session.ownNhsNumber;
  const location = useLocation();
  const saved = (location.state as { saved?: string } | null)?.saved;
  const [version, setVersion] = useState(0);
  const plan = useLoaded(nhsNumber ? () => ownPlanOf(nhsNumber) : undefined, `${nhsNumber ?? ''}:${version}`);
  const access = useLoaded(
    nhsNumber ? () => getJson<{ entries: AccessEntry[] }>(`/api/people/${nhsNumber}/access-report?limit=50`) : undefined,
    nhsNumber ?? '',
  );
  if (!nhsNumber)
    return (
      <Main>
        <h1>Your plan</h1>
        <p>Your account is not linked to an NHS number. Contact your GP practice.</p>
      </Main>
    );
  return (
    <Main>
      {saved && (
        <NotificationBanner type="success">
          <p className="nhsuk-notification-banner__heading">
            Your changes to {saved} are kept. Send them to your care team when you are ready.
          </p>
        </NotificationBanner>
      )}
      <h1>Your urgent care plan</h1>
      {plan.status === 'loading' && <p role="status">Loading your plan…</p>}
      {plan.status === 'loaded' && plan.value === undefined && (
        <InsetText>
          <p>Your plan cannot be shown here yet. Ask your GP practice or care team for a copy.</p>
        </InsetText>
      )}
      {plan.status === 'loaded' && plan.value && (
        <>
          <p className="nhsuk-lede-text">
            Version {plan.value.plan.planVersion}
            {plan.value.plan.header.approver ? `, agreed with ${plan.value.plan.header.approver.name}` : ''}. If something is wrong, tell
            the people who care for you, or suggest a change below.
          </p>
          <PlanSections plan={plan.value.plan} pathways={plan.value.pathways} showCodes={false} />
          <SuggestChanges own={plan.value} onChanged={() => setVersion((current) => current + 1)} />
        </>
      )}
      <h2>Who has looked at your plan</h2>
      {access.status === 'loaded' &&
        (access.value.entries.length === 0 ? (
          <p>Nobody has looked at your plan yet.</p>
        ) : (
          <Table
            caption="Everyone who looked at or changed your plan, newest first"
            head={['When', 'Who', 'What']}
            rows={access.value.entries.map((entry) => [
              formatDateTime(entry.recordedAt),
              `${entry.actorDisplayName ?? 'Someone'}${entry.odsCode ? ` (${entry.odsCode})` : ''}`,
              `${WHAT[entry.action] ?? entry.action}${entry.breakGlassReason ? `: “${entry.breakGlassReason}”` : ''}`,
            ])}
          />
        ))}
      {access.status === 'failed' && <p>The list of who looked at your plan could not be loaded. Try again later.</p>}
    </Main>
  );
}
