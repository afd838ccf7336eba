import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import Provider from 'oidc-provider';

/**
 * A GP record system, as far as launching the web app as a SMART app needs one: an authorization
 * server on oidc-provider (authorization code with PKCE, `launch` and `aud` parameters, the patient
 * in the token response), and a FHIR server answering `Patient/<id>` and its SMART configuration.
 * The clinician is already signed in to it, so its interaction pages answer at once, as a record
 * system does when a user clicks "Open urgent care plan".
 */
export interface TestRecordSystem {
  /** The authorization server's issuer. */
  issuer: string;
  /** The FHIR server: what the record system sends as `iss`. */
  fhirBaseUrl: string;
  /** Starts a launch for a patient of the record system; returns the opaque `launch` value. */
  launchFor(patientId: string): string;
  /** The patients its FHIR server holds, by id. */
  patients: Map<string, Record<string, unknown>>;
  /** Every request its FHIR server answered (method, path, status). */
  fhirRequests: { path: string; status: number }[];
  close(): Promise<void>;
}

export interface RecordSystemUser {
  sub: string;
  name: string;
  email: string;
}

export interface RecordSystemClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export async function startTestRecordSystem(user: RecordSystemUser, client: RecordSystemClient): Promise<TestRecordSystem> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fhirBaseUrl = `${origin}/fhir`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const launches = new Map<string, string>();
  const patientOfGrant = new Map<string, string>();
  const provider = await recordSystemProvider({ origin, fhirBaseUrl, privateKey, user, client, patientOfGrant });
  const system: TestRecordSystem = {
    issuer: origin,
    fhirBaseUrl,
    launchFor: (patientId) => {
      const launch = `launch-${launches.size + 1}-${patientId}`;
      launches.set(launch, patientId);
      return launch;
    },
    patients: new Map(),
    fhirRequests: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const fhir = fhirServer(system, fhirBaseUrl, publicKey);
  const interactions = interactionHandler(provider, user, fhirBaseUrl, launches, patientOfGrant);
  const callback = provider.callback();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (path.startsWith('/fhir/')) void fhir(request, response, path.slice('/fhir'.length));
    else if (path.startsWith('/interaction/')) void interactions(request, response);
    else void callback(request, response);
  });
  return system;
}

interface ProviderSettings {
  origin: string;
  fhirBaseUrl: string;
  privateKey: CryptoKey;
  user: RecordSystemUser;
  client: RecordSystemClient;
  patientOfGrant: Map<string, string>;
}

async function recordSystemProvider(settings: ProviderSettings): Promise<Provider> {
  const { fhirBaseUrl, user, client, patientOfGrant } = settings;
  const jwk = { ...(await exportJWK(settings.privateKey)), kid: 'record-system-1', alg: 'RS256', use: 'sig' };
  const provider = new Provider(settings.origin, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    scopes: ['openid', 'profile', 'email', 'fhirUser', 'launch'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'], fhirUser: ['fhirUser'] },
    // The record system's clinician, already signed in there.
    findAccount: async (_ctx, sub) =>
      sub === user.sub
        ? {
            accountId: sub,
            claims: () => ({
              sub,
              name: user.name,
              email: user.email,
              email_verified: true,
              fhirUser: `${fhirBaseUrl}/Practitioner/${sub}`,
            }),
          }
        : undefined,
    extraParams: ['launch', 'aud'],
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['record-system-cookie-key'] },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBaseUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'patient/Patient.rs',
          audience: fhirBaseUrl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const patient = token.kind === 'AccessToken' && token.grantId ? patientOfGrant.get(token.grantId) : undefined;
      return patient ? { patient } : undefined;
    },
  });
  // SMART: the token response names the patient in context beside the access token.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { access_token?: unknown } | undefined;
    if (ctx.method !== 'POST' || !ctx.path.endsWith('/token') || typeof body?.access_token !== 'string') return;
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { patient?: string };
    if (claims.patient) Object.assign(body, { patient: claims.patient });
  });
  return provider;
}

/** Signs the clinician in and grants what the app asked for, remembering which patient the launch was for. */
function interactionHandler(
  provider: Provider,
  user: RecordSystemUser,
  fhirBaseUrl: string,
  launches: Map<string, string>,
  patientOfGrant: Map<string, string>,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    try {
      const details = await provider.interactionDetails(request, response);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(request, response, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: user.sub, clientId: String(details.params['client_id']) });
      grant.addOIDCScope('openid profile email fhirUser launch');
      grant.addResourceScope(fhirBaseUrl, 'patient/Patient.rs');
      const grantId = await grant.save();
      const patient = launches.get(String(details.params['launch']));
      if (patient !== undefined) patientOfGrant.set(grantId, patient);
      await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  };
}

/** `Patient/<id>` for a token whose patient is that id, and the SMART configuration. */
function fhirServer(
  system: TestRecordSystem,
  fhirBaseUrl: string,
  publicKey: CryptoKey,
): (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void> {
  const answer = (response: ServerResponse, path: string, status: number, body: unknown) => {
    system.fhirRequests.push({ path, status });
    response.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));
  };
  return async (request, response, path) => {
    if (path === '/.well-known/smart-configuration') {
      return answer(response, path, 200, {
        issuer: system.issuer,
        authorization_endpoint: `${system.issuer}/auth`,
        token_endpoint: `${system.issuer}/token`,
        capabilities: ['launch-ehr', 'client-confidential-symmetric', 'context-ehr-patient', 'sso-openid-connect'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const claims = token
      ? await jwtVerify(token, publicKey, { audience: fhirBaseUrl }).then(
          ({ payload }) => payload,
          () => undefined,
        )
      : undefined;
    if (!claims) return answer(response, path, 401, { resourceType: 'OperationOutcome' });
    const id = /^\/Patient\/([^/]+)$/.exec(path)?.[1];
    const patient = id === undefined ? undefined : system.patients.get(id);
    if (!patient) return answer(response, path, 404, { resourceType: 'OperationOutcome' });
    if (claims['patient'] !== id) return answer(response, path, 403, { resourceType: 'OperationOutcome' });
    return answer(response, path, 200, patient);
  };
}
