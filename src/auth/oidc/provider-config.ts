import { isRole, ROLES, type Role } from '../../access/roles.js';

/**
 * Where the organisation a person acts for comes from.
 *
 * - `claim`: a claim holding the ODS code (a Keycloak user attribute, an Entra extension
 *   attribute, the dev IdP's `ods_code`).
 * - `fixed`: everyone this provider signs in works for one organisation (a trust's own tenant).
 * - `nhs-rbac`: NHS CIS2: the `org_code` of the national RBAC role the person selected at sign-in.
 */
export type OrganisationMapping = { from: 'claim'; claim: string } | { from: 'fixed'; odsCode: string } | { from: 'nhs-rbac' };

/** External role values (group ids, app roles, RBAC job role codes) to the platform's roles. */
export type RoleTable = Readonly<Record<string, readonly Role[]>>;

/**
 * How a person's roles in that organisation are derived.
 *
 * - `claim`: a claim (array, or space- or comma-separated string) holding role names as
 *   `src/access/roles.ts` spells them; other values are ignored.
 * - `claim-table`: a claim holding external values, translated through `table`; values not in
 *   the table are ignored (an Entra user is in many groups that mean nothing here).
 * - `nhs-rbac`: NHS CIS2: the job role code (the `R…` part of `S…:G…:R…`) of the selected
 *   national RBAC role, translated through `table`.
 * - `platform`: the provider only authenticates; roles are the ones an org-admin gave the user
 *   here, and a user without a membership in the organisation is refused.
 *
 * With any source but `platform`, the identity provider is the authority: at every sign-in the
 * roles it asserts replace the user's roles in that organisation (memberships elsewhere stay).
 */
export type RoleMapping =
  | { from: 'claim'; claim: string }
  | { from: 'claim-table'; claim: string; table: RoleTable }
  | { from: 'nhs-rbac'; table: RoleTable }
  | { from: 'platform' };

/** The claims that carry NHS national RBAC roles (CIS2's names unless configured otherwise). */
export interface NhsRbacClaims {
  /** An array of role objects with `person_roleid`, `org_code` and `role_code`. */
  rolesClaim: string;
  /** The `person_roleid` of the role the person chose at sign-in. */
  selectedRoleClaim: string;
}

/**
 * Which claims say who the person is. A claim name is looked up as it is first; if absent and it
 * contains dots it is read as a path (`realm_access.roles`), so namespaced claim names that
 * contain dots still work.
 */
export interface ClaimMapping {
  /** The stable identifier of the person at this provider, stored in `external_identity`. */
  subject: string;
  /** Candidates in order; the first non-empty one is the display name. */
  displayName: readonly string[];
  /** Candidates in order; the first that looks like an email address is used. */
  email: readonly string[];
  /** A claim holding the person's NHS number (people reading their own plan). */
  nhsNumber: string | undefined;
  /** A claim holding a GMC/NMC/HCPC number, kept on a user created at first sign-in. */
  professionalRegistrationId: string | undefined;
  organisation: OrganisationMapping;
  roles: RoleMapping;
  nhsRbac: NhsRbacClaims;
}

export type ClientAuthentication =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientSecret: string }
  /** A private JWK (with `alg`, and `kid` when the provider holds several keys for the client). */
  | { method: 'private_key_jwt'; privateKeyJwk: PrivateJwk }
  | { method: 'none' };

export interface PrivateJwk {
  kty: string;
  alg: string;
  kid?: string;
  [parameter: string]: unknown;
}

export interface OidcProviderConfig {
  /** Lower-case letters, digits and hyphens; part of the login and callback URLs. */
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientAuthentication: ClientAuthentication;
  /** Always includes `openid`. */
  scopes: readonly string[];
  /** Extra authorisation request parameters, e.g. `acr_values` for CIS2 or `prompt`. */
  authorizationParameters: Readonly<Record<string, string>>;
  /** Also read the UserInfo endpoint and merge its claims over the ID token's. */
  userInfo: boolean;
  /** Create a user at the first sign-in of someone unknown here; otherwise they are refused. */
  createUsers: boolean;
  /**
   * Link a first sign-in to an existing user with the same email address, when the provider says
   * the address is verified (`email_verified: true`). Off by default: an identity provider that
   * lets people choose their address could otherwise take over someone else's account.
   */
  linkByVerifiedEmail: boolean;
  /** Allow an `http:` issuer. Development only (the embedded dev IdP on localhost). */
  allowInsecureHttp: boolean;
  claims: ClaimMapping;
  /**
   * Set when this provider is a record system that launches the web app as a SMART app (SMART App
   * Launch 2, EHR launch): a launch whose `iss` is this FHIR server signs the user in here and
   * opens the person the record system has in context.
   */
  smartLaunch: SmartLaunchConfig | undefined;
}

