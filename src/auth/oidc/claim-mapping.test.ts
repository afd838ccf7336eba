import { describe, expect, it } from 'vitest';
import { claimValue, mapClaims } from './claim-mapping.js';
import { OidcLoginError } from './oidc-login-error.js';
import { parseOidcProviders, type OidcProviderInput } from './provider-config.js';
import { CIS2_EXAMPLE, ENTRA_EXAMPLE, KEYCLOAK_EXAMPLE } from './provider-examples.js';

function mappingOf(input: Omit<OidcProviderInput, 'clientSecret' | 'clientSecretEnv' | 'privateKeyJwkEnv'>) {
  const [provider] = parseOidcProviders([{ ...input, clientAuthentication: 'none' }]);
  if (!provider) throw new Error('no provider');
  return provider.claims;
}

function refusal(run: () => unknown): { code: string; detail: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof OidcLoginError) return { code: error.code, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}

const direct = mappingOf({
  id: 'direct',
  displayName: 'Direct',
  issuer: 'https://idp.example.org',
  clientId: 'ucp',
  claims: {
    nhsNumber: 'nhs_number',
    professionalRegistrationId: 'gmc',
    organisation: { from: 'claim', claim: 'ods_code' },
    roles: { from: 'claim', claim: 'roles' },
  },
});

const person = {
  sub: 'u-1',
  name: 'Dr Alex Clinician',
  email: 'alex@example.org',
  email_verified: true,
  ods_code: 'demogp1',
  roles: ['clinician', 'wizard'],
  gmc: '1234567',
};

