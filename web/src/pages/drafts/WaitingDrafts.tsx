import { draftsOf } from '../../api/drafts-api';
import { useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';
import { formatDate } from '../../format/dates';

/** The drafts of one's own waiting on this plan (the person's suggestions, colleagues' drafts), each linking to its review. */
export function WaitingDrafts({ ehrId, nhsNumber }: { ehrId: string; nhsNumber: string }) {
  const session = useSignedIn();
  const drafts = useLoaded(() => draftsOf(ehrId), ehrId);
  if (drafts.status !== 'loaded') return null;
  const waiting = drafts.value.filter((draft) => draft.state === 'proposed' || (draft.state === 'open' && !draft.byPerson));
  if (waiting.length === 0) return null;
  return (
    <WarningCallout heading="Changes waiting to be merged">
      <ul>
        {waiting.map((draft) => (
          <li key={draft.draftId}>
            <AppLink href={`/people/${nhsNumber}/drafts/${draft.draftId}`}>
              {draft.byPerson
                ? `${draft.author.name} suggested changes on ${formatDate(draft.updatedAt)}`
                : `${draft.author.id === session.user.id ? 'Your' : `${draft.author.name}’s`} draft, started ${formatDate(draft.createdAt)}`}
            </AppLink>
            {draft.note ? `: “${draft.note}”` : ''}
          </li>
        ))}
      </ul>
    </WarningCallout>
  );
}
