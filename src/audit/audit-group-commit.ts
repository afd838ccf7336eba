import type { AuditEntry, AuditRecord } from './audit-record.js';

/** Commits a batch of records in one transaction, resolving with their entries in order. */
export type CommitBatch = (records: readonly AuditRecord[]) => Promise<AuditEntry[]>;

interface Waiting {
  record: AuditRecord;
  resolve: (entry: AuditEntry) => void;
  reject: (error: unknown) => void;
}

/** Transactions in flight at once per database; more records wait for the next batch. */
const MAX_IN_FLIGHT = 4;
/** Records per transaction: bounds one statement's size and one batch's latency. */
const MAX_BATCH = 256;

/**
 * Group commit for read records. A read's record must be durable before its answer leaves, so
 * each waits for a commit; but many reads arriving together need not each pay for a transaction
 * and a WAL flush of their own. A record that arrives while fewer than MAX_IN_FLIGHT batches are
 * committing starts one at once (no added latency when the server is quiet); otherwise it joins
 * the next batch. If a batch fails, its records are retried one by one, so that one bad record
 * cannot refuse other people's reads.
 */
export class AuditGroupCommitter {
  readonly #queue: Waiting[] = [];
  #inFlight = 0;

  constructor(private readonly commit: CommitBatch) {}

  append(record: AuditRecord): Promise<AuditEntry> {
    return new Promise<AuditEntry>((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      this.#startBatches();
    });
  }

  #startBatches(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      this.#inFlight += 1;
      void this.#run(batch).finally(() => {
        this.#inFlight -= 1;
        this.#startBatches();
      });
    }
  }

  async #run(batch: Waiting[]): Promise<void> {
    try {
      const entries = await this.commit(batch.map((waiting) => waiting.record));
      batch.forEach((waiting, index) => {
        const entry = entries[index];
        if (entry) waiting.resolve(entry);
        else waiting.reject(new Error('the audit batch returned fewer entries than records'));
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      await Promise.all(batch.map((waiting) => this.#run([waiting])));
    }
  }
}

const committers = new WeakMap<object, AuditGroupCommitter>();

/** The one group committer of a database (created on first use with `commit`). */
export function groupCommitterFor(db: object, commit: CommitBatch): AuditGroupCommitter {
  let committer = committers.get(db);
  if (!committer) {
    committer = new AuditGroupCommitter(commit);
    committers.set(db, committer);
  }
  return committer;
}
