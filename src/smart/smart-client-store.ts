import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isSmartScope } from './smart-scopes.js';

/** A SMART App Launch client registered with the platform's authorization server. */
export interface SmartClient {
  clientId: string;
  name: string;
  redirectUris: readonly string[];
  scopes: readonly string[];
  tokenEndpointAuthMethod: 'none' | 'private_key_jwt';
  jwksUrl: string | undefined;
  launchUrl: string | undefined;
}

export async function registerSmartClient(db: Queryable, client: SmartClient): Promise<void> {
  const unknown = client.scopes.filter((scope) => !isSmartScope(scope));
  if (unknown.length > 0) throw new AppError('bad-request', `Scopes a SMART client cannot have: ${unknown.join(', ')}.`);
  await db.query(
    `INSERT INTO smart_client (client_id, name, redirect_uris, scopes, token_endpoint_auth_method, jwks_url, launch_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, redirect_uris = excluded.redirect_uris, scopes = excluded.scopes,
       token_endpoint_auth_method = excluded.token_endpoint_auth_method, jwks_url = excluded.jwks_url, launch_url = excluded.launch_url,
       disabled_at = NULL`,
    [
      client.clientId,
      client.name,
      client.redirectUris,
      client.scopes,
      client.tokenEndpointAuthMethod,
      client.jwksUrl ?? null,
      client.launchUrl ?? null,
    ],
  );
}

export async function findSmartClient(db: Queryable, clientId: string): Promise<SmartClient | undefined> {
  const { rows } = await db.query<{
    client_id: string;
    name: string;
    redirect_uris: string[];
    scopes: string[];
    token_endpoint_auth_method: SmartClient['tokenEndpointAuthMethod'];
    jwks_url: string | null;
    launch_url: string | null;
  }>(
    `SELECT client_id, name, redirect_uris, scopes, token_endpoint_auth_method, jwks_url, launch_url FROM smart_client
     WHERE client_id = $1 AND disabled_at IS NULL`,
    [clientId],
  );
  const row = rows[0];
  return (
    row && {
      clientId: row.client_id,
      name: row.name,
      redirectUris: row.redirect_uris,
      scopes: row.scopes,
      tokenEndpointAuthMethod: row.token_endpoint_auth_method,
      jwksUrl: row.jwks_url ?? undefined,
      launchUrl: row.launch_url ?? undefined,
    }
  );
}