export interface SmartLaunchConfig {
  /** The record system's FHIR base URL, exactly as it sends it in `iss` (no trailing slash). */
  fhirBaseUrl: string;
}

/** What a configuration file or environment variable holds; defaults fill the gaps. */
export interface OidcProviderInput {
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientAuthentication?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  clientSecret?: string;
  /** The name of an environment variable holding the client secret (keeps secrets out of files). */
  clientSecretEnv?: string;
  privateKeyJwk?: PrivateJwk;
  /** The name of an environment variable holding the private JWK as JSON. */
  privateKeyJwkEnv?: string;
  scopes?: string[];
  authorizationParameters?: Record<string, string>;
  userInfo?: boolean;
  createUsers?: boolean;
  linkByVerifiedEmail?: boolean;
  allowInsecureHttp?: boolean;
  smartLaunch?: { fhirBaseUrl: string };
  claims: {
    subject?: string;
    displayName?: string | string[];
    email?: string | string[];
    nhsNumber?: string;
    professionalRegistrationId?: string;
    organisation: OrganisationMapping;
    roles: RoleMapping;
    nhsRbac?: Partial<NhsRbacClaims>;
  };
}

export class OidcConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid single sign-on configuration: ${problems.join('; ')}`);
    this.name = 'OidcConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const PROVIDER_ID = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const ODS_CODE = /^[A-Z0-9]{3,10}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Parameters the login sets itself; letting configuration override them would undo PKCE or CSRF protection. */
const RESERVED_PARAMETERS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'request',
  'request_uri',
]);
const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;

/** JSON text (e.g. the UCP_OIDC_PROVIDERS variable) to checked provider configurations. */
export function parseOidcProvidersJson(text: string, env: Env = {}): OidcProviderConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new OidcConfigError([`the provider list is not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseOidcProviders(raw, env);
}

/**
 * Checks a list of identity providers and fills in defaults. Every problem is reported at once,
 * each with the path to the offending value, so an operator fixes the file in one go.
 */
export function parseOidcProviders(raw: unknown, env: Env = {}): OidcProviderConfig[] {
  const problems: string[] = [];
  if (!Array.isArray(raw)) throw new OidcConfigError(['the provider list must be a JSON array']);
  const providers = raw.flatMap((item: unknown, index) => {
    const checker = new Checker(`[${index}]`, problems);
    const provider = checkProvider(checker, item, env);
    return provider ? [provider] : [];
  });
  const seen = new Set<string>();
  for (const provider of providers) {
    if (seen.has(provider.id)) problems.push(`two providers have the id '${provider.id}'`);
    seen.add(provider.id);
  }
  const launchedFrom = providers.flatMap((provider) => (provider.smartLaunch ? [provider.smartLaunch.fhirBaseUrl] : []));
  for (const fhirBaseUrl of new Set(launchedFrom)) {
    if (launchedFrom.filter((url) => url === fhirBaseUrl).length > 1) problems.push(`two providers launch from ${fhirBaseUrl}`);
  }
  if (problems.length > 0) throw new OidcConfigError(problems);
  return providers;
}

/** Collects problems under a path; each reader returns undefined for a missing or bad value. */
class Checker {
  constructor(
    readonly path: string,
    private readonly problems: string[],
  ) {}

  at(key: string): Checker {
    return new Checker(`${this.path}.${key}`, this.problems);
  }

  fail(requirement: string): undefined {
    this.problems.push(`${this.path} ${requirement}`);
    return undefined;
  }

  object(value: unknown): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.fail('must be an object');
  }

  string(value: unknown, options: { optional?: boolean; pattern?: RegExp; requirement?: string } = {}): string | undefined {
    if (value === undefined && options.optional) return undefined;
    if (typeof value !== 'string' || value.trim() === '') return this.fail('must be a non-empty string');
    if (options.pattern && !options.pattern.test(value)) return this.fail(options.requirement ?? `must match ${String(options.pattern)}`);
    return value;
  }

  boolean(value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.fail('must be true or false');
    return fallback;
  }

  strings(value: unknown, fallback: readonly string[]): readonly string[] {
    if (value === undefined) return fallback;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
      this.fail('must be a non-empty string or a non-empty array of them');
      return fallback;
    }
    return list as string[];
  }
}

