import type { Static } from 'typebox';
import type { DueSchema } from '../../../../src/careplan/http/care-plan-schemas';
import { getJson } from '../../api/http';
import { Main } from '../../app/Layout';
import { awaitingAttention, type AwaitingAttention } from '../../api/drafts-api';
import { hasRole, useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { formatDate } from '../../format/dates';
import { formatNhsNumber } from '../../format/nhs-number';

/** The plans due or overdue for review, as the care plan API's schema gives them. */
type DuePlans = Static<typeof DueSchema>;

/** My organisation's plans due or overdue for review (the stored AQL query behind GET /api/care-plans/due-for-review). */
export function WorklistsPage() {
  const session = useSignedIn();
  const due = useLoaded(() => getJson<DuePlans>('/api/care-plans/due-for-review?within_days=60'), session.organisation.odsCode);
  const writes = hasRole(session, 'contributor', 'clinician', 'senior-clinician');
  const waiting = useLoaded(writes ? () => awaitingAttention() : undefined, session.organisation.odsCode);
  return (
    <Main>
      <h1>
        <span className="nhsuk-caption-l">{session.organisation.name}</span>
        Worklists
      </h1>
      {writes && waiting.status === 'loaded' && <Waiting waiting={waiting.value} />}
      {writes && waiting.status === 'failed' && <p>What waits for you could not be loaded. Try again.</p>}
      <h2>Plans to review</h2>
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

/** Drafts waiting for approval and the people's suggested changes, among the people the organisation cares for. */
function Waiting({ waiting }: { waiting: AwaitingAttention }) {
  return (
    <>
      <h2>Waiting for approval</h2>
      {waiting.approvals.length === 0 ? (
        <p>No draft is waiting for approval.</p>
      ) : (
        <Table
          caption="Drafts submitted for approval, oldest first"
          head={['Name', 'NHS number', 'Submitted', 'What changed']}
          rows={waiting.approvals.map((plan) => [
            <AppLink key="person" href={`/people/${plan.nhsNumber}/edit`}>
              {plan.name ?? 'Name not held'}
            </AppLink>,
            formatNhsNumber(plan.nhsNumber),
            formatDate(plan.submittedAt),
            plan.changeSummary ?? '',
          ])}
        />
      )}
      <h2>Changes people have suggested</h2>
      {waiting.proposals.length === 0 ? (
        <p>Nobody is waiting for an answer to a suggested change.</p>
      ) : (
        <Table
          caption="Suggested changes to people’s own plans, oldest first"
          head={['Name', 'NHS number', 'Sent', 'Their message']}
          rows={waiting.proposals.map((proposal) => [
            <AppLink key="person" href={`/people/${proposal.nhsNumber}/drafts/${proposal.draftId}`}>
              {proposal.name ?? proposal.author}
            </AppLink>,
            formatNhsNumber(proposal.nhsNumber),
            formatDate(proposal.proposedAt),
            proposal.note ?? '',
          ])}
        />
      )}
    </>
  );
}
