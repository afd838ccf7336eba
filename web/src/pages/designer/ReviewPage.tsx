import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { pathwayVersions, reviewVersion, versionDiff, type DefinitionChange } from '../../api/designer-api';
import { Main } from '../../app/Layout';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { Radios } from '../../components/radios/Radios';
import { Table } from '../../components/table/Table';
import { Textarea } from '../../components/textarea/Textarea';
import { problemText } from '../admin/admin-format';
import { NotLoaded } from './NotLoaded';

/** A JSON pointer with its escapes undone: a FLAT path in a key reads as the path it is. */
const readablePointer = (pointer: string): string => pointer.replaceAll('~1', '/').replaceAll('~0', '~');

/**
 * The second designer's review: every change from the version this one was based on (or the one
 * in force; for a first version, from nothing), field by field in plain language as the server words it (modules, sections and
 * fields by their labels, rules as the editor says them), with where it is in the definition;
 * then approve, or return it to its author with a note.
 */
export function ReviewPage() {
  const { key = '', version = '' } = useParams();
  const navigate = useNavigate();
  const loaded = useLoaded(async () => {
    const versions = await pathwayVersions(key);
    const current = versions.find((candidate) => candidate.version === Number(version));
    const published = versions.find((candidate) => candidate.status === 'published');
    const basedOn = versions.find((candidate) => candidate.id === current?.basedOn);
    const from = basedOn ?? published ?? versions.find((candidate) => candidate.version < Number(version));
    // A first version is compared with nothing (version 0): the reviewer reads all it holds.
    const changes: DefinitionChange[] = await versionDiff(key, from?.version ?? 0, Number(version));
    return { current, from: from?.version, changes };
  }, `${key}:${version}`);
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<ErrorSummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  async function send() {
    if (outcome === '') return setProblems([{ text: 'Select whether you approve this version', href: '#review-outcome' }]);
    if (outcome === 'return' && note.trim() === '')
      return setProblems([{ text: 'Enter a note saying what to change', href: '#review-note' }]);
    setBusy(true);
    try {
      await reviewVersion(key, Number(version), outcome === 'approve' ? 'approve' : 'return', note);
      navigate(`/designer/${key}/versions/${version}`);
    } catch (error) {
      setProblems([{ text: problemText(error, 'The review could not be saved. Try again.') }]);
    } finally {
      setBusy(false);
    }
  }

  if (loaded.status !== 'loaded')
    return <NotLoaded loaded={loaded} loading="Loading the changes…" failed="The changes could not be loaded." />;
  const { current, from, changes } = loaded.value;
  return (
    <Main>
      <BackLink href={`/designer/${key}/versions/${version}`} text={`Back to version ${version}`} />
      {problems.length > 0 && <ErrorSummary errorList={problems} />}
      <h1>
        <span className="nhsuk-caption-l">{current?.definition.title ?? key}</span>
        Review version {version}
      </h1>
      <p>
        Written by {current?.author.name ?? 'another designer'}.{' '}
        {from
          ? `The changes from version ${from}, field by field.`
          : 'This is the pathway’s first version: everything in it, field by field.'}{' '}
        <AppLink href={`/designer/${key}/versions/${version}/preview`}>Preview the forms</AppLink>.
      </p>
      {changes.length === 0 ? (
        <p>Nothing changed.</p>
      ) : (
        <div className="app-diff">
          <Table
            caption={`Changes in version ${version}`}
            head={['What changed', 'Where in the definition']}
            rows={changes.map((change) => [change.description, <code key="path">{readablePointer(change.path)}</code>])}
          />
        </div>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <Radios
          idPrefix="review-outcome"
          fieldset={{ legend: { text: 'Your review', size: 'm' } }}
          items={[
            { value: 'approve', text: 'Approve: it can be published' },
            { value: 'return', text: 'Return it to the author with a note' },
          ]}
          value={outcome}
          onChange={setOutcome}
        />
        <Textarea id="review-note" label={{ text: 'Note (needed to return it)' }} rows={3} value={note} onChange={setNote} />
        <Button text={busy ? 'Sending…' : 'Send the review'} disabled={busy} />
      </form>
    </Main>
  );
}
