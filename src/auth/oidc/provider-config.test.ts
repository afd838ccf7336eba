import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OidcConfigError, parseOidcProviders, parseOidcProvidersJson, type OidcProviderInput } from './provider-config.js';
import { CIS2_EXAMPLE, ENTRA_EXAMPLE, KEYCLOAK_EXAMPLE, NHS_RBAC_EXAMPLE_ROLE_TABLE } from './provider-examples.js';

const privateJwk = JSON.stringify({
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  alg: 'ES256',
  kid: 'k1',
});
const env = {
  UCP_OIDC_CIS2_PRIVATE_JWK: privateJwk,
  UCP_OIDC_ENTRA_SECRET: 'entra-secret',
  UCP_OIDC_KEYCLOAK_SECRET: 'keycloak-secret',
};

const minimal: OidcProviderInput = {
  id: 'keycloak',
  displayName: 'Keycloak',
  issuer: 'https://idp.example.org/realms/ucp',
  clientId: 'ucp',
  clientSecret: 's3cret',
  claims: { organisation: { from: 'claim', claim: 'ods_code' }, roles: { from: 'claim', claim: 'roles' } },
};

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseOidcProviders(raw, env);
  } catch (error) {
    if (error instanceof OidcConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('identity provider configuration', () => {
  it('accepts the documented CIS2, Entra and Keycloak examples, reading secrets from the environment', () => {
    const [cis2, entra, keycloak] = parseOidcProviders([CIS2_EXAMPLE, ENTRA_EXAMPLE, KEYCLOAK_EXAMPLE], env);
    expect(cis2).toMatchObject({
      id: 'cis2',
      userInfo: true,
      clientAuthentication: { method: 'private_key_jwt', privateKeyJwk: { kty: 'EC', alg: 'ES256', kid: 'k1' } },
      claims: { organisation: { from: 'nhs-rbac' }, roles: { from: 'nhs-rbac', table: NHS_RBAC_EXAMPLE_ROLE_TABLE } },
    });
    expect(entra).toMatchObject({
      clientAuthentication: { method: 'client_secret_basic', clientSecret: 'entra-secret' },
      claims: { subject: 'oid' },
    });
    expect(keycloak?.claims.roles).toMatchObject({ from: 'claim-table', claim: 'realm_access.roles' });
  });

  it('fills in safe defaults', () => {
    const [provider] = parseOidcProviders([minimal]);
    expect(provider).toEqual({
      ...minimal,
      clientSecret: undefined,
      clientAuthentication: { method: 'client_secret_basic', clientSecret: 's3cret' },
      scopes: ['openid', 'profile', 'email'],
      authorizationParameters: {},
      userInfo: false,
      createUsers: false,
      linkByVerifiedEmail: false,
      allowInsecureHttp: false,
      claims: {
        subject: 'sub',
        displayName: ['name'],
        email: ['email'],
        nhsNumber: undefined,
        professionalRegistrationId: undefined,
        organisation: { from: 'claim', claim: 'ods_code' },
        roles: { from: 'claim', claim: 'roles' },
        nhsRbac: { rolesClaim: 'nhsid_nrbac_roles', selectedRoleClaim: 'selected_roleid' },
      },
    });
    expect(parseOidcProviders([{ ...minimal, scopes: ['profile'] }])[0]?.scopes).toEqual(['openid', 'profile']);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf([
      {
        ...minimal,
        id: 'Bad Id',
        issuer: 'http://idp.example.org',
        authorizationParameters: { state: 'fixed', prompt: 'login' },
        claims: {
          organisation: { from: 'fixed', odsCode: 'lower' },
          roles: { from: 'claim-table', claim: 'groups', table: { g1: ['wizard'] } },
        },
      },
      { ...minimal, clientSecret: undefined, clientSecretEnv: 'UCP_MISSING' },
    ]);
    expect(problems).toEqual([
      '[0].id must be 1 to 32 lower-case letters, digits or hyphens (it appears in URLs)',
      '[0].issuer must be an https URL (http is allowed only with allowInsecureHttp, for development)',
      '[0].authorizationParameters.state is set by the sign-in itself and cannot be configured',
      '[0].claims.organisation.odsCode must be an ODS code (3 to 10 capital letters or digits)',
      expect.stringMatching(/^\[0\]\.claims\.roles\.table\.g1 must be one or more of viewer, contributor/),
      '[1].clientSecretEnv names the environment variable UCP_MISSING, which is not set',
    ]);
  });

  it('allows an http issuer only when asked to (the dev IdP on localhost)', () => {
    expect(parseOidcProviders([{ ...minimal, issuer: 'http://127.0.0.1:8080/dev-idp', allowInsecureHttp: true }])[0]?.issuer).toBe(
      'http://127.0.0.1:8080/dev-idp',
    );
  });

  it('refuses duplicate ids, unknown sources and a private key without its private part', () => {
    expect(problemsOf([minimal, minimal])).toEqual(["two providers have the id 'keycloak'"]);
    expect(problemsOf([{ ...minimal, claims: { organisation: { from: 'guess' }, roles: { from: 'platform' } } }])).toEqual([
      '[0].claims.organisation.from must be claim, fixed or nhs-rbac',
    ]);
    expect(
      problemsOf([{ ...minimal, clientAuthentication: 'private_key_jwt', privateKeyJwk: { kty: 'EC', alg: 'ES256', x: '1', y: '2' } }]),
    ).toEqual(['[0].privateKeyJwk must be a private JWK with kty, alg and d']);
  });

  it('takes a record system that launches the web app as a SMART app by its FHIR server, one provider per server', () => {
    const fhirBaseUrl = 'https://gp-system.example.org/fhir/r4';
    const [provider] = parseOidcProviders([{ ...minimal, smartLaunch: { fhirBaseUrl } }]);
    expect(provider?.smartLaunch).toEqual({ fhirBaseUrl });
    expect(problemsOf([{ ...minimal, smartLaunch: { fhirBaseUrl: 'http://gp-system.example.org/fhir' } }])).toEqual([
      '[0].smartLaunch.fhirBaseUrl must be an https URL (http is allowed only with allowInsecureHttp, for development)',
    ]);
    expect(problemsOf([{ ...minimal, smartLaunch: { fhirBaseUrl: `${fhirBaseUrl}/` } }])).toEqual([
      '[0].smartLaunch.fhirBaseUrl must not end with a slash (it is compared with the launch’s iss as sent)',
    ]);
    expect(
      problemsOf([
        { ...minimal, smartLaunch: { fhirBaseUrl } },
        { ...minimal, id: 'other', smartLaunch: { fhirBaseUrl } },
      ]),
    ).toEqual([`two providers launch from ${fhirBaseUrl}`]);
  });

  it('reads a JSON list and says when it is not JSON or not a list', () => {
    expect(parseOidcProvidersJson(JSON.stringify([minimal]))).toHaveLength(1);
    expect(() => parseOidcProvidersJson('{')).toThrow(/not valid JSON/);
    expect(() => parseOidcProvidersJson('{}')).toThrow(/must be a JSON array/);
  });
});