function checkProvider(at: Checker, item: unknown, env: Env): OidcProviderConfig | undefined {
  const input = at.object(item);
  if (!input) return undefined;
  const id = at.at('id').string(input['id'], {
    pattern: PROVIDER_ID,
    requirement: 'must be 1 to 32 lower-case letters, digits or hyphens (it appears in URLs)',
  });
  const displayName = at.at('displayName').string(input['displayName']);
  const allowInsecureHttp = at.at('allowInsecureHttp').boolean(input['allowInsecureHttp'], false);
  const issuer = checkIssuer(at.at('issuer'), input['issuer'], allowInsecureHttp);
  const clientId = at.at('clientId').string(input['clientId']);
  const clientAuthentication = checkClientAuthentication(at, input, env);
  const scopes = checkScopes(at.at('scopes'), input['scopes']);
  const authorizationParameters = checkAuthorizationParameters(at.at('authorizationParameters'), input['authorizationParameters']);
  const userInfo = at.at('userInfo').boolean(input['userInfo'], false);
  const createUsers = at.at('createUsers').boolean(input['createUsers'], false);
  const linkByVerifiedEmail = at.at('linkByVerifiedEmail').boolean(input['linkByVerifiedEmail'], false);
  const claims = checkClaimMapping(at.at('claims'), input['claims']);
  const smartLaunch = checkSmartLaunch(at.at('smartLaunch'), input['smartLaunch'], allowInsecureHttp);
  if (
    id === undefined ||
    displayName === undefined ||
    issuer === undefined ||
    clientId === undefined ||
    clientAuthentication === undefined ||
    claims === undefined
  ) {
    return undefined;
  }
  return {
    id,
    displayName,
    issuer,
    clientId,
    clientAuthentication,
    scopes,
    authorizationParameters,
    userInfo,
    createUsers,
    linkByVerifiedEmail,
    allowInsecureHttp,
    claims,
    smartLaunch,
  };
}

function checkSmartLaunch(at: Checker, value: unknown, allowInsecureHttp: boolean): SmartLaunchConfig | undefined {
  if (value === undefined) return undefined;
  const input = at.object(value);
  if (!input) return undefined;
  const fhirBaseUrl = checkIssuer(at.at('fhirBaseUrl'), input['fhirBaseUrl'], allowInsecureHttp);
  if (fhirBaseUrl === undefined) return undefined;
  if (fhirBaseUrl.endsWith('/'))
    return at.at('fhirBaseUrl').fail('must not end with a slash (it is compared with the launch’s iss as sent)');
  return { fhirBaseUrl };
}

function checkIssuer(at: Checker, value: unknown, allowInsecureHttp: boolean): string | undefined {
  const issuer = at.string(value);
  if (issuer === undefined) return undefined;
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return at.fail('must be an https URL');
  if (url.search !== '' || url.hash !== '') return at.fail('must not have a query or fragment');
  if (url.protocol === 'http:' && !allowInsecureHttp) {
    return at.fail('must be an https URL (http is allowed only with allowInsecureHttp, for development)');
  }
  return issuer;
}

function checkClientAuthentication(at: Checker, input: Record<string, unknown>, env: Env): ClientAuthentication | undefined {
  const methodAt = at.at('clientAuthentication');
  const rawMethod = input['clientAuthentication'] ?? 'client_secret_basic';
  const method = AUTH_METHODS.find((candidate) => candidate === rawMethod);
  if (!method) return methodAt.fail(`must be one of ${AUTH_METHODS.join(', ')}`);
  if (method === 'none') return { method };
  if (SECRET_METHODS.has(method)) {
    const clientSecret = fromEnvOrValue(at, 'clientSecret', input, env);
    if (clientSecret === undefined) return undefined;
    return { method: method === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic', clientSecret };
  }
  const jwkAt = at.at('privateKeyJwk');
  let jwk: unknown = input['privateKeyJwk'];
  const jwkEnv = input['privateKeyJwkEnv'];
  if (jwk === undefined && typeof jwkEnv === 'string') {
    const text = env[jwkEnv];
    if (text === undefined || text.trim() === '')
      return at.at('privateKeyJwkEnv').fail(`names the environment variable ${jwkEnv}, which is not set`);
    try {
      jwk = JSON.parse(text);
    } catch {
      return at.at('privateKeyJwkEnv').fail(`names the environment variable ${jwkEnv}, which does not hold JSON`);
    }
  }
  const object = jwkAt.object(jwk);
  if (!object) return undefined;
  if (typeof object['kty'] !== 'string' || typeof object['alg'] !== 'string' || typeof object['d'] !== 'string') {
    return jwkAt.fail('must be a private JWK with kty, alg and d');
  }
  return { method: 'private_key_jwt', privateKeyJwk: object as PrivateJwk };
}

function fromEnvOrValue(at: Checker, key: 'clientSecret', input: Record<string, unknown>, env: Env): string | undefined {
  const envKey = `${key}Env`;
  const envName = input[envKey];
  if (envName !== undefined) {
    const name = at.at(envKey).string(envName, { pattern: ENV_NAME, requirement: 'must be an environment variable name' });
    if (name === undefined) return undefined;
    const value = env[name];
    if (value === undefined || value === '') return at.at(envKey).fail(`names the environment variable ${name}, which is not set`);
    return value;
  }
  return at.at(key).string(input[key]);
}

function checkScopes(at: Checker, value: unknown): readonly string[] {
  const scopes = at.strings(value, ['openid', 'profile', 'email']);
  if (scopes.some((scope) => /\s/.test(scope))) at.fail('must not contain spaces inside a scope');
  return scopes.includes('openid') ? scopes : ['openid', ...scopes];
}

function checkAuthorizationParameters(at: Checker, value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  const object = at.object(value);
  if (!object) return {};
  const parameters: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(object)) {
    if (RESERVED_PARAMETERS.has(name)) {
      at.at(name).fail('is set by the sign-in itself and cannot be configured');
    } else if (typeof parameter !== 'string') {
      at.at(name).fail('must be a string');
    } else {
      parameters[name] = parameter;
    }
  }
  return parameters;
}

