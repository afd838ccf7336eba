import { useEffect } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { diff, history, type PlanChanges } from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { Button } from '../../components/button/Button';
import { Select } from '../../components/select/Select';
import { Table } from '../../components/table/Table';
import { formatDateTime } from '../../format/dates';
import { usePerson } from './person-context';

const EVENTS: Record<string, string> = {
  created: 'Plan started',
  'draft-started': 'Draft started',
  saved: 'Section saved',
  'module-saved': 'Section saved',
  submitted: 'Submitted for approval',
  published: 'Published',
  approved: 'Approved and published',
  closed: 'Closed after death',
  'death-recorded': 'Death recorded, plan closed',
  deleted: 'Deleted',
  'pathways-changed': 'Pathways changed',
};

/** Every version of the plan, who made it, for which organisation and when; and what changed between any two. */
export function HistoryPage() {
  const { ehrId, accessHeaders, refused, liveVersion, nhsNumber } = usePerson();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const loaded = useLoaded(
    ehrId ? () => history(ehrId, accessHeaders) : undefined,
    `${ehrId}:${JSON.stringify(accessHeaders)}`,
    String(liveVersion),
  );
  const from = Number(params.get('from') ?? 0);
  const to = Number(params.get('to') ?? 0);
  const changes = useLoaded(
    ehrId && from > 0 && to > 0 ? () => diff(ehrId, from, to, accessHeaders) : undefined,
    `${ehrId}:${from}:${to}:${JSON.stringify(accessHeaders)}`,
  );
  useEffect(() => {
    if (loaded.status === 'failed') refused(loaded.error);
  }, [loaded, refused]);

  if (loaded.status === 'loading') return <p role="status">Loading the history…</p>;
  if (loaded.status === 'failed')
    return <p>{loaded.error instanceof ApiProblem ? loaded.error.detail : 'The history could not be loaded.'}</p>;
  const revisions = loaded.value.revisions;
  const versions = [...new Set(revisions.flatMap((revision) => (revision.planVersion ? [revision.planVersion] : [])))].sort(
    (a, b) => a - b,
  );
  const latest = versions.at(-1) ?? 0;
  const chosenFrom = from || Math.max(1, latest - 1);
  const chosenTo = to || latest;
  const choose = (nextFrom: number, nextTo: number) => navigate(`/people/${nhsNumber}/history?from=${nextFrom}&to=${nextTo}`);

  return (
    <>
      <h1 className="nhsuk-heading-l">History of the plan</h1>
      <Table
        caption="Every change, newest first"
        head={['When', 'What', 'Who', 'Version', 'Note']}
        rows={[...revisions]
          .reverse()
          .map((revision) => [
            formatDateTime(revision.recordedAt),
            EVENTS[revision.event] ?? revision.event,
            `${revision.actor.name}${revision.actor.organisation ? `, ${revision.actor.organisation}` : ''}`,
            revision.planVersion ? String(revision.planVersion) : 'Draft',
            revision.changeSummary ?? '',
          ])}
      />
      {versions.length > 1 && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget);
            choose(Number(data.get('from')), Number(data.get('to')));
          }}
        >
          <h2>Compare two versions</h2>
          <div className="app-compare">
            <Select
              id="from"
              label={{ text: 'From version' }}
              items={versions.map((v) => ({ value: String(v), text: `Version ${v}` }))}
              value={String(chosenFrom)}
              onChange={(v) => choose(Number(v), chosenTo)}
            />
            <Select
              id="to"
              label={{ text: 'To version' }}
              items={versions.map((v) => ({ value: String(v), text: `Version ${v}` }))}
              value={String(chosenTo)}
              onChange={(v) => choose(chosenFrom, Number(v))}
            />
          </div>
          {!(from > 0 && to > 0) && <Button text="Compare" variant="secondary" />}
        </form>
      )}
      {changes.status === 'loaded' && <ChangesView changes={changes.value} from={from} to={to} />}
      {changes.status === 'failed' && (
        <p>{changes.error instanceof ApiProblem ? changes.error.detail : 'The versions could not be compared.'}</p>
      )}
    </>
  );
}

function ChangesView({ changes, from, to }: { changes: PlanChanges; from: number; to: number }) {
  const modules = changes.modules.filter((module) => module.changes.length > 0);
  return (
    <section aria-labelledby="changes-title">
      <h2 id="changes-title">
        What changed from version {from} to version {to}
      </h2>
      {modules.length === 0 && changes.header.length === 0 && <p>Nothing changed.</p>}
      {changes.header.length > 0 && (
        <Table
          caption="The plan’s details"
          head={['Field', `Version ${from}`, `Version ${to}`]}
          firstCellIsHeader
          rows={changes.header.map((change) => [change.label, change.before ?? 'Not recorded', change.after ?? 'Removed'])}
        />
      )}
      {modules.map((module) => (
        <Table
          key={module.moduleId}
          caption={module.title}
          head={['Field', `Version ${from}`, `Version ${to}`]}
          firstCellIsHeader
          rows={module.changes.map((change) => [
            change.label.split(' › ').slice(-2).join(': '),
            change.before ?? 'Not recorded',
            change.after ?? 'Removed',
          ])}
        />
      ))}
    </section>
  );
}
