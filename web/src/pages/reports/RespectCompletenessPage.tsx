import type { Static } from 'typebox';
import type { CompletenessSchema } from '../../../../src/careplan/http/care-plan-schemas';
import { getJson } from '../../api/http';
import { Main } from '../../app/Layout';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { formatDate } from '../../format/dates';
import { formatNhsNumber } from '../../format/nhs-number';

/** The report, as the care plan API's schema gives it. */
type Completeness = Static<typeof CompletenessSchema>;
type GateId = Completeness['gates'][number]['gate'];

/** What each quality gate asks, in the words a clinical lead uses. */
const GATE_TEXT: Record<GateId, string> = {
  capacity: 'Capacity for involvement recorded',
  lackOfCapacityExplained: 'How capacity is lacking, when it is',
  involvement: 'Who the recommendations were discussed with, or why not',
  decisionMaker: 'CPR decision maker named with a registration number',
  reviewDate: 'Review date set',
};

function percent(share: number | null): string {
  return share === null ? 'Not applicable' : `${Math.round(share * 100)}%`;
}

/**
 * How completely the organisation records the ReSPECT process (GET /api/care-plans/reports/
 * respect-completeness): each quality gate's share, overdue reviews, and — for auditors — the
 * people whose plans need attention.
 */
export function RespectCompletenessPage() {
  const session = useSignedIn();
  const report = useLoaded(() => getJson<Completeness>('/api/care-plans/reports/respect-completeness'), session.organisation.odsCode);
  return (
    <Main>
      <h1>
        <span className="nhsuk-caption-l">{session.organisation.name}</span>
        ReSPECT completeness
      </h1>
      {report.status === 'loading' && <p role="status">Loading…</p>}
      {report.status === 'failed' && <p>The report could not be loaded. Try again.</p>}
      {report.status === 'loaded' && (
        <>
          <p>
            Published plans your organisation wrote or approved: {report.value.plans}. Of those, {report.value.gated} hold a ReSPECT or CPR
            recommendation. Reviews overdue on {formatDate(report.value.today)}: {report.value.overdueReviews}.
          </p>
          <Table
            caption="Quality gates met"
            head={['What is recorded', 'Plans it applies to', 'Met', 'Share']}
            rows={report.value.gates.map((gate) => [GATE_TEXT[gate.gate], String(gate.applicable), String(gate.met), percent(gate.share)])}
          />
          {report.value.needingAttention === null ? (
            <p>Your organisation’s auditors can see which people’s plans need attention.</p>
          ) : report.value.needingAttention.length === 0 ? (
            <p>No plan needs attention.</p>
          ) : (
            <Table
              caption="Plans that need attention"
              head={['Name', 'NHS number', 'Review by', 'Missing']}
              rows={report.value.needingAttention.map((person) => [
                <AppLink key="person" href={`/people/${person.nhsNumber}`}>
                  {person.name ?? 'Name not held'}
                </AppLink>,
                formatNhsNumber(person.nhsNumber),
                person.reviewDate ? (
                  <span key="review">
                    {formatDate(person.reviewDate)} {person.overdue && <Tag text="Overdue" colour="red" />}
                  </span>
                ) : (
                  'Not set'
                ),
                person.missing.map((gate) => GATE_TEXT[gate]).join('; ') || 'Review overdue',
              ])}
            />
          )}
        </>
      )}
    </Main>
  );
}
