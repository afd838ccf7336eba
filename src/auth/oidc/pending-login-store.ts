import type { Queryable } from '../../db/database.js';

/** An authorisation request in flight (table `oidc_pending_login`, migration 0008). */
export interface PendingLogin {
  state: string;
  provider: string;
  codeVerifier: string;
  nonce: string;
  browserBindingHash: string;
  returnTo: string;
  /** The FHIR server (`iss`) of a SMART launch from a record system; undefined for a plain sign-in. */
  launchFhirBase: string | undefined;
  expiresAt: Date;
}

type PendingLoginRow = {
  state: string;
  provider: string;
  code_verifier: string;
  nonce: string;
  browser_binding_hash: string;
  return_to: string;
  launch_fhir_base: string | null;
  expires_at: Date | string;
};

export async function savePendingLogin(db: Queryable, login: PendingLogin, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO oidc_pending_login
       (state, provider, code_verifier, nonce, browser_binding_hash, return_to, launch_fhir_base, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      login.state,
      login.provider,
      login.codeVerifier,
      login.nonce,
      login.browserBindingHash,
      login.returnTo,
      login.launchFhirBase ?? null,
      now,
      login.expiresAt,
    ],
  );
}

/**
 * Removes and returns the login with this state, if it has not expired. Deleting in the same
 * statement that reads makes a state single-use even when two callbacks race on two servers.
 */
export async function takePendingLogin(db: Queryable, state: string, now: Date): Promise<PendingLogin | undefined> {
  const { rows } = await db.query<PendingLoginRow>(
    `DELETE FROM oidc_pending_login WHERE state = $1
     RETURNING state, provider, code_verifier, nonce, browser_binding_hash, return_to, launch_fhir_base, expires_at`,
    [state],
  );
  const row = rows[0];
  if (!row) return undefined;
  const expiresAt = new Date(row.expires_at);
  if (expiresAt.getTime() <= now.getTime()) return undefined;
  return {
    state: row.state,
    provider: row.provider,
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    browserBindingHash: row.browser_binding_hash,
    returnTo: row.return_to,
    launchFhirBase: row.launch_fhir_base ?? undefined,
    expiresAt,
  };
}

/** Deletes abandoned logins (the person never came back from the identity provider). */
export async function purgeExpiredPendingLogins(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM oidc_pending_login WHERE expires_at <= $1', [now]);
  return rowCount;
}
