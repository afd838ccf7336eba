import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { approveDraft, createPlan, startDraft, submitDraft, pathways as loadPathways, type PlanView } from '../../api/care-plan-api';
import { ApiProblem } from '../../api/http';
import { hasRole, useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Button } from '../../components/button/Button';
import { Checkboxes } from '../../components/checkboxes/Checkboxes';
import { DateInput, datePartsOf, isoDateOf, type DateParts } from '../../components/date-input/DateInput';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { Radios } from '../../components/radios/Radios';
import { Tag } from '../../components/tag/Tag';
import { Textarea } from '../../components/textarea/Textarea';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';
import { formatDate } from '../../format/dates';
import { needsDeclaredCare } from '../../api/care-team-api';
import { usePerson } from '../person/person-context';
import { WaitingDrafts } from '../drafts/WaitingDrafts';
import { DeclareCare } from './DeclareCare';
import { editStateOf, type EditState } from './edit-state';

/**
 * Editing a plan: start one, or a new draft of the published plan; the sections as a task list,
 * each its own generated form; then submit with a review date, and approve and publish.
 */
export function EditPlanPage() {
  const { ehrId, nhsNumber } = usePerson();
  const [version, setVersion] = useState(0);
  const state = useLoaded(ehrId === undefined ? undefined : () => editStateOf(ehrId), `${ehrId}:${version}`);
  const reload = () => setVersion((current) => current + 1);
  if (state.status === 'loading') return <p role="status">Loading the plan…</p>;
  if (state.status === 'failed' && state.error instanceof ApiProblem && state.error.status === 403 && !state.error.detail.includes('role'))
    return <DeclareCare nhsNumber={nhsNumber} onDeclared={reload} />;
  if (state.status === 'failed')
    return (
      <>
        <h1>You cannot change this plan</h1>
        <p>{state.error instanceof ApiProblem ? state.error.detail : 'Try again.'}</p>
      </>
    );
  return <EditContent state={state.value} nhsNumber={nhsNumber} reload={reload} />;
}

function EditContent({ state, nhsNumber, reload }: { state: EditState; nhsNumber: string; reload(): void }) {
  if (state.kind === 'none') return <StartPlan nhsNumber={nhsNumber} onStarted={reload} />;
  return (
    <>
      <WaitingDrafts ehrId={state.plan.ehrId} nhsNumber={nhsNumber} />
      {state.kind === 'published' ? (
        <StartDraft plan={state.plan} onStarted={reload} />
      ) : (
        <DraftOverview plan={state.plan} nhsNumber={nhsNumber} reload={reload} />
      )}
    </>
  );
}

function StartPlan({ nhsNumber, onStarted }: { nhsNumber: string; onStarted(): void }) {
  const pathways = useLoaded(() => loadPathways(), 'pathways');
  const [chosen, setChosen] = useState<string[]>([]);
  const [consent, setConsent] = useState<string | undefined>();
  const [errors, setErrors] = useState<ErrorSummaryItem[]>([]);
  const [mustDeclare, setMustDeclare] = useState(false);
  const [declared, setDeclared] = useState(false);
  async function start(event: FormEvent) {
    event.preventDefault();
    if (!consent) return setErrors([{ text: 'Select whether the person agreed to share their plan', href: '#consent' }]);
    try {
      await createPlan({ nhsNumber, pathways: chosen, consent: { toShare: consent !== 'withdrawn', route: consent as 'explicit' } });
      onStarted();
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 403 && needsDeclaredCare(error.detail)) return setMustDeclare(true);
      setErrors([{ text: error instanceof ApiProblem ? error.detail : 'The plan could not be started. Try again.' }]);
    }
  }
  if (mustDeclare)
    return (
      <DeclareCare
        nhsNumber={nhsNumber}
        onDeclared={() => {
          setMustDeclare(false);
          setDeclared(true);
          setErrors([]);
        }}
      />
    );
  const optional = pathways.status === 'loaded' ? pathways.value.filter((pathway) => pathway.id !== 'end-of-life') : [];
  return (
    <form onSubmit={(event) => void start(event)} noValidate>
      {errors.length > 0 && <ErrorSummary errorList={errors} />}
      {declared && (
        <NotificationBanner type="success" titleText="Done">
          <p>Your organisation is now in this person’s care team. You can start their plan.</p>
        </NotificationBanner>
      )}
      <h1>Start an urgent care plan</h1>
      <p>
        Every plan has the core sections: what matters to the person, ReSPECT, preferences, who to call, allergies, diagnoses and medicines.
      </p>
      {optional.length > 0 && (
        <Checkboxes
          idPrefix="pathways"
          fieldset={{ legend: { text: 'Does the person need any of these pathways as well?', size: 'm' } }}
          hint={{ text: 'Select all that apply' }}
          items={optional.map((pathway) => ({ value: pathway.id, text: pathway.title }))}
          values={chosen}
          onChange={setChosen}
        />
      )}
      <Radios
        idPrefix="consent"
        fieldset={{ legend: { text: 'Has the person agreed to share their plan with services that may care for them?', size: 'm' } }}
        items={[
          { value: 'explicit', text: 'Yes, they agreed' },
          { value: 'best-interests', text: 'They cannot decide: sharing is in their best interests' },
          { value: 'lpa', text: 'Their lasting power of attorney agreed' },
          { value: 'withdrawn', text: 'No, they do not want it shared' },
        ]}
        value={consent}
        onChange={setConsent}
        {...(errors.some((error) => error.href === '#consent')
          ? { errorMessage: { text: 'Select whether the person agreed to share their plan' } }
          : {})}
      />
      <Button text="Start the plan" />
    </form>
  );
}

