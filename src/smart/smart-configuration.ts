import { SMART_CONTEXT_SCOPES, SMART_RESOURCE_SCOPES } from './smart-scopes.js';

/** `/.well-known/smart-configuration` (SMART App Launch 2 §"Conformance") for the authorization server at `issuer`. */
export function smartConfiguration(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    introspection_endpoint: `${issuer}/token/introspection`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'ES384', 'RS256', 'RS384'],
    scopes_supported: [...SMART_CONTEXT_SCOPES, ...SMART_RESOURCE_SCOPES],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-asymmetric',
      'context-ehr-patient',
      'context-standalone-patient',
      'context-banner',
      'sso-openid-connect',
      'permission-v1',
      'permission-v2',
      'permission-patient',
      'permission-user',
      'permission-offline',
    ],
  };
}
