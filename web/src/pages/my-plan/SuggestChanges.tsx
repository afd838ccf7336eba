import { useState } from 'react';
import { proposeOwnDraft, withdrawOwnDraft } from '../../api/drafts-api';
import { ApiProblem } from '../../api/http';
import { AppLink } from '../../components/app-link';
import { Button } from '../../components/button/Button';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { Table } from '../../components/table/Table';
import { Textarea } from '../../components/textarea/Textarea';
import { formatDate } from '../../format/dates';
import { proposableModules, type OwnPlan } from './own-plan';

/**
 * Where the person suggests changes to the sections about them: what they have changed so far,
 * sending it to their care team with a message, and what became of earlier suggestions.
 */
export function SuggestChanges({ own, onChanged }: { own: OwnPlan; onChanged(): void }) {
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const { draft } = own;
  const changes = draft?.sections.flatMap((section) => section.changes.map((change) => ({ section: section.title, ...change }))) ?? [];
  const answered = own.drafts.filter((entry) => entry.state === 'merged' || entry.state === 'declined');

  async function act(action: () => Promise<unknown>) {
    setBusy(true);
    try {
      await action();
      setProblem(undefined);
      onChanged();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.detail : 'That did not work. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h2>Suggest a change to your plan</h2>
      {problem && <ErrorSummary errorList={[{ text: problem }]} />}
      {draft?.state === 'proposed' ? (
        <InsetText>
          <p>
            You sent your suggested changes to your care team on {formatDate(draft.updatedAt)}. They will change your plan, or tell you why
            not.
          </p>
          <Button
            variant="secondary"
            type="button"
            text="Take my suggestions back"
            disabled={busy}
            onClick={() => void act(() => withdrawOwnDraft(own.plan.ehrId))}
          />
        </InsetText>
      ) : (
        <>
          <p>You can suggest changes to the parts of your plan about you. Your care team looks at them before your plan changes.</p>
          <ul>
            {proposableModules(own.plan).map((module) => (
              <li key={module.moduleId}>
                <AppLink href={`/my-plan/propose/${module.moduleId}`}>Change {module.title}</AppLink>
              </li>
            ))}
          </ul>
          {changes.length > 0 && (
            <>
              <Table
                caption="Your changes, not sent yet"
                head={['Part of your plan', 'Now', 'Your change']}
                rows={changes.map((change) => [
                  `${change.section}: ${change.label}`,
                  change.before ?? '(empty)',
                  change.after ?? '(removed)',
                ])}
              />
              <Textarea
                id="proposal-note"
                label={{ text: 'A message to your care team (optional)', size: 's' }}
                rows={3}
                value={note}
                onChange={setNote}
              />
              <Button
                type="button"
                text="Send to my care team"
                disabled={busy}
                onClick={() => void act(() => proposeOwnDraft(own.plan.ehrId, note))}
              />
            </>
          )}
        </>
      )}
      {answered.length > 0 && (
        <Table
          caption="Your earlier suggestions"
          head={['Answered on', 'Answer']}
          rows={answered.map((entry) => [
            formatDate(entry.outcome?.at ?? entry.updatedAt),
            entry.state === 'merged'
              ? `Accepted by ${entry.outcome?.by.name ?? 'your care team'}`
              : `Not changed: ${entry.outcome?.reason ?? ''} (${entry.outcome?.by.name ?? 'your care team'})`,
          ])}
        />
      )}
    </>
  );
}
