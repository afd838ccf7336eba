import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { getJson } from '../../api/http';
import { Main } from '../../app/Layout';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Button } from '../../components/button/Button';
import { Input } from '../../components/input/Input';
import { Select } from '../../components/select/Select';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { formatDateTime } from '../../format/dates';
import { formatNhsNumber, nhsDigits } from '../../format/nhs-number';
import { BreakGlassReviews } from './BreakGlassReviews';

interface AuditEntry {
  seq: number;
  recordedAt: string;
  action: string;
  outcome: string;
  actorId: string;
  actorDisplayName?: string;
  odsCode?: string;
  breakGlassReason?: string;
  nhsNumber?: string;
  resourceType?: string;
  resourceId?: string;
  detail: Record<string, unknown>;
}

const ACTIONS: Record<string, string> = {
  '': 'Any',
  'break-glass': 'Break the glass',
  read: 'Read',
  create: 'Create',
  update: 'Change',
  delete: 'Delete',
  query: 'Query',
  'access-denied': 'Access refused',
  'sign-in': 'Sign in',
  'sign-in-failed': 'Failed sign-in',
  'sign-out': 'Sign out',
};

const FILTERS = ['nhsNumber', 'actorId', 'action', 'from', 'to'] as const;

/**
 * The audit trail of the auditor's organisation: by person, by user, by action and time; the
 * break-glass accesses to follow up first. Exports what is shown as CSV, or as FHIR AuditEvents.
 */
export function AuditPage() {
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const query = new URLSearchParams(FILTERS.flatMap((name) => (params.get(name) ? [[name, params.get(name) ?? '']] : [])));
  const [filters, setFilters] = useState(
    () => Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>,
  );
  const page = useLoaded(() => getJson<{ entries: AuditEntry[]; nextCursor?: string }>(`/api/audit?${query.toString()}`), query.toString());

  function search(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (filters.nhsNumber) next.set('nhsNumber', nhsDigits(filters.nhsNumber));
    if (filters.actorId) next.set('actorId', filters.actorId.trim());
    if (filters.action) next.set('action', filters.action);
    if (filters.from) next.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
    if (filters.to) next.set('to', new Date(`${filters.to}T23:59:59`).toISOString());
    setParams(next);
  }

  const entries = page.status === 'loaded' ? page.value.entries : [];
  return (
    <Main>
      <h1>
        <span className="nhsuk-caption-l">{session.organisation.name}</span>
        Audit trail
      </h1>
      <BreakGlassReviews />
      <h2>Search the trail</h2>
      <p>
        <AppLink href="/audit?action=break-glass">Every break-glass access</AppLink>
      </p>
      <form onSubmit={search} noValidate className="app-audit-filters">
        <Input
          id="nhsNumber"
          label={{ text: 'NHS number' }}
          inputmode="numeric"
          classes="nhsuk-input--width-10"
          value={filters.nhsNumber}
          onChange={(nhsNumber) => setFilters((f) => ({ ...f, nhsNumber }))}
        />
        <Input
          id="actorId"
          label={{ text: 'User ID' }}
          classes="nhsuk-input--width-20"
          value={filters.actorId}
          onChange={(actorId) => setFilters((f) => ({ ...f, actorId }))}
        />
        <Select
          id="action"
          label={{ text: 'What' }}
          items={Object.entries(ACTIONS).map(([value, text]) => ({ value, text }))}
          value={filters.action}
          onChange={(action) => setFilters((f) => ({ ...f, action }))}
        />
        <Input
          id="from"
          label={{ text: 'From (YYYY-MM-DD)' }}
          classes="nhsuk-input--width-10"
          value={filters.from}
          onChange={(from) => setFilters((f) => ({ ...f, from }))}
        />
        <Input
          id="to"
          label={{ text: 'To (YYYY-MM-DD)' }}
          classes="nhsuk-input--width-10"
          value={filters.to}
          onChange={(to) => setFilters((f) => ({ ...f, to }))}
        />
        <Button text="Show" variant="secondary" />
      </form>
      {page.status === 'loading' && <p role="status">Loading the audit trail…</p>}
      {page.status === 'failed' && <p>The audit trail could not be loaded. Check the filters and try again.</p>}
      {page.status === 'loaded' && (
        <>
          <p>
            {entries.length} entr{entries.length === 1 ? 'y' : 'ies'}
            {page.value.nextCursor ? ' (the newest; narrow the filters to see older ones)' : ''}.{' '}
            <button type="button" className="app-link-button" onClick={() => download(toCsv(entries), 'text/csv', 'audit.csv')}>
              Download as CSV
            </button>{' '}
            <button type="button" className="app-link-button" onClick={() => void downloadFhir(query)}>
              Download as FHIR AuditEvents
            </button>
          </p>
          <Table
            caption="Audit entries, newest first"
            head={['When', 'What', 'Who', 'Person', 'Reason or detail']}
            rows={entries.map((entry) => [
              formatDateTime(entry.recordedAt),
              entry.action === 'break-glass' ? (
                <Tag key="t" text="Break the glass" colour="red" />
              ) : (
                (ACTIONS[entry.action] ?? entry.action) + (entry.outcome !== 'success' ? ` (${entry.outcome})` : '')
              ),
              `${entry.actorDisplayName ?? entry.actorId}${entry.odsCode ? `, ${entry.odsCode}` : ''}`,
              entry.nhsNumber ? formatNhsNumber(entry.nhsNumber) : '',
              entry.breakGlassReason ?? String(entry.detail['explanation'] ?? entry.resourceId ?? ''),
            ])}
          />
        </>
      )}
    </Main>
  );
}

function toCsv(entries: readonly AuditEntry[]): string {
  const cell = (value: unknown) => `"${String(value ?? '').replace(/"/g, '""')}"`;
  const head = [
    'recorded_at',
    'action',
    'outcome',
    'actor_id',
    'actor',
    'ods_code',
    'nhs_number',
    'break_glass_reason',
    'resource',
    'explanation',
  ];
  const rows = entries.map((entry) =>
    [
      entry.recordedAt,
      entry.action,
      entry.outcome,
      entry.actorId,
      entry.actorDisplayName,
      entry.odsCode,
      entry.nhsNumber,
      entry.breakGlassReason,
      `${entry.resourceType ?? ''} ${entry.resourceId ?? ''}`.trim(),
      entry.detail['explanation'],
    ]
      .map(cell)
      .join(','),
  );
  return [head.join(','), ...rows].join('\r\n');
}

async function downloadFhir(query: URLSearchParams): Promise<void> {
  const response = await fetch(`/api/audit?${query.toString()}`, {
    headers: { accept: 'application/fhir+json' },
    credentials: 'same-origin',
  });
  if (response.ok) download(await response.text(), 'application/fhir+json', 'audit-events.json');
}

function download(content: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
