import type { Database, Queryable } from '../../src/db/database.js';

class RolledBack<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `work` as someone who can switch the audit log's triggers off (the table owner or a
 * superuser), in a transaction that is always rolled back, so each test leaves the log intact.
 */
export async function asTamperer<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      await tx.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
      const value = await work(tx);
      await tx.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
      throw new RolledBack(value);
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.value as T;
    throw error;
  }
  throw new Error('unreachable: the tamper transaction committed');
}