function checkClaimMapping(at: Checker, value: unknown): ClaimMapping | undefined {
  const input = at.object(value);
  if (!input) return undefined;
  const subject = at.at('subject').string(input['subject'] ?? 'sub');
  const displayName = at.at('displayName').strings(input['displayName'], ['name']);
  const email = at.at('email').strings(input['email'], ['email']);
  const nhsNumber = at.at('nhsNumber').string(input['nhsNumber'], { optional: true });
  const professionalRegistrationId = at.at('professionalRegistrationId').string(input['professionalRegistrationId'], { optional: true });
  const organisation = checkOrganisationMapping(at.at('organisation'), input['organisation']);
  const roles = checkRoleMapping(at.at('roles'), input['roles']);
  const nhsRbac = checkNhsRbac(at.at('nhsRbac'), input['nhsRbac']);
  if (subject === undefined || organisation === undefined || roles === undefined || nhsRbac === undefined) return undefined;
  return { subject, displayName, email, nhsNumber, professionalRegistrationId, organisation, roles, nhsRbac };
}

function checkOrganisationMapping(at: Checker, value: unknown): OrganisationMapping | undefined {
  const input = at.object(value);
  if (!input) return undefined;
  switch (input['from']) {
    case 'claim': {
      const claim = at.at('claim').string(input['claim']);
      return claim === undefined ? undefined : { from: 'claim', claim };
    }
    case 'fixed': {
      const odsCode = at
        .at('odsCode')
        .string(input['odsCode'], { pattern: ODS_CODE, requirement: 'must be an ODS code (3 to 10 capital letters or digits)' });
      return odsCode === undefined ? undefined : { from: 'fixed', odsCode };
    }
    case 'nhs-rbac':
      return { from: 'nhs-rbac' };
    default:
      return at.at('from').fail('must be claim, fixed or nhs-rbac');
  }
}

function checkRoleMapping(at: Checker, value: unknown): RoleMapping | undefined {
  const input = at.object(value);
  if (!input) return undefined;
  switch (input['from']) {
    case 'claim': {
      const claim = at.at('claim').string(input['claim']);
      return claim === undefined ? undefined : { from: 'claim', claim };
    }
    case 'claim-table': {
      const claim = at.at('claim').string(input['claim']);
      const table = checkRoleTable(at.at('table'), input['table']);
      return claim === undefined || table === undefined ? undefined : { from: 'claim-table', claim, table };
    }
    case 'nhs-rbac': {
      const table = checkRoleTable(at.at('table'), input['table']);
      return table === undefined ? undefined : { from: 'nhs-rbac', table };
    }
    case 'platform':
      return { from: 'platform' };
    default:
      return at.at('from').fail('must be claim, claim-table, nhs-rbac or platform');
  }
}

function checkRoleTable(at: Checker, value: unknown): RoleTable | undefined {
  const input = at.object(value);
  if (!input) return undefined;
  const table: Record<string, Role[]> = {};
  let valid = true;
  if (Object.keys(input).length === 0) {
    at.fail('must map at least one value');
    valid = false;
  }
  for (const [external, roles] of Object.entries(input)) {
    const list = typeof roles === 'string' ? [roles] : roles;
    if (!Array.isArray(list) || list.length === 0 || !list.every((role): role is Role => typeof role === 'string' && isRole(role))) {
      at.at(external).fail(`must be one or more of ${ROLES.join(', ')}`);
      valid = false;
      continue;
    }
    table[external] = list;
  }
  return valid ? table : undefined;
}

function checkNhsRbac(at: Checker, value: unknown): NhsRbacClaims | undefined {
  const input = value === undefined ? {} : at.object(value);
  if (!input) return undefined;
  const rolesClaim = at.at('rolesClaim').string(input['rolesClaim'] ?? 'nhsid_nrbac_roles');
  const selectedRoleClaim = at.at('selectedRoleClaim').string(input['selectedRoleClaim'] ?? 'selected_roleid');
  return rolesClaim === undefined || selectedRoleClaim === undefined ? undefined : { rolesClaim, selectedRoleClaim };
}
