import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { Database } from '../db/database.js';
import { findSmartClient } from './smart-client-store.js';

/**
 * oidc-provider's storage in the database (smart_oidc_state), shared by every server and kept
 * across restarts until each entry expires. Clients are not stored here: the `Client` model reads
 * the registered SMART clients.
 */
export function smartAdapterFactory(db: Database): (model: string) => Adapter {
  return (model) => {
    if (model === 'Client') return clientAdapter(db);
    const find = async (column: 'id' | 'uid', value: string): Promise<AdapterPayload | undefined> => {
      const { rows } = await db.query<{ payload: AdapterPayload; consumed_at: Date | null }>(
        `SELECT payload, consumed_at FROM smart_oidc_state WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [model, value],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
    };
    return {
      async upsert(id, payload, expiresIn) {
        await db.query(
          `INSERT INTO smart_oidc_state (model, id, payload, grant_id, uid, expires_at)
           VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::integer > 0 THEN now() + make_interval(secs => $6::integer) END)
           ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid, expires_at = excluded.expires_at`,
          [model, id, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, expiresIn > 0 ? Math.ceil(expiresIn) : 0],
        );
      },
      find: (id) => find('id', id),
      findByUid: (uid) => find('uid', uid),
      findByUserCode: async () => undefined,
      async consume(id) {
        await db.query('UPDATE smart_oidc_state SET consumed_at = now() WHERE model = $1 AND id = $2', [model, id]);
      },
      async destroy(id) {
        await db.query('DELETE FROM smart_oidc_state WHERE model = $1 AND id = $2', [model, id]);
      },
      async revokeByGrantId(grantId) {
        await db.query('DELETE FROM smart_oidc_state WHERE grant_id = $1', [grantId]);
      },
    };
  };
}

function clientAdapter(db: Database): Adapter {
  const unsupported = async (): Promise<never> => {
    throw new Error('SMART clients are registered in smart_client, not through the provider');
  };
  return {
    async find(id) {
      const client = await findSmartClient(db, id);
      if (!client) return undefined;
      const metadata: ClientMetadata = {
        client_id: client.clientId,
        client_name: client.name,
        redirect_uris: [...client.redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
        // The server signs with the platform's P-256 key only.
        id_token_signed_response_alg: 'ES256',
        ...(client.jwksUrl ? { jwks_uri: client.jwksUrl } : {}),
      };
      return metadata;
    },
    upsert: unsupported,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: unsupported,
    destroy: unsupported,
    revokeByGrantId: async () => undefined,
  };
}
