import { useState, type FormEvent } from 'react';
import { ApiProblem, getJson, request } from '../../api/http';
import { useLoaded } from '../../app/use-loaded';
import { Button } from '../../components/button/Button';
import { Select } from '../../components/select/Select';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { Textarea } from '../../components/textarea/Textarea';
import { formatDateTime } from '../../format/dates';
import { formatNhsNumber } from '../../format/nhs-number';

interface BreakGlassAccess {
  entry: {
    seq: number;
    recordedAt: string;
    actorId: string;
    actorDisplayName?: string;
    nhsNumber?: string;
    breakGlassReason?: string;
  };
  review?: { outcome: string; note: string; reviewedBy: string; reviewedAt: string };
}

const OUTCOMES: Record<string, string> = {
  justified: 'Justified',
  'not-justified': 'Not justified',
  referred: 'Referred for investigation',
};

/**
 * The organisation's break-glass accesses still to review, each with the form that records the
 * review (final, audited); the ones already reviewed on request.
 */
export function BreakGlassReviews() {
  const [status, setStatus] = useState<'open' | 'reviewed'>('open');
  const [version, setVersion] = useState(0);
  const list = useLoaded(
    () => getJson<{ accesses: BreakGlassAccess[] }>(`/api/audit/break-glass?status=${status}`),
    `${status}-${version}`,
  );
  const accesses = list.status === 'loaded' ? list.value.accesses : [];
  return (
    <section aria-labelledby="break-glass-reviews">
      <h2 id="break-glass-reviews">{status === 'open' ? 'Break-glass accesses to review' : 'Reviewed break-glass accesses'}</h2>
      <p>
        <button type="button" className="app-link-button" onClick={() => setStatus(status === 'open' ? 'reviewed' : 'open')}>
          {status === 'open' ? 'Show the reviewed ones' : 'Show the ones to review'}
        </button>
      </p>
      {list.status === 'loading' && <p role="status">Loading break-glass accesses…</p>}
      {list.status === 'failed' && <p>The break-glass accesses could not be loaded.</p>}
      {list.status === 'loaded' && accesses.length === 0 && <p>{status === 'open' ? 'None waits for review.' : 'None reviewed yet.'}</p>}
      {accesses.length > 0 && (
        <Table
          caption={
            status === 'open' ? 'Break-glass accesses waiting for review, newest first' : 'Reviewed break-glass accesses, newest first'
          }
          head={['When', 'Who', 'Person', 'Reason', status === 'open' ? 'Review' : 'Outcome']}
          rows={accesses.map(({ entry, review }) => [
            formatDateTime(entry.recordedAt),
            entry.actorDisplayName ?? entry.actorId,
            entry.nhsNumber ? formatNhsNumber(entry.nhsNumber) : '',
            entry.breakGlassReason ?? '',
            review ? (
              <span key="r">
                <Tag text={OUTCOMES[review.outcome] ?? review.outcome} colour={review.outcome === 'justified' ? 'green' : 'red'} />{' '}
                {review.note} ({review.reviewedBy}, {formatDateTime(review.reviewedAt)})
              </span>
            ) : (
              <ReviewForm key="f" seq={entry.seq} onReviewed={() => setVersion((v) => v + 1)} />
            ),
          ])}
        />
      )}
    </section>
  );
}

function ReviewForm({ seq, onReviewed }: { seq: number; onReviewed(): void }) {
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!outcome || note.trim() === '') {
      setError('Choose an outcome and say what the review found.');
      return;
    }
    try {
      await request(`/api/audit/break-glass/${seq}/review`, { method: 'POST', body: { outcome, note: note.trim() } });
      onReviewed();
    } catch (caught) {
      setError(caught instanceof ApiProblem ? caught.detail : 'The review could not be saved; try again.');
    }
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Select
        id={`outcome-${seq}`}
        label={{ text: 'Outcome' }}
        items={[{ value: '', text: 'Choose' }, ...Object.entries(OUTCOMES).map(([value, text]) => ({ value, text }))]}
        value={outcome}
        onChange={setOutcome}
        {...(error ? { errorMessage: { text: error } } : {})}
      />
      <Textarea id={`note-${seq}`} label={{ text: 'What the review found' }} rows={2} value={note} onChange={setNote} />
      <Button text="Record the review" variant="secondary" />
    </form>
  );
}
