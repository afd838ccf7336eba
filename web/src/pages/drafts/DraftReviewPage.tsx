import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { declineProposal, draftOf, mergeDraft, type PersonalDraft, type Resolutions } from '../../api/drafts-api';
import { ApiProblem } from '../../api/http';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { Radios } from '../../components/radios/Radios';
import { Table } from '../../components/table/Table';
import { Textarea } from '../../components/textarea/Textarea';
import { formatDate } from '../../format/dates';
import { usePerson } from '../person/person-context';

/**
 * A draft of one's own, to merge into the plan: the person's suggestion or a colleague's (or
 * your own) draft. Shows each change against the plan now, what others changed since the draft
 * started, and asks whose value stays for each field both changed; then merges it into the
 * plan's draft in one step, or — for the person's suggestion — declines it with a reason.
 */
export function DraftReviewPage() {
  const { ehrId, nhsNumber } = usePerson();
  const { draftId = '' } = useParams();
  const [version, setVersion] = useState(0);
  const loaded = useLoaded(ehrId ? () => draftOf(ehrId, draftId) : undefined, `${ehrId}:${draftId}:${version}`);
  const back = <BackLink href={`/people/${nhsNumber}/edit`} text="Back to changing the plan" />;
  if (loaded.status === 'loading') return <p role="status">Loading the suggested changes…</p>;
  if (loaded.status === 'failed')
    return (
      <>
        {back}
        <p>{loaded.error instanceof ApiProblem ? loaded.error.detail : 'The changes could not be loaded. Try again.'}</p>
      </>
    );
  return (
    <>
      {back}
      <DraftReview draft={loaded.value} nhsNumber={nhsNumber} reload={() => setVersion((current) => current + 1)} />
    </>
  );
}

function DraftReview({ draft, nhsNumber, reload }: { draft: PersonalDraft; nhsNumber: string; reload(): void }) {
  const session = useSignedIn();
  const navigate = useNavigate();
  const [choices, setChoices] = useState<Resolutions>({});
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const live = draft.state === 'proposed' || draft.state === 'open';
  const mine = draft.author.id === session.user.id;
  const mergeable = draft.byPerson ? draft.state === 'proposed' : draft.state === 'open' && mine;
  const conflicts = draft.sections.flatMap((section) => section.conflicts);
  const undecided = conflicts.filter((conflict) => !choices[conflict.moduleId]?.[conflict.path]);

  async function act(action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.detail : 'That did not work. Try again.');
      reload();
    } finally {
      setBusy(false);
    }
  }
  const merge = () =>
    act(async () => {
      await mergeDraft(draft.ehrId, draft.draftId, draft.planRevision, choices);
      navigate(`/people/${nhsNumber}/edit`, { state: { saved: draft.byPerson ? `${draft.author.name}’s suggestions` : 'The draft' } });
    });
  const decline = () =>
    act(async () => {
      if (reason.trim().length < 10) throw new ApiProblem(400, { detail: 'Say why, in at least 10 characters: the person reads it.' });
      await declineProposal(draft.ehrId, draft.draftId, reason.trim());
      reload();
    });

  return (
    <>
      {problem && <ErrorSummary errorList={[{ text: problem }]} />}
      <h1>
        <span className="nhsuk-caption-l">{draft.byPerson ? 'Suggested by the person' : 'A draft of one’s own'}</span>
        {draft.byPerson ? `${draft.author.name}’s suggested changes` : `${draft.author.name}’s draft`}
      </h1>
      {draft.note && (
        <InsetText>
          <p>“{draft.note}”</p>
        </InsetText>
      )}
      {!live && (
        <p>
          This {draft.byPerson ? 'suggestion' : 'draft'} was {draft.state}
          {draft.outcome ? ` by ${draft.outcome.by.name} on ${formatDate(draft.outcome.at)}` : ''}
          {draft.outcome?.reason ? `: ${draft.outcome.reason}` : '.'}
        </p>
      )}
      {draft.sections.map((section) => (
        <div key={section.moduleId}>
          <h2>{section.title}</h2>
          <Table
            caption={`Changes to ${section.title}`}
            head={['Field', 'Was', 'Suggested']}
            rows={section.changes.map((change) => [change.label, change.before ?? '(empty)', change.after ?? '(removed)'])}
          />
          {section.changedSince.length > 0 && (
            <Table
              caption="Changed in the plan since this draft started"
              head={['Field', 'Was', 'Now']}
              rows={section.changedSince.map((change) => [change.label, change.before ?? '(empty)', change.after ?? '(removed)'])}
            />
          )}
          {live &&
            section.conflicts.map((conflict) => (
              <Radios
                key={conflict.path}
                idPrefix={`conflict-${section.moduleId}-${conflict.path.replace(/[^a-z0-9]+/gi, '-')}`}
                fieldset={{ legend: { text: `${conflict.label}: both changed. Which stays?`, size: 's' } }}
                items={[
                  { value: 'theirs', text: `What the plan says now: ${conflict.now ?? '(empty)'}` },
                  { value: 'mine', text: `The suggestion: ${conflict.mine ?? '(removed)'}` },
                ]}
                value={choices[conflict.moduleId]?.[conflict.path]}
                onChange={(value) =>
                  setChoices((current) => ({
                    ...current,
                    [conflict.moduleId]: { ...current[conflict.moduleId], [conflict.path]: value as 'mine' | 'theirs' },
                  }))
                }
              />
            ))}
        </div>
      ))}
      {mergeable && (
        <>
          <h2>Merge into the plan</h2>
          <p>The changes go into the plan’s draft. Nobody else sees them until the draft is approved and published.</p>
          <Button
            type="button"
            text={draft.byPerson ? 'Accept the suggestions into the draft' : 'Merge into the plan’s draft'}
            disabled={busy || undecided.length > 0}
            onClick={() => void merge()}
          />
          {undecided.length > 0 && <p>Choose which value stays for each field both changed first.</p>}
        </>
      )}
      {live && !draft.byPerson && !mine && <p>Only {draft.author.name} can merge their draft.</p>}
      {draft.byPerson && draft.state === 'proposed' && (
        <>
          <h2>Or decline them</h2>
          <Textarea
            id="decline-reason"
            label={{ text: 'Why not? The person reads this', size: 's' }}
            rows={3}
            value={reason}
            onChange={setReason}
          />
          <Button variant="secondary" type="button" text="Decline the suggestions" disabled={busy} onClick={() => void decline()} />
        </>
      )}
    </>
  );
}