describe('claim mapping', () => {
  it('maps direct claims, normalising the ODS code and ignoring role names it does not know', () => {
    expect(mapClaims(direct, person)).toEqual({
      subject: 'u-1',
      displayName: 'Dr Alex Clinician',
      email: 'alex@example.org',
      emailVerified: true,
      nhsNumber: undefined,
      professionalRegistrationId: '1234567',
      odsCode: 'DEMOGP1',
      roles: ['clinician'],
      ignoredRoleValues: ['wizard'],
    });
    expect(mapClaims(direct, { ...person, roles: 'viewer contributor' }).roles).toEqual(['viewer', 'contributor']);
  });

  it('takes the organisation and job role of the role selected in CIS2, through the RBAC table', () => {
    const claims = {
      sub: '910000000001',
      name: 'Jackie Clark',
      email: 'jackie.clark@nhs.example',
      selected_roleid: '555254242102',
      nhsid_nrbac_roles: [
        { person_roleid: '555254240100', org_code: 'RRU', role_code: 'S8001:G8005:R8008', role_name: 'Admin' },
        { person_roleid: '555254242102', org_code: 'rba', role_code: 'S8000:G8000:R8000', role_name: 'Clinical Practitioner Access Role' },
      ],
    };
    const mapped = mapClaims(mappingOf(CIS2_EXAMPLE), claims);
    expect(mapped).toMatchObject({ subject: '910000000001', odsCode: 'RBA', roles: ['senior-clinician'] });

    const nurse = {
      ...claims,
      selected_roleid: undefined,
      nhsid_nrbac_roles: [{ person_roleid: '1', org_code: 'RRU', role_code: 'S8000:G8000:R8001' }],
    };
    expect(mapClaims(mappingOf(CIS2_EXAMPLE), nurse)).toMatchObject({ odsCode: 'RRU', roles: ['clinician'] });
  });

  it('refuses CIS2 claims that do not say which role was chosen, or a job role the table does not map', () => {
    const cis2 = mappingOf(CIS2_EXAMPLE);
    const base = { sub: 's', name: 'N', email: 'n@nhs.example' };
    const roles = [
      { person_roleid: '1', org_code: 'RRU', role_code: 'S8000:G8000:R8000' },
      { person_roleid: '2', org_code: 'RBA', role_code: 'S8000:G8000:R8001' },
    ];
    expect(refusal(() => mapClaims(cis2, { ...base, nhsid_nrbac_roles: roles }))).toMatchObject({ code: 'claims-missing' });
    expect(refusal(() => mapClaims(cis2, { ...base, nhsid_nrbac_roles: roles, selected_roleid: '9' }))).toMatchObject({
      code: 'claims-missing',
    });
    expect(
      refusal(() =>
        mapClaims(cis2, { ...base, nhsid_nrbac_roles: [{ person_roleid: '1', org_code: 'RRU', role_code: 'S0080:G0450:R5080' }] }),
      ),
    ).toEqual({ code: 'unmapped-role', detail: 'the identity provider gives only R5080, none of which maps to a role here' });
  });

  it('translates Entra app roles through a table, for the organisation the provider is fixed to', () => {
    const claims = { oid: 'abc', name: 'Jo', preferred_username: 'jo@hospice.example', roles: ['UCP.Clinician', 'Other.App'] };
    expect(mapClaims(mappingOf(ENTRA_EXAMPLE), claims)).toMatchObject({
      subject: 'abc',
      email: 'jo@hospice.example',
      odsCode: 'H1234',
      roles: ['clinician'],
      ignoredRoleValues: ['Other.App'],
    });
  });

  it('reads Keycloak realm roles by a dotted path, but a claim whose name has dots is found whole first', () => {
    const claims = {
      sub: 'k',
      name: 'Kit',
      email: 'kit@care.example',
      ods_code: ['DEMOCH1'],
      realm_access: { roles: ['ucp-contributor', 'offline_access'] },
    };
    expect(mapClaims(mappingOf(KEYCLOAK_EXAMPLE), claims)).toMatchObject({ odsCode: 'DEMOCH1', roles: ['contributor'] });
    expect(claimValue({ 'realm_access.roles': 'whole', realm_access: { roles: 'path' } }, 'realm_access.roles')).toBe('whole');
    expect(claimValue({ a: { b: null } }, 'a.b.c')).toBeUndefined();
  });

  it('refuses a sign-in without an organisation, with an ODS code that is not one, or with no role', () => {
    expect(refusal(() => mapClaims(direct, { ...person, ods_code: undefined }))).toMatchObject({ code: 'unknown-organisation' });
    expect(refusal(() => mapClaims(direct, { ...person, ods_code: 'not an ods code' }))).toMatchObject({ code: 'unknown-organisation' });
    expect(refusal(() => mapClaims(direct, { ...person, roles: [] }))).toEqual({
      code: 'unmapped-role',
      detail: 'the identity provider gives no roles, none of which maps to a role here',
    });
  });

  it('needs a subject, a display name and an email address', () => {
    expect(refusal(() => mapClaims(direct, { ...person, sub: '' }))).toMatchObject({ code: 'claims-missing' });
    expect(refusal(() => mapClaims(direct, { ...person, name: undefined }))).toMatchObject({ code: 'claims-missing' });
    expect(refusal(() => mapClaims(direct, { ...person, email: 'not-an-address' }))).toMatchObject({ code: 'claims-missing' });
  });

  it('gives the role patient only alone and with a valid NHS number', () => {
    const patient = { ...person, roles: ['patient'], nhs_number: '999 000 0018' };
    expect(mapClaims(direct, patient)).toMatchObject({ roles: ['patient'], nhsNumber: '9990000018' });
    expect(refusal(() => mapClaims(direct, { ...patient, nhs_number: '9990000019' }))).toMatchObject({ code: 'claims-missing' });
    expect(refusal(() => mapClaims(direct, { ...patient, roles: ['patient', 'clinician'] }))).toMatchObject({ code: 'unmapped-role' });
  });

  it('leaves the roles to the platform when the provider only authenticates', () => {
    const platform = mappingOf({
      id: 'p',
      displayName: 'P',
      issuer: 'https://idp.example.org',
      clientId: 'c',
      claims: { organisation: { from: 'fixed', odsCode: 'RRU' }, roles: { from: 'platform' } },
    });
    expect(mapClaims(platform, person)).toMatchObject({ odsCode: 'RRU', roles: 'platform' });
  });
});
