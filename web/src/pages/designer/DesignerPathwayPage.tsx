import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { copyToDraft, pathwayVersions, retire, rollBack } from '../../api/designer-api';
import { Main } from '../../app/Layout';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { BackLink } from '../../components/back-link/BackLink';
import { Button } from '../../components/button/Button';
import { ConfirmAction } from '../../components/confirm-action/ConfirmAction';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { formatDateTime } from '../../format/dates';
import { problemText } from '../admin/admin-format';
import { statusColour, statusText } from './DesignerHomePage';
import { reviewedBy } from './reviewed-by';

/** One pathway's versions, newest first, and what can be done with them: copy into a draft, roll back, retire. */
export function DesignerPathwayPage() {
  const { key = '' } = useParams();
  const navigate = useNavigate();
  const [reload, setReload] = useState(0);
  const versions = useLoaded(() => pathwayVersions(key), `${key}:${reload}`);
  const [asking, setAsking] = useState<'rollback' | 'retire' | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<unknown>, after?: (result: unknown) => void) {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await action();
      setAsking(undefined);
      if (after) after(result);
      else setReload((n) => n + 1);
    } catch (error) {
      setProblem(problemText(error, 'That could not be done. Try again.'));
    } finally {
      setBusy(false);
    }
  }

  if (versions.status === 'loading')
    return (
      <Main>
        <p role="status">Loading the pathway…</p>
      </Main>
    );
  if (versions.status === 'failed')
    return (
      <Main>
        <p>{problemText(versions.error, 'The pathway could not be loaded.')}</p>
      </Main>
    );
  const list = versions.value;
  const newest = list[0];
  const published = list.find((version) => version.status === 'published');
  const open = list.find((version) => version.status === 'draft' || version.status === 'review');
  // A version published before the one in force: what a roll-back would publish again (the server's rule).
  const earlier =
    published &&
    list.find(
      (version) => version.id !== published.id && version.publishedAt !== null && version.publishedAt <= (published.publishedAt ?? ''),
    );
  const title = (published ?? newest)?.definition.title ?? key;
  return (
    <Main>
      <BackLink href="/designer" text="All pathways" />
      {problem && <ErrorSummary errorList={[{ text: problem }]} />}
      <h1>
        <span className="nhsuk-caption-l">Pathway</span>
        {title}
      </h1>
      <Table
        caption="Versions, newest first"
        head={['Version', 'Status', 'Written by', 'Reviewed by', 'Published']}
        rows={list.map((version) => [
          <AppLink key="v" href={`/designer/${key}/versions/${version.version}`}>
            Version {version.version}
          </AppLink>,
          <Tag key="s" text={statusText(version.status)} colour={statusColour(version.status)} />,
          version.author.name,
          reviewedBy(version, list),
          version.publishedAt ? formatDateTime(version.publishedAt) : '—',
        ])}
      />
      {open ? (
        <p>
          Version {open.version} is being worked on:{' '}
          <AppLink href={`/designer/${key}/versions/${open.version}`}>open version {open.version}</AppLink>.
        </p>
      ) : (
        newest && (
          <Button
            type="button"
            text={`Copy version ${(published ?? newest).version} into a new draft`}
            disabled={busy}
            onClick={() =>
              void act(
                () => copyToDraft(key, (published ?? newest).version),
                (draft) => navigate(`/designer/${key}/versions/${(draft as { version: number }).version}/edit`),
              )
            }
          />
        )
      )}
      {published && !earlier && (
        <p>
          Version {published.version} is the first published version: there is nothing to roll back to.
          {!published.definition.core && ' To take it out of use, retire the pathway.'}
        </p>
      )}
      {published && !asking && (earlier || !published.definition.core) && (
        <div className="nhsuk-button-group">
          {earlier && (
            <Button type="button" variant="secondary" text="Roll back to the previous version" onClick={() => setAsking('rollback')} />
          )}
          {!published.definition.core && (
            <Button type="button" variant="warning" text="Retire this pathway" onClick={() => setAsking('retire')} />
          )}
        </div>
      )}
      {asking === 'rollback' && (
        <ConfirmAction
          heading={`Roll back ${title}?`}
          confirmText="Yes, roll back"
          busy={busy}
          onCancel={() => setAsking(undefined)}
          onConfirm={() => void act(() => rollBack(key))}
        >
          <p>The version published before version {published?.version} is published again, as a new version, for everyone at once.</p>
          <p>Plans already written keep reading as they are.</p>
        </ConfirmAction>
      )}
      {asking === 'retire' && (
        <ConfirmAction
          heading={`Retire ${title}?`}
          confirmText="Yes, retire this pathway"
          busy={busy}
          onCancel={() => setAsking(undefined)}
          onConfirm={() => void act(() => retire(key))}
        >
          <p>No new plan can take this pathway. Plans that have it still read.</p>
        </ConfirmAction>
      )}
    </Main>
  );
}
