import { useState } from 'react';
import { useParams } from 'react-router';
import { stepVersion, type VersionStep } from '../../api/designer-api';
import { Main } from '../../app/Layout';
import { useSignedIn } from '../../app/session-context';
import { AppLink } from '../../components/app-link';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { InsetText } from '../../components/inset-text/InsetText';
import { SummaryList } from '../../components/summary-list/SummaryList';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';
import { problemText } from '../admin/admin-format';
import { fieldList, labelOf, ruleText } from './design-form';
import { statusColour, statusText } from './DesignerHomePage';
import { NotLoaded } from './NotLoaded';
import { useVersion } from './use-version';

/** One version of a pathway as a clinical designer reads it: its modules, fields, rules, prefills, safety notes and problems. */
export function DesignerVersionPage() {
  const { key = '', version: number = '' } = useParams();
  const session = useSignedIn();
  const [reload, setReload] = useState(0);
  const loaded = useVersion(key, Number(number), reload);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();

  async function step(action: VersionStep, message: string) {
    setBusy(true);
    setProblem(undefined);
    try {
      await stepVersion(key, Number(number), action);
      setDone(message);
      setReload((n) => n + 1);
    } catch (error) {
      setProblem(problemText(error, 'That could not be done. Try again.'));
    } finally {
      setBusy(false);
    }
  }

  if (loaded.status !== 'loaded')
    return <NotLoaded loaded={loaded} loading="Loading the version…" failed="The version could not be loaded." />;
  const { version, formOf } = loaded.value;
  const definition = version.definition;
  const mine = version.author.id === session.user.id;
  const approved = version.status === 'review' && version.review?.outcome === 'approved';
  const base = `/designer/${key}/versions/${version.version}`;
  return (
    <Main>
      <BackLink href={`/designer/${key}`} text={`All versions of ${definition.title}`} />
      {problem && <ErrorSummary errorList={[{ text: problem }]} />}
      {done && (
        <InsetText>
          <p role="status">{done}</p>
        </InsetText>
      )}
      <h1>
        <span className="nhsuk-caption-l">{definition.title}</span>
        Version {version.version} <Tag text={statusText(version.status)} colour={statusColour(version.status)} />
      </h1>
      <SummaryList
        rows={[
          { key: { text: 'Written by' }, value: { text: version.author.name } },
          {
            key: { text: 'Review' },
            value: {
              text: version.review
                ? `${version.review.outcome === 'approved' ? 'Approved' : 'Returned'} by ${version.review.reviewer.name}${version.review.note ? `: ${version.review.note}` : ''}`
                : 'Not reviewed yet',
            },
          },
          {
            key: { text: 'Who may publish a plan' },
            value: { text: definition.approval === 'senior' ? 'A senior clinician' : 'Any clinician' },
          },
          { key: { text: 'Review the plan at least every' }, value: { text: `${definition.reviewMaxMonths} months` } },
        ]}
      />
      {version.problems.length > 0 && (
        <WarningCallout heading="Problems to put right">
          <ul>
            {version.problems.map((item) => (
              <li key={`${item.path}:${item.message}`}>
                {item.message} <span className="nhsuk-u-secondary-text-color">({item.path || 'the whole pathway'})</span>
              </li>
            ))}
          </ul>
        </WarningCallout>
      )}
      <div className="nhsuk-button-group">
        {version.status === 'draft' && mine && <Button href={`${base}/edit`} text="Edit this draft" />}
        <Button href={`${base}/preview`} variant="secondary" text="Preview the forms" />
        {version.status === 'draft' && mine && (
          <Button
            type="button"
            variant="secondary"
            text="Send for review"
            disabled={busy}
            onClick={() => void step('submit', 'Sent for review.')}
          />
        )}
        {version.status === 'review' && !approved && !mine && <Button href={`${base}/review`} text="Review this version" />}
        {approved && (
          <Button
            type="button"
            text="Publish this version"
            disabled={busy}
            onClick={() => void step('publish', 'Published: every user has this version now.')}
          />
        )}
      </div>
      <h2>Clinical safety notes</h2>
      {version.safetyNotes.length === 0 ? (
        <p>No hazards are recorded yet. A version is sent for review only with at least one hazard and its controls.</p>
      ) : (
        <Table
          caption="Hazards and their controls"
          head={['Hazard', 'Controls']}
          rows={version.safetyNotes.map((note) => [note.hazard, note.controls])}
        />
      )}
      {definition.modules.map((module) => {
        const form = formOf(module);
        return (
          <section key={module.id} aria-labelledby={`module-${module.id}`}>
            <h2 id={`module-${module.id}`}>{module.title}</h2>
            <p>
              Template <code>{module.templateId}</code>. {module.seniorDecision ? 'A senior decision.' : ''}
            </p>
            {form ? (
              <Table
                caption={`Fields of ${module.title}`}
                head={['Field', 'Help', 'Required']}
                rows={fieldList(form).map((field) => [
                  field.label,
                  field.help || '—',
                  field.required
                    ? 'Yes'
                    : (module.rules ?? []).some((rule) => rule.then.some((action) => 'require' in action && action.require === field.path))
                      ? 'By a rule'
                      : 'No',
                ])}
              />
            ) : (
              <p>The form of this template is not available.</p>
            )}
            <h3>Rules</h3>
            {(module.rules ?? []).length === 0 ? (
              <p>No rules.</p>
            ) : (
              <ul>
                {(module.rules ?? []).map((rule) => (
                  <li key={rule.id}>{form ? ruleText(form, rule) : rule.id}</li>
                ))}
              </ul>
            )}
            <h3>Prefills</h3>
            {(module.prefill ?? []).length === 0 ? (
              <p>No prefills.</p>
            ) : (
              <ul>
                {(module.prefill ?? []).map((prefill) => (
                  <li key={prefill.path}>
                    “{form ? labelOf(form, prefill.path) : prefill.path}” from{' '}
                    {'demographics' in prefill.from ? (
                      `the person’s ${prefill.from.demographics}`
                    ) : (
                      <>their record (AQL, column {prefill.from.column})</>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <p>
        <AppLink href={`/designer/${key}`}>Back to all versions</AppLink>
      </p>
    </Main>
  );
}
