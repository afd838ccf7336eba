import type { ClientWithSecret } from '../../api/admin-api';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';

/** A client's new secret, shown this once: only its hash is kept. */
export function SecretOnce({ created }: { created: ClientWithSecret }) {
  return (
    <WarningCallout heading={`The secret of ${created.client.name}`}>
      <p>Copy it now into the client’s secure configuration. It will not be shown again; if it is lost, rotate it.</p>
      <p>
        Client id: <code>{created.client.clientId}</code>
      </p>
      <p>
        Secret:{' '}
        <code className="app-secret" aria-label="Client secret">
          {created.secret}
        </code>
      </p>
    </WarningCallout>
  );
}
