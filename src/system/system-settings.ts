import type { Queryable } from '../db/database.js';

/** Installation-wide facts, stored in `system_setting`. */
export interface SystemSettings {
  /** Present when the store was seeded with the synthetic demo dataset. */
  demo_dataset: { seededAt: string; people: number; seed: number };
}

export type SystemSettingKey = keyof SystemSettings;

export async function readSystemSetting<K extends SystemSettingKey>(db: Queryable, key: K): Promise<SystemSettings[K] | undefined> {
  const { rows } = await db.query<{ value: SystemSettings[K] }>('SELECT value FROM system_setting WHERE key = $1', [key]);
  return rows[0]?.value;
}

export async function writeSystemSetting<K extends SystemSettingKey>(db: Queryable, key: K, value: SystemSettings[K]): Promise<void> {
  await db.query(
    `INSERT INTO system_setting (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}
