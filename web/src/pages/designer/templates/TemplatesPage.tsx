import { composerTemplates } from '../../../api/template-composer-api';
import { Main } from '../../../app/Layout';
import { useLoaded } from '../../../app/use-loaded';
import { AppLink } from '../../../components/app-link';
import { BackLink } from '../../../components/back-link/BackLink';
import { Button } from '../../../components/button/Button';
import { Table } from '../../../components/table/Table';
import { formatDateTime } from '../../../format/dates';
import { NotLoaded } from '../NotLoaded';

/** The template composer's start: every template's current revision, and a new template from archetypes. */
export function TemplatesPage() {
  const templates = useLoaded(composerTemplates, 'composer-templates');
  if (templates.status !== 'loaded') return <NotLoaded loaded={templates} loading="Loading templates…" failed="The templates could not be loaded." />;
  return (
    <Main>
      <BackLink href="/designer" text="Pathway designer" />
      <h1>Templates</h1>
      <p>
        A template says what a section of a plan records: its fields, which are required and what kind of answer each takes. A change is a
        new revision, saved only if every plan already written with the template still reads.
      </p>
      <Button href="/designer/templates/new" text="Make a new template from archetypes" />
      <Table
        caption="Templates"
        head={['Template', 'Current revision', 'Saved by', 'Saved']}
        rows={templates.value.map((template) => [
          <AppLink key="t" href={`/designer/templates/${encodeURIComponent(template.templateId)}/revisions`}>
            {template.concept}
          </AppLink>,
          `Revision ${template.version}`,
          template.uploadedBy?.name ?? 'Installed with the system',
          formatDateTime(template.createdAt),
        ])}
      />
    </Main>
  );
}
