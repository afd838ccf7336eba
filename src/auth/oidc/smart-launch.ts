import * as client from 'openid-client';
import { isValidNhsNumber } from '../../nhs/nhs-number.js';
import { describeError, OidcLoginError } from './oidc-login-error.js';

/**
 * The web app as a SMART app (SMART App Launch 2, EHR launch). A record system opens
 * `/auth/oidc/launch?iss=<its FHIR server>&launch=<opaque>`; the sign-in with that record system's
 * authorization server carries `launch` and `aud` and asks for the scopes below; the token
 * response names the patient in context, whose NHS number is read from the record system's own
 * FHIR server with the access token. Nothing here trusts the browser: `iss` only selects a
 * configured provider, and the patient comes from the token response.
 */

/** SMART scopes asked for on top of the provider's own: the launch context and the patient's identity. */
export const SMART_LAUNCH_SCOPES = ['launch', 'fhirUser', 'patient/Patient.rs'] as const;

const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
/** FHIR R4 `id`: what a token response's `patient` must look like before it goes into a URL. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The authorisation request parameters of an EHR launch (SMART App Launch 2 §"Obtain authorization code"). */
export function launchAuthorizationParameters(fhirBaseUrl: string, launch: string): Record<string, string> {
  return { launch, aud: fhirBaseUrl };
}

/**
 * Refuses a launch when the record system's SMART configuration names another authorization
 * server than the provider it is configured with: the sign-in would otherwise go somewhere the
 * record system does not vouch for.
 */
export async function confirmLaunchServer(configuration: client.Configuration, fhirBaseUrl: string, timeoutSeconds: number): Promise<void> {
  const expected = configuration.serverMetadata().authorization_endpoint;
  let advertised: unknown;
  try {
    const response = await fetch(`${fhirBaseUrl}/.well-known/smart-configuration`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    advertised = ((await response.json()) as { authorization_endpoint?: unknown }).authorization_endpoint;
  } catch (error) {
    throw new OidcLoginError('identity-provider-unavailable', `the SMART configuration of ${fhirBaseUrl}: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (advertised !== expected) {
    throw new OidcLoginError(
      'identity-provider-error',
      `${fhirBaseUrl} authorises at ${String(advertised)}, not at its configured provider's ${String(expected)}`,
    );
  }
}

/** The NHS number of the patient the token response puts in context, read from the record system's Patient. */
export async function launchedNhsNumber(
  configuration: client.Configuration,
  tokens: client.TokenEndpointResponse,
  fhirBaseUrl: string,
): Promise<string> {
  const patient = tokens['patient'];
  if (typeof patient !== 'string' || !FHIR_ID.test(patient)) {
    throw new OidcLoginError('claims-missing', 'the launch gave no patient in context (the token response has no valid "patient")');
  }
  const url = new URL(`${fhirBaseUrl}/Patient/${patient}`);
  let resource: unknown;
  try {
    const response = await client.fetchProtectedResource(
      configuration,
      tokens.access_token,
      url,
      'GET',
      undefined,
      new Headers({ accept: 'application/fhir+json' }),
    );
    if (!response.ok) throw new Error(`Patient/${patient} answered ${response.status}`);
    resource = await response.json();
  } catch (error) {
    throw new OidcLoginError('identity-provider-unavailable', `reading the launched patient from ${fhirBaseUrl}: ${describeError(error)}`, {
      cause: error,
    });
  }
  const nhsNumber = nhsNumberOf(resource);
  if (nhsNumber === undefined) {
    throw new OidcLoginError('claims-missing', `Patient/${patient} at ${fhirBaseUrl} has no valid NHS number (${NHS_NUMBER_SYSTEM})`);
  }
  return nhsNumber;
}

function nhsNumberOf(resource: unknown): string | undefined {
  if (typeof resource !== 'object' || resource === null || (resource as { resourceType?: unknown }).resourceType !== 'Patient')
    return undefined;
  const identifiers = (resource as { identifier?: unknown }).identifier;
  if (!Array.isArray(identifiers)) return undefined;
  const values = identifiers.flatMap((identifier: unknown) => {
    if (typeof identifier !== 'object' || identifier === null) return [];
    const { system, value } = identifier as { system?: unknown; value?: unknown };
    return system === NHS_NUMBER_SYSTEM && typeof value === 'string' ? [value.replace(/\s/g, '')] : [];
  });
  const valid = [...new Set(values.filter(isValidNhsNumber))];
  // Two different NHS numbers on one Patient is a record to be sorted out, not a guess to make.
  return valid.length === 1 ? valid[0] : undefined;
}
