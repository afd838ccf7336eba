import { listOrganisations } from '../../api/admin-api';
import { useLoaded } from '../../app/use-loaded';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { problemText } from './admin-format';

/** The organisations taking part; only those meeting data security standards may see plans. */
export function OrganisationsPage() {
  const organisations = useLoaded(listOrganisations, 'organisations');
  return (
    <>
      <h1>Organisations</h1>
      <p>Only organisations whose Data Security and Protection Toolkit status is “standards met” may see plans.</p>
      {organisations.status === 'loading' && <p role="status">Loading organisations…</p>}
      {organisations.status === 'failed' && (
        <p className="nhsuk-error-message">{problemText(organisations.error, 'The organisations could not be loaded.')}</p>
      )}
      {organisations.status === 'loaded' && (
        <Table
          caption="Organisations taking part"
          head={['Organisation', 'ODS code', 'Kind', 'Integrated care system', 'Data security']}
          rows={organisations.value.map((organisation) => [
            organisation.name,
            organisation.odsCode,
            organisation.kind.replace(/-/g, ' '),
            organisation.ics,
            <Tag
              key="dspt"
              text={organisation.dataSecurityStatus.replace(/-/g, ' ')}
              colour={organisation.dataSecurityStatus === 'standards-met' ? 'green' : 'red'}
            />,
          ])}
        />
      )}
    </>
  );
}