function StartDraft({ plan, onStarted }: { plan: PlanView; onStarted(): void }) {
  const [problem, setProblem] = useState<string | undefined>();
  return (
    <>
      {problem && <ErrorSummary errorList={[{ text: problem }]} />}
      <h1>Change this plan</h1>
      <p>
        Version {plan.planVersion} is published. Your changes are kept as a draft: nobody else sees them until the draft is approved and
        published.
      </p>
      <Button
        type="button"
        text="Start changing the plan"
        onClick={() => {
          startDraft(plan.ehrId, plan.revision).then(onStarted, (error: unknown) =>
            setProblem(error instanceof ApiProblem ? error.detail : 'A draft could not be started. Try again.'),
          );
        }}
      />
    </>
  );
}

const SOURCE: Record<string, { text: string; colour: 'grey' | 'blue' | 'white' }> = {
  empty: { text: 'Not started', colour: 'grey' },
  draft: { text: 'Changed', colour: 'blue' },
  published: { text: 'As published', colour: 'white' },
};

function DraftOverview({ plan, nhsNumber, reload }: { plan: PlanView; nhsNumber: string; reload(): void }) {
  const session = useSignedIn();
  const location = useLocation();
  const navigate = useNavigate();
  const saved = (location.state as { saved?: string; incomplete?: number } | null) ?? null;
  const [reviewDate, setReviewDate] = useState<DateParts>(datePartsOf(plan.reviewDate ?? undefined));
  const [summary, setSummary] = useState('');
  const [errors, setErrors] = useState<ErrorSummaryItem[]>([]);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const base = `/people/${nhsNumber}`;
  const canApprove = hasRole(session, 'clinician', 'senior-clinician');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const iso = isoDateOf(reviewDate);
    if (!iso) return setErrors([{ text: 'Enter a review date, for example 1 6 2027', href: '#review-date' }]);
    setBusy(true);
    try {
      const answer = await submitDraft(plan.ehrId, plan.revision, iso, summary || undefined);
      setWarnings(answer.warnings);
      setErrors([]);
      reload();
    } catch (error) {
      setErrors(problemList(error, '#review-date'));
    } finally {
      setBusy(false);
    }
  }

  async function approve() {
    setBusy(true);
    try {
      await approveDraft(plan.ehrId, plan.revision);
      navigate(base, { state: { published: true } });
    } catch (error) {
      setErrors(problemList(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {errors.length > 0 && <ErrorSummary errorList={errors} />}
      {saved?.saved && (
        <NotificationBanner type="success">
          <p className="nhsuk-notification-banner__heading">{saved.saved} saved in the draft.</p>
          {saved.incomplete ? <p>{saved.incomplete} thing(s) still need to be filled in before the plan can be submitted.</p> : null}
        </NotificationBanner>
      )}
      <h1>{plan.draftState === 'awaiting-approval' ? 'Approve the plan' : 'Change the plan'}</h1>
      <p className="nhsuk-lede-text">
        {plan.planVersion > 0 ? `Draft of version ${plan.planVersion + 1}.` : 'A new plan.'} Nobody else sees these changes until they are
        published.
      </p>
      <ul className="nhsuk-task-list">
        {plan.modules.map((module) => {
          const source = SOURCE[module.source] ?? { text: 'Not started', colour: 'grey' as const };
          return (
            <li className="nhsuk-task-list__item nhsuk-task-list__item--with-link" key={module.moduleId}>
              <div className="nhsuk-task-list__name-and-hint">
                <AppLink className="nhsuk-link nhsuk-task-list__link" href={`${base}/edit/${module.moduleId}`}>
                  {module.title}
                </AppLink>
                {module.seniorDecision && (
                  <div className="nhsuk-task-list__hint">A senior clinician must record and approve this section</div>
                )}
              </div>
              <div className="nhsuk-task-list__status">
                <Tag text={source.text} colour={source.colour} />
              </div>
            </li>
          );
        })}
      </ul>
      {warnings.length > 0 && (
        <WarningCallout heading="Check before you approve">
          <ul>
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </WarningCallout>
      )}
      {plan.draftState === 'awaiting-approval' ? (
        <>
          <h2>Approve and publish</h2>
          <p>
            Review by {formatDate(plan.reviewDate)}. When you publish, everyone who may care for the person in a crisis sees this version.
          </p>
          {canApprove ? (
            <Button type="button" text="Approve and publish" disabled={busy} onClick={() => void approve()} />
          ) : (
            <p>A clinician must approve it.</p>
          )}
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <h2>Submit for approval</h2>
          <DateInput
            id="review-date"
            fieldset={{ legend: { text: 'When should the plan be reviewed?', size: 's' } }}
            hint={{ text: `No later than ${formatDate(plan.latestReviewDate)}. For example, 1 6 2027` }}
            value={reviewDate}
            onChange={setReviewDate}
            {...(errors.some((error) => error.href === '#review-date')
              ? { errorMessage: { text: errors.find((error) => error.href === '#review-date')?.text ?? '' } }
              : {})}
          />
          <Textarea
            id="change-summary"
            label={{ text: 'What changed (optional)', size: 's' }}
            hint={{ text: 'Shown in the plan’s history' }}
            rows={2}
            value={summary}
            onChange={setSummary}
          />
          <Button text="Submit for approval" disabled={busy} />
        </form>
      )}
    </>
  );
}

function problemList(error: unknown, href?: string): ErrorSummaryItem[] {
  if (!(error instanceof ApiProblem)) return [{ text: 'Something went wrong. Try again.' }];
  if (error.issues.length > 0) return error.issues.map((issue) => ({ text: issue.message, ...(href ? { href } : {}) }));
  return [{ text: error.detail, ...(href ? { href } : {}) }];
}
