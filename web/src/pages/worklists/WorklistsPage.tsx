import { getJson } from '../../api/http';
import { Main } from '../../app/Layout';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { formatDate } from '../../format/dates';
import { formatNhsNumber } from '../../format/nhs-number';

interface DuePlans {
  odsCode: string;
  until: string;
  plans: {
    ehrId: string;
    nhsNumber: string;
    /** As the demographics service last gave it; null when none is held. */
    name: string | null;
    reviewDate: string;
    overdue: boolean;
    planVersion: number;
    pathways: string[];
    draftState: string | null;
  }[];
}

/** My organisation's plans due or overdue for review (the stored AQL query behind GET /api/care-plans/due-for-review). */
export function WorklistsPage() {
  const session = useSignedIn();
  const due = useLoaded(() => getJson<DuePlans>('/api/care-plans/due-for-review?within_days=60'), session.organisation.odsCode);
  return (
    <Main>
      <h1>
        <span className="nhsuk-caption-l">{session.organisation.name}</span>
        Plans to review
      </h1>
      {due.status === 'loading' && <p role="status">Loading…</p>}
      {due.status === 'failed' && <p>The worklist could not be loaded. Try again.</p>}
      {due.status === 'loaded' && (
        <>
          <p>
            Plans your organisation wrote or approved that are overdue, or due by {formatDate(due.value.until)}: {due.value.plans.length}.
          </p>
          {due.value.plans.length > 0 && (
            <Table
              caption="Due or overdue for review"
              head={['Name', 'NHS number', 'Review by', 'Status', 'Version']}
              rows={due.value.plans.map((plan) => [
                <AppLink key="person" href={`/people/${plan.nhsNumber}`}>
                  {plan.name ?? 'Name not held'}
                </AppLink>,
                formatNhsNumber(plan.nhsNumber),
                formatDate(plan.reviewDate),
                plan.overdue ? (
                  <Tag key="tag" text="Overdue" colour="red" />
                ) : plan.draftState ? (
                  <Tag key="tag" text="Being changed" colour="yellow" />
                ) : (
                  <Tag key="tag" text="Due" colour="white" />
                ),
                String(plan.planVersion),
              ])}
            />
          )}
        </>
      )}
    </Main>
  );
}
