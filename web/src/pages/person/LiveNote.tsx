import type { PlanChanges, PlanHistory } from '../../api/care-plan-api';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { formatDateTime } from '../../format/dates';

export interface LiveUpdate {
  planVersion: number;
  actor: PlanHistory['revisions'][number]['actor'] | undefined;
  recordedAt: string | undefined;
  changes: PlanChanges | undefined;
}

/** Someone else published while this page was open: who, when, and what changed, section by section. */
export function LiveNote({ update, onDismiss }: { update: LiveUpdate; onDismiss(): void }) {
  const sections = update.changes?.modules.filter((module) => module.changes.length > 0) ?? [];
  return (
    <NotificationBanner titleText="The plan has changed" id="live-update">
      <p className="nhsuk-notification-banner__heading">
        {update.actor ? `${update.actor.name}${update.actor.organisation ? `, ${update.actor.organisation},` : ''}` : 'Someone'} published
        version {update.planVersion}
        {update.recordedAt ? ` at ${formatDateTime(update.recordedAt)}` : ''}. This page now shows it.
      </p>
      {sections.length > 0 && (
        <ul>
          {sections.map((module) => (
            <li key={module.moduleId}>
              {module.title}:{' '}
              {module.changes
                .map((change) => change.label.split(' › ').at(-1))
                .slice(0, 5)
                .join(', ')}
              {module.changes.length > 5 ? ` and ${module.changes.length - 5} more` : ''}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="nhsuk-link app-link-button" onClick={onDismiss}>
        Hide this message
      </button>
    </NotificationBanner>
  );
}
