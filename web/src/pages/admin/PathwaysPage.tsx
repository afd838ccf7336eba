import { listPathways } from '../../api/admin-api';
import { useLoaded } from '../../app/use-loaded';
import { Table } from '../../components/table/Table';
import { problemText } from './admin-format';

/** The care plan pathways installed (templates/pathways), read-only: a pathway is installed with the platform. */
export function PathwaysPage() {
  const pathways = useLoaded(listPathways, 'pathways');
  return (
    <>
      <h1>Pathways</h1>
      <p>
        Every plan has the core pathway; a pathway plan adds its modules, may shorten the review interval and decides who may publish.
        Pathways are installed with the platform and cannot be changed here.
      </p>
      {pathways.status === 'loading' && <p role="status">Loading pathways…</p>}
      {pathways.status === 'failed' && (
        <p className="nhsuk-error-message">{problemText(pathways.error, 'The pathways could not be loaded.')}</p>
      )}
      {pathways.status === 'loaded' &&
        pathways.value.map((pathway) => (
          <section key={pathway.id} aria-labelledby={`pathway-${pathway.id}`}>
            <h2 id={`pathway-${pathway.id}`}>{pathway.title}</h2>
            <p>
              Review at least every {pathway.reviewMaxMonths} months. Published by{' '}
              {pathway.approval === 'senior' ? 'a senior clinician’s approval' : 'any clinician'}.
            </p>
            <Table
              caption={`Modules of ${pathway.title}`}
              head={['Module', 'Written by', 'Template']}
              rows={pathway.modules.map((module) => [
                module.title,
                module.seniorDecision ? 'Senior clinicians' : module.kind === 'clinical' ? 'Clinicians' : 'Contributors and clinicians',
                <code key="template">{module.templateId}</code>,
              ])}
            />
          </section>
        ))}
    </>
  );
}
