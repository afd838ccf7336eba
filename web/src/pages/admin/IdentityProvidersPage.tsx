import { listIdentityProviders, type IdentityProviderSettings } from '../../api/admin-api';
import { useLoaded } from '../../app/use-loaded';
import { SummaryList } from '../../components/summary-list/SummaryList';
import { problemText, roleNames } from './admin-format';

function rows(provider: IdentityProviderSettings) {
  const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
  return [
    { key: { text: 'Issuer' }, value: { text: provider.issuer } },
    { key: { text: 'Client id' }, value: { text: provider.clientId } },
    { key: { text: 'Client authentication' }, value: { text: provider.clientAuthentication } },
    { key: { text: 'Scopes' }, value: { text: provider.scopes.join(' ') } },
    { key: { text: 'Organisation from' }, value: { text: provider.organisationFrom } },
    { key: { text: 'Roles from' }, value: { text: provider.rolesFrom } },
    ...(provider.roleTable
      ? [
          {
            key: { text: 'Role table' },
            value: {
              children: (
                <ul className="nhsuk-list">
                  {Object.entries(provider.roleTable).map(([value, roles]) => (
                    <li key={value}>
                      <code>{value}</code>: {roleNames(roles)}
                    </li>
                  ))}
                </ul>
              ),
            },
          },
        ]
      : []),
    { key: { text: 'Creates users at first sign-in' }, value: { text: yesNo(provider.createUsers) } },
    { key: { text: 'Links by verified email' }, value: { text: yesNo(provider.linkByVerifiedEmail) } },
    ...(provider.allowInsecureHttp ? [{ key: { text: 'Development only' }, value: { text: 'Allows plain http' } }] : []),
  ];
}

/** The single sign-on providers in force, read-only: they are configured in UCP_OIDC_PROVIDERS. */
export function IdentityProvidersPage() {
  const providers = useLoaded(listIdentityProviders, 'identity-providers');
  return (
    <>
      <h1>Identity providers</h1>
      <p>
        People sign in with these single sign-on services. They are set in the installation’s configuration (UCP_OIDC_PROVIDERS); secrets
        are never shown.
      </p>
      {providers.status === 'loading' && <p role="status">Loading identity providers…</p>}
      {providers.status === 'failed' && (
        <p className="nhsuk-error-message">{problemText(providers.error, 'The identity providers could not be loaded.')}</p>
      )}
      {providers.status === 'loaded' && providers.value.length === 0 && (
        <p>No single sign-on is configured: people sign in with local accounts.</p>
      )}
      {providers.status === 'loaded' &&
        providers.value.map((provider) => (
          <section key={provider.id} aria-labelledby={`provider-${provider.id}`}>
            <h2 id={`provider-${provider.id}`}>{provider.displayName}</h2>
            <SummaryList rows={rows(provider)} />
          </section>
        ))}
    </>
  );
}
