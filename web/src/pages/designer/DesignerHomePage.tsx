import { designedPathways } from '../../api/designer-api';
import { Main } from '../../app/Layout';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { problemText } from '../admin/admin-format';

/** The pathway designer's start: every pathway, the version in force and the one being worked on. */
export function DesignerHomePage() {
  const pathways = useLoaded(designedPathways, 'designer-pathways');
  return (
    <Main>
      <h1>Pathway designer</h1>
      <p>
        Change what a pathway’s plan asks for: labels and help in plain language, required fields, rules and prefills. A change is a new
        version: another designer reviews it before it is published, and publishing takes effect for everyone at once.
      </p>
      <p>
        What each section of a plan records is its template:{' '}
        <AppLink href="/designer/templates">templates and the template composer</AppLink>.
      </p>
      {pathways.status === 'loading' && <p role="status">Loading pathways…</p>}
      {pathways.status === 'failed' && (
        <p className="nhsuk-error-message">{problemText(pathways.error, 'The pathways could not be loaded.')}</p>
      )}
      {pathways.status === 'loaded' && (
        <Table
          caption="Pathways"
          head={['Pathway', 'Published version', 'Latest version', 'Being worked on']}
          rows={pathways.value.map((pathway) => [
            <AppLink key="title" href={`/designer/${pathway.key}`}>
              {pathway.title}
            </AppLink>,
            pathway.published === null ? 'None' : `Version ${pathway.published}`,
            `Version ${pathway.latest}`,
            pathway.open ? (
              <span key="open">
                Version {pathway.open.version} <Tag text={statusText(pathway.open.status)} colour={statusColour(pathway.open.status)} />
              </span>
            ) : (
              'Nothing'
            ),
          ])}
        />
      )}
    </Main>
  );
}

export function statusText(status: string): string {
  return status === 'review' ? 'In review' : status.charAt(0).toUpperCase() + status.slice(1);
}

export function statusColour(status: string): 'green' | 'blue' | 'yellow' | 'grey' {
  return status === 'published' ? 'green' : status === 'review' ? 'yellow' : status === 'draft' ? 'blue' : 'grey';
}
