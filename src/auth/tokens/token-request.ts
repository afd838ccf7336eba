import { OAuth2Error } from './oauth2-error.js';

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** The token request's parameters; RFC 6749 §3.2 forbids repeating one, and an empty one counts as absent. */
export function parseTokenRequestForm(body: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (seen.has(name)) throw new OAuth2Error('invalid_request', `The parameter ${JSON.stringify(name)} is repeated.`);
    seen.add(name);
    if (value !== '') Object.defineProperty(parameters, name, { value, enumerable: true, writable: true });
  }
  return parameters;
}

export interface ClientCredentials {
  clientId: string;
  secret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

/**
 * The client's id and secret from HTTP Basic (`client_secret_basic`) or from the form
 * (`client_secret_post`). Using both at once, or neither, is refused as RFC 6749 §2.3 says.
 */
export function clientCredentialsOf(
  authorization: string | undefined,
  parameters: Readonly<Record<string, string | undefined>>,
): ClientCredentials {
  const postedId = parameters['client_id'];
  const postedSecret = parameters['client_secret'];
  if (authorization !== undefined && authorization.trim() !== '') {
    const basic = basicCredentials(authorization);
    if (postedSecret !== undefined) {
      throw new OAuth2Error(
        'invalid_request',
        'The client authenticated twice (HTTP Basic and client_secret in the body); use one method.',
      );
    }
    if (postedId !== undefined && postedId !== basic.clientId) {
      throw new OAuth2Error('invalid_request', 'client_id in the body differs from the client in the Authorization header.');
    }
    return { ...basic, method: 'client_secret_basic' };
  }
  if (postedId === undefined || postedSecret === undefined) {
    throw new OAuth2Error(
      'invalid_client',
      'The client did not authenticate: send HTTP Basic credentials, or client_id and client_secret in the body.',
    );
  }
  return { clientId: postedId, secret: postedSecret, method: 'client_secret_post' };
}

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

function basicCredentials(authorization: string): { clientId: string; secret: string } {
  const match = BASIC.exec(authorization.trim());
  if (!match?.[1]) {
    const scheme = authorization.trim().split(' ', 1)[0] ?? '';
    if (scheme.toLowerCase() !== 'basic') {
      throw new OAuth2Error('invalid_client', `The Authorization scheme ${JSON.stringify(scheme)} is not accepted here; use HTTP Basic.`);
    }
    throw new OAuth2Error('invalid_request', 'The HTTP Basic credentials are not valid base64.');
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuth2Error('invalid_request', 'The HTTP Basic credentials lack the ":" between client id and secret.');
  // RFC 6749 §2.3.1: both halves are form-encoded before they are joined and base64-encoded.
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === '' || secret === '') throw new OAuth2Error('invalid_client', 'The HTTP Basic credentials lack a client id or secret.');
  return { clientId, secret };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    throw new OAuth2Error('invalid_request', 'The HTTP Basic credentials are not form-encoded correctly.');
  }
}
