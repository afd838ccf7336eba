import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';

/**
 * Launch context: `ehr` when the platform launched the app for a person the user already had
 * open (the launch is then the legitimate relationship), `standalone` when the user picked the
 * person in the app's sign-in (the usual access rules apply).
 */
export interface LaunchContext {
  nhsNumber: string;
  kind: 'ehr' | 'standalone';
}

export async function createLaunch(db: Queryable, launch: { userId: string; odsCode: string; nhsNumber: string }): Promise<string> {
  const id = randomBytes(24).toString('base64url');
  await db.query(
    `INSERT INTO smart_launch (id, user_id, ods_code, nhs_number, expires_at) VALUES ($1, $2, $3, $4, now() + interval '5 minutes')`,
    [id, launch.userId, launch.odsCode, launch.nhsNumber],
  );
  return id;
}

/** The person a launch was for, if it is the user's own, for that organisation, and unexpired. */
export async function findLaunch(db: Queryable, id: string, userId: string, odsCode: string): Promise<string | undefined> {
  const { rows } = await db.query<{ nhs_number: string }>(
    'SELECT nhs_number FROM smart_launch WHERE id = $1 AND user_id::text = $2 AND ods_code = $3 AND expires_at > now()',
    [id, userId, odsCode],
  );
  return rows[0]?.nhs_number;
}

export async function saveLaunchContext(db: Queryable, grantId: string, context: LaunchContext): Promise<void> {
  await db.query(
    `INSERT INTO smart_oidc_state (model, id, payload, grant_id, expires_at) VALUES ('LaunchContext', $1, $2, $1, now() + interval '12 hours')
     ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload`,
    [grantId, JSON.stringify(context)],
  );
}

export async function readLaunchContext(db: Queryable, grantId: string): Promise<LaunchContext | undefined> {
  const { rows } = await db.query<{ payload: LaunchContext }>(
    `SELECT payload FROM smart_oidc_state WHERE model = 'LaunchContext' AND id = $1`,
    [grantId],
  );
  return rows[0]?.payload;
}
