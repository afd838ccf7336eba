import { useState } from 'react';
import { disableClient, listClients, rotateClientSecret, type ClientWithSecret, type MachineClient } from '../../api/admin-api';
import { useLoaded } from '../../app/use-loaded';
import { Button } from '../../components/button/Button';
import { ConfirmAction } from '../../components/confirm-action/ConfirmAction';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { Table } from '../../components/table/Table';
import { Tag } from '../../components/tag/Tag';
import { formatDateTime } from '../../format/dates';
import { problemText, roleNames } from './admin-format';
import { SecretOnce } from './SecretOnce';

type Asking = { action: 'rotate' | 'disable'; client: MachineClient };

const QUESTIONS = {
  rotate: {
    heading: (name: string) => `Give ${name} a new secret?`,
    text: 'The current secret stops working at once: the client cannot get new tokens until its configuration has the new one.',
    yes: 'Yes, rotate the secret',
  },
  disable: {
    heading: (name: string) => `Disable ${name}?`,
    text: 'It gets no new tokens from now on, and the tokens it holds stop working within seconds. A disabled client stays disabled.',
    yes: 'Yes, disable this client',
  },
};

/** Machine clients (platform administrators): what each may do, rotating a secret and disabling, each asked first. */
export function ClientsPage() {
  const [version, setVersion] = useState(0);
  const [asking, setAsking] = useState<Asking | undefined>();
  const [secret, setSecret] = useState<ClientWithSecret | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const clients = useLoaded(listClients, `clients-${version}`);

  async function apply({ action, client }: Asking) {
    try {
      if (action === 'rotate') setSecret(await rotateClientSecret(client.clientId));
      else await disableClient(client.clientId);
      setProblem(undefined);
    } catch (failure) {
      setProblem(problemText(failure, 'Nothing was changed. Try again.'));
    }
    setAsking(undefined);
    setVersion((current) => current + 1);
  }

  return (
    <>
      <h1>Machine clients</h1>
      <p>Record systems and integrations call the APIs as clients, with a secret, for one organisation, with limited roles and scopes.</p>
      <Button href="/admin/clients/new" text="Register a client" variant="secondary" />
      {problem && <ErrorSummary errorList={[{ text: problem }]} />}
      {secret && <SecretOnce created={secret} />}
      {asking && (
        <ConfirmAction
          heading={QUESTIONS[asking.action].heading(asking.client.name)}
          confirmText={QUESTIONS[asking.action].yes}
          onConfirm={() => void apply(asking)}
          onCancel={() => setAsking(undefined)}
        >
          <p>{QUESTIONS[asking.action].text}</p>
        </ConfirmAction>
      )}
      {clients.status === 'loading' && <p role="status">Loading clients…</p>}
      {clients.status === 'failed' && (
        <ErrorSummary errorList={[{ text: problemText(clients.error, 'The clients could not be loaded.') }]} />
      )}
      {clients.status === 'loaded' && <ClientTable clients={clients.value} onAsk={setAsking} />}
    </>
  );
}

function ClientTable({ clients, onAsk }: { clients: readonly MachineClient[]; onAsk(asking: Asking): void }) {
  if (clients.length === 0) return <p>No clients are registered.</p>;
  return (
    <Table
      caption="Registered clients"
      head={['Client', 'Organisation', 'Roles and scopes', 'Status', 'Actions']}
      rows={clients.map((client) => [
        <span key="name">
          {client.name}
          <br />
          <code>{client.clientId}</code>
        </span>,
        client.organisation ?? 'Platform-wide',
        `${roleNames(client.roles) || 'No roles'}; ${client.scopes.join(' ') || 'no scopes'}`,
        client.status === 'active' ? (
          <Tag key="status" text="Active" colour="green" />
        ) : (
          <span key="status">
            <Tag text="Disabled" colour="grey" /> {formatDateTime(client.disabledAt)}
          </span>
        ),
        client.bootstrap ? (
          'Set by the installation (UCP_BOOTSTRAP_CLIENT_ID)'
        ) : client.status === 'active' ? (
          <div key="actions" className="nhsuk-button-group">
            <Button small type="button" variant="secondary" onClick={() => onAsk({ action: 'rotate', client })}>
              Rotate secret<span className="nhsuk-u-visually-hidden"> of {client.name}</span>
            </Button>
            <Button small type="button" variant="warning" onClick={() => onAsk({ action: 'disable', client })}>
              Disable<span className="nhsuk-u-visually-hidden"> {client.name}</span>
            </Button>
          </div>
        ) : (
          'None'
        ),
      ])}
    />
  );
}
