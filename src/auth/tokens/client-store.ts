import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { Role } from '../../access/roles.js';
import { CLIENT_ROLES, isClientRole } from './client-roles.js';
import { AppError } from '../../errors/app-error.js';
import { decoyClientSecretHash, generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secrets.js';
import { SCOPES, isScope, type Scope } from './scopes.js';

/** A machine client as the rest of the system sees it; its secret hash never leaves this module. */
export interface OAuthClient {
  clientId: string;
  name: string;
  allowedScopes: readonly Scope[];
  roles: readonly Role[];
  organisationOdsCode: string | undefined;
  createdAt: Date;
  disabledAt: Date | undefined;
}

export interface NewOAuthClient {
  /** Chosen by the caller, or generated (`ucp-` and 16 random hex digits). */
  clientId?: string;
  name: string;
  allowedScopes: readonly string[];
  roles: readonly string[];
  organisationOdsCode?: string;
}

export interface CreatedOAuthClient {
  client: OAuthClient;
  /** Shown once: only its hash is stored. */
  secret: string;
}

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;
const ODS_CODE = /^[A-Z0-9]{3,10}$/;

/** An operator-chosen secret shorter than this is refused: it guards platform-admin rights. */
export const MIN_BOOTSTRAP_SECRET_LENGTH = 24;

export const BOOTSTRAP_CLIENT_NAME = 'Bootstrap client (from UCP_BOOTSTRAP_CLIENT_ID)';

type ClientRow = {
  client_id: string;
  name: string;
  secret_hash: string;
  allowed_scopes: string[];
  roles: string[];
  organisation_ods_code: string | null;
  created_at: Date | string;
  disabled_at: Date | string | null;
};

const COLUMNS = 'client_id, name, secret_hash, allowed_scopes, roles, organisation_ods_code, created_at, disabled_at';

/** Registers a client with a freshly generated secret. A taken client id is a conflict. */
export async function createClient(db: Queryable, input: NewOAuthClient): Promise<CreatedOAuthClient> {
  const clientId = input.clientId ?? `ucp-${randomBytes(8).toString('hex')}`;
  const checked = checkClient({ ...input, clientId });
  const secret = generateClientSecret();
  const { rows } = await db.query<ClientRow>(
    `INSERT INTO oauth_client (client_id, name, secret_hash, allowed_scopes, roles, organisation_ods_code)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (client_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [clientId, checked.name, await hashClientSecret(secret), checked.allowedScopes, checked.roles, checked.organisationOdsCode ?? null],
  );
  const row = rows[0];
  if (!row) throw new AppError('conflict', `A client with id '${clientId}' already exists; choose another id.`);
  return { client: toClient(row), secret };
}

/** The client with this id, disabled or not; undefined when there is none. */
export async function findClient(db: Queryable, clientId: string): Promise<OAuthClient | undefined> {
  const row = await findRow(db, clientId);
  return row ? toClient(row) : undefined;
}

/** Every registered client, enabled ones first, then by name. */
export async function listClients(db: Queryable): Promise<OAuthClient[]> {
  const { rows } = await db.query<ClientRow>(
    `SELECT ${COLUMNS} FROM oauth_client ORDER BY disabled_at IS NOT NULL, lower(name), client_id`,
  );
  return rows.map(toClient);
}

/**
 * Gives an enabled client a fresh secret, shown once; the old one stops working at once (tokens
 * already issued with it run out within their lifetime). Undefined when there is no such
 * client; `conflict` when it is disabled (a disabled client stays disabled: register a new one).
 */
export async function rotateClientSecret(db: Queryable, clientId: string): Promise<CreatedOAuthClient | undefined> {
  const secret = generateClientSecret();
  const { rows } = await db.query<ClientRow>(
    `UPDATE oauth_client SET secret_hash = CASE WHEN disabled_at IS NULL THEN $2 ELSE secret_hash END
     WHERE client_id = $1 RETURNING ${COLUMNS}`,
    [clientId, await hashClientSecret(secret)],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.disabled_at !== null) throw new AppError('conflict', `The client '${clientId}' is disabled; register a new client instead.`);
  return { client: toClient(row), secret };
}

/**
 * Stops a client from obtaining new tokens. Tokens already issued stay valid until they expire
 * (minutes). Disabling a disabled client keeps the first date. False when there is no such client.
 */
export async function disableClient(db: Queryable, clientId: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE oauth_client SET disabled_at = coalesce(disabled_at, now()) WHERE client_id = $1', [
    clientId,
  ]);
  return rowCount > 0;
}

/**
 * The enabled client whose secret this is, or undefined. Unknown ids, wrong secrets and disabled
 * clients are indistinguishable to the caller, in the answer and in the time it takes.
 */
export async function authenticateClient(db: Queryable, clientId: string, secret: string): Promise<OAuthClient | undefined> {
  const row = CLIENT_ID.test(clientId) ? await findRow(db, clientId) : undefined;
  const matches = await verifyClientSecret(secret, row?.secret_hash ?? (await decoyClientSecretHash()));
  if (!row || !matches || row.disabled_at !== null) return undefined;
  return toClient(row);
}

/**
 * Whether a client is registered and enabled, remembered for `ttlMs` so that a busy client costs
 * one lookup per interval rather than one per request. Disabling a client takes effect within it.
 */
export function activeClientChecker(db: Queryable, ttlMs = 5_000, now: () => number = Date.now): (clientId: string) => Promise<boolean> {
  const known = new Map<string, { active: boolean; at: number }>();
  return async (clientId) => {
    const cached = known.get(clientId);
    if (cached && now() - cached.at < ttlMs) return cached.active;
    const row = CLIENT_ID.test(clientId) ? await findRow(db, clientId) : undefined;
    const active = row !== undefined && row.disabled_at === null;
    if (known.size > 10_000) known.clear();
    known.set(clientId, { active, at: now() });
    return active;
  };
}

export type BootstrapOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Makes the client named by UCP_BOOTSTRAP_CLIENT_ID / UCP_BOOTSTRAP_CLIENT_SECRET exist with
 * platform-admin rights, every scope and that secret, so an installation can be set up by script.
 * The environment is authoritative: a disabled bootstrap client is re-enabled, a changed secret
 * replaces the old one. Safe to run on every start of every server.
 */
export async function ensureBootstrapClient(db: Queryable, clientId: string, secret: string): Promise<BootstrapOutcome> {
  if (secret.length < MIN_BOOTSTRAP_SECRET_LENGTH) {
    throw new AppError(
      'bad-request',
      `UCP_BOOTSTRAP_CLIENT_SECRET must be at least ${MIN_BOOTSTRAP_SECRET_LENGTH} characters; it grants platform-admin rights.`,
    );
  }
  const wanted = checkClient({
    clientId,
    name: BOOTSTRAP_CLIENT_NAME,
    allowedScopes: SCOPES,
    roles: ['platform-admin'],
  });
  const existing = await findRow(db, clientId);
  if (existing && (await verifyClientSecret(secret, existing.secret_hash)) && isBootstrapShaped(existing, wanted)) {
    return 'unchanged';
  }
  // Servers starting together may race here; each writes an equivalent row, and the upsert keeps
  // the table consistent whichever finishes last.
  const { rows } = await db.query<{ inserted: boolean }>(
    `INSERT INTO oauth_client (client_id, name, secret_hash, allowed_scopes, roles, organisation_ods_code)
     VALUES ($1, $2, $3, $4, $5, NULL)
     ON CONFLICT (client_id) DO UPDATE SET
       name = excluded.name,
       secret_hash = excluded.secret_hash,
       allowed_scopes = excluded.allowed_scopes,
       roles = excluded.roles,
       organisation_ods_code = NULL,
       disabled_at = NULL
     RETURNING (xmax = 0) AS inserted`,
    [clientId, wanted.name, await hashClientSecret(secret), wanted.allowedScopes, wanted.roles],
  );
  return rows[0]?.inserted ? 'created' : 'updated';
}

interface CheckedClient {
  name: string;
  allowedScopes: Scope[];
  roles: Role[];
  organisationOdsCode: string | undefined;
}

function checkClient(input: NewOAuthClient & { clientId: string }): CheckedClient {
  if (!CLIENT_ID.test(input.clientId)) {
    throw new AppError(
      'bad-request',
      'A client id is 1 to 128 letters, digits and the characters . _ ~ - (it travels in HTTP Basic credentials).',
    );
  }
  const name = input.name.trim();
  if (name === '') throw new AppError('bad-request', 'A client needs a name that says who or what uses it.');
  const unknownScopes = input.allowedScopes.filter((scope) => !isScope(scope));
  if (unknownScopes.length > 0) {
    throw new AppError('bad-request', `Unknown scopes: ${unknownScopes.join(', ')}. Known scopes: ${SCOPES.join(', ')}.`);
  }
  const unknownRoles = input.roles.filter((role) => !isClientRole(role));
  if (unknownRoles.length > 0) {
    throw new AppError('bad-request', `Roles a client cannot have: ${unknownRoles.join(', ')}. Client roles: ${CLIENT_ROLES.join(', ')}.`);
  }
  const ods = input.organisationOdsCode;
  if (ods !== undefined && !ODS_CODE.test(ods)) {
    throw new AppError('bad-request', `'${ods}' is not an ODS code (3 to 10 capital letters and digits).`);
  }
  return {
    name,
    allowedScopes: [...new Set(input.allowedScopes.filter(isScope))],
    roles: [...new Set(input.roles.filter(isClientRole))],
    organisationOdsCode: ods,
  };
}

function isBootstrapShaped(row: ClientRow, wanted: CheckedClient): boolean {
  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
  return (
    row.name === wanted.name &&
    row.disabled_at === null &&
    row.organisation_ods_code === null &&
    sameSet(row.allowed_scopes, wanted.allowedScopes) &&
    sameSet(row.roles, wanted.roles)
  );
}

async function findRow(db: Queryable, clientId: string): Promise<ClientRow | undefined> {
  const { rows } = await db.query<ClientRow>(`SELECT ${COLUMNS} FROM oauth_client WHERE client_id = $1`, [clientId]);
  return rows[0];
}

/** Values the application no longer knows (a role since removed) are dropped rather than trusted. */
function toClient(row: ClientRow): OAuthClient {
  return {
    clientId: row.client_id,
    name: row.name,
    allowedScopes: row.allowed_scopes.filter(isScope),
    roles: row.roles.filter(isClientRole),
    organisationOdsCode: row.organisation_ods_code ?? undefined,
    createdAt: new Date(row.created_at),
    disabledAt: row.disabled_at === null ? undefined : new Date(row.disabled_at),
  };
}
