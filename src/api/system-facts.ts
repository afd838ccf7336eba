import type { Database } from '../db/database.js';
import { readSystemSetting } from '../system/system-settings.js';

/** What the installation says about itself (GET /api/system): no personal data. */
export interface SystemFacts {
  backend: Database['backend'];
  /** True when the store holds the synthetic demo dataset. */
  holdsDemoDataset(): Promise<boolean>;
}

export function systemFacts(db: Database): SystemFacts {
  return {
    backend: db.backend,
    holdsDemoDataset: async () => (await readSystemSetting(db, 'demo_dataset')) !== undefined,
  };
}
