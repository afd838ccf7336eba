import { sqlText, type Database, type PreparedStatement, type QueryResult, type Queryable, type Row } from '../db/database.js';
import { findCarePlanByNhsNumber } from '../careplan/care-plan-store.js';
import { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import { ehrStatusForSubject } from '../openehr/service/ehr-status.js';
import { findEhrBySubject } from '../openehr/store/ehr-store.js';
import { CompositionService } from '../openehr/service/composition-service.js';
import { ContributionService } from '../openehr/service/contribution-service.js';
import { DirectoryService } from '../openehr/service/directory-service.js';
import { EhrService } from '../openehr/service/ehr-service.js';
import { TemplateService, type CompiledTemplate } from '../openehr/service/template-service.js';
import { seedDemoPlan, type DemoPlanServices } from './seed-demo-plans.js';
import type { SyntheticPerson } from './synthetic-londoners.js';
import type { SyntheticPlan } from './synthetic-plans.js';

export interface PopulationProgress {
  written: number;
  skipped: number;
  failed: number;
}

export interface PopulationOptions {
  /**
   * `service`: each plan's steps commit one by one, as a user's would. `batched`: the same
   * service calls, but a batch of plans shares one transaction on one connection, so a batch
   * costs one commit and one WAL flush instead of dozens per plan. `bulk`: as `batched`, but
   * the compositions are not checked against their templates again and each template is looked
   * up once per run (see `TrustedTemplates`). PostgreSQL only.
   */
  mode: 'service' | 'batched' | 'bulk';
  /** Plans per transaction in `batched` and `bulk` mode. */
  batchSize: number;
  /** Writers at once: each takes the next plan (`service`) or the next batch (`batched`). */
  concurrency: number;
  /** Asked between plans: true stops after the plans (batches) in hand. */
  stopping?: () => boolean;
  onFailure?: (nhsNumber: string, error: unknown) => void;
}

/**
 * Writes the synthetic population's plans, and each person's EHR and care relationships, through
 * the care plan service (`seedDemoPlan`). People who already have a plan are skipped, so a run
 * stopped half-way continues where it stopped. Both modes make the same calls in the same order
 * for the same plan; only where the transactions end differs (a test compares what they store).
 */
export async function writePopulation(
  services: DemoPlanServices,
  people: readonly SyntheticPerson[],
  plans: readonly SyntheticPlan[],
  options: PopulationOptions,
  progress: PopulationProgress = { written: 0, skipped: 0, failed: 0 },
): Promise<PopulationProgress> {
  const byNhsNumber = new Map(people.map((person) => [person.nhsNumber, person]));
  const writeOne = async (on: DemoPlanServices, plan: SyntheticPlan) => {
    const person = byNhsNumber.get(plan.nhsNumber);
    if (person) await ensureEhrAndRelationships(on, person);
    await seedDemoPlan(on, plan);
  };
  const stopping = options.stopping ?? (() => false);
  const failed = (plan: SyntheticPlan, error: unknown) => {
    progress.failed++;
    options.onFailure?.(plan.nhsNumber, error);
    if (progress.failed > 20 && progress.written === 0) throw error;
  };

  /** One plan, each step committed on its own, as a user's would be; a plan that fails is left out. */
  const writeSingly = async (plan: SyntheticPlan) => {
    try {
      if (await findCarePlanByNhsNumber(services.db, plan.nhsNumber)) {
        progress.skipped++;
        return;
      }
      await writeOne(services, plan);
      progress.written++;
    } catch (error) {
      failed(plan, error);
    }
  };

  if (options.mode === 'service') {
    let next = 0;
    const worker = async () => {
      for (let plan = plans[next++]; plan && !stopping(); plan = plans[next++]) await writeSingly(plan);
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return progress;
  }

  if (services.db.backend !== 'postgres') {
    // The embedded store has one connection: the template and catalogue reads the service makes
    // outside the batch's transaction would wait for it to end, which it never would.
    throw new Error('batched writing needs PostgreSQL (DATABASE_URL); the embedded store is written plan by plan');
  }
  // Shared by every batch: compiled once, and its current versions read once, for the whole run.
  const templates = options.mode === 'bulk' ? new TrustedTemplates(services.db) : services.openehr.templates;
  let nextBatch = 0;
  const worker = async () => {
    while (!stopping()) {
      const batch = plans.slice(nextBatch, nextBatch + options.batchSize);
      nextBatch += options.batchSize;
      if (batch.length === 0) return;
      const outcome = { written: 0, skipped: 0 };
      try {
        await services.db.transaction(async (tx) => {
          const batchDb = batchDatabase(services.db, tx);
          const on = onBatch(services, options.mode === 'bulk' ? rememberingReads(batchDb) : batchDb, templates);
          for (const plan of batch) {
            if (stopping()) throw new BatchStopped();
            if (await findCarePlanByNhsNumber(tx, plan.nhsNumber)) {
              outcome.skipped++;
              continue;
            }
            await writeOne(on, plan);
            outcome.written++;
          }
        });
        // Counted once committed: a batch that fails to commit writes nothing.
        progress.written += outcome.written;
        progress.skipped += outcome.skipped;
      } catch (error) {
        if (error instanceof BatchStopped) return;
        // Something in the batch failed and the batch wrote nothing: its plans again one by one,
        // each step committed on its own, so only the plan that fails is left out.
        for (const plan of batch) {
          if (stopping()) return;
          await writeSingly(plan);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return progress;
}

class BatchStopped extends Error {}

/** The services with every writer of the EHR on the batch's transaction (templates, read-only here, stay shared with their caches). */
function onBatch(services: DemoPlanServices, db: Database, templates: TemplateService): DemoPlanServices {
  const ehrs = new EhrService(db, services.systemId);
  const compositions = new CompositionService(db, services.systemId, ehrs, templates);
  const contributions = new ContributionService(db, services.systemId, ehrs, compositions);
  const directories = new DirectoryService(db, services.systemId, ehrs);
  return { ...services, db, openehr: { ...services.openehr, ehrs, compositions, contributions, directories, templates } };
}

/**
 * The templates as the `bulk` writer uses them: compositions are not checked against them (every
 * validator answers "no issues"), and the current version of each is read from the database once
 * per run rather than at every step (nothing installs a template while the population is written).
 * The synthetic plans are valid by construction (synthetic-plans.test.ts checks every module
 * against its template) and the population test shows this stores exactly what the service does; a
 * plan the checks would refuse is therefore not caught here, which is why only the generator uses it.
 */
export class TrustedTemplates extends TemplateService {
  readonly #current = new Map<string, CompiledTemplate>();

  constructor(db: Database) {
    super(db, () => () => []);
  }

  override async find(templateId: string, version?: number, db?: Queryable): Promise<CompiledTemplate | undefined> {
    if (version !== undefined) return super.find(templateId, version, db);
    const cached = this.#current.get(templateId);
    if (cached) return { ...cached };
    const found = await super.find(templateId, undefined, db);
    if (found) this.#current.set(templateId, found);
    return found;
  }
}

/**
 * The database as the service sees it inside a batch: every statement on the batch's
 * transaction, and a transaction the service opens is part of it. No savepoints: a batch would
 * have thousands, and past 64 subtransactions in one transaction PostgreSQL's visibility checks
 * go through pg_subtrans, which can slow every reader down. So any error in a step aborts the whole batch, which is then written again
 * plan by plan (`writePopulation`).
 */
export function batchDatabase(db: Database, tx: Queryable): Database {
  const batch: Database = {
    backend: db.backend,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (work) => work(batch),
    listen: (channel, handler) => db.listen(channel, handler),
    get reader() {
      return batch;
    },
    close: async () => {},
  };
  return batch;
}

/**
 * The reads the `bulk` writer answers from memory within a batch, and the tables whose writes
 * make it forget them. Versions are forgotten by object (a write with the object's uid, $1 of the
 * read, among its parameters: a new version, the latest flag moved); the rest on any write to their table.
 */
const REMEMBERED_READS: readonly { pattern: RegExp; tables: readonly string[]; byKey: boolean }[] = [
  // readVersion (openehr/store/version-store.ts): one version and its data; $1 is the object's uid.
  {
    pattern:
      /^SELECT v\.uid, v\.version,[^]*, v\.data FROM object_version v JOIN versioned_object o ON o\.uid = v\.uid\s+WHERE v\.uid = \$1 /,
    tables: ['object_version', 'versioned_object'],
    byKey: true,
  },
  // readCarePlan, readRevision (careplan/care-plan-store.ts), readEhr (openehr/store/ehr-store.ts).
  { pattern: /^SELECT [^]* FROM care_plan WHERE ehr_id = \$1( FOR UPDATE)?$/, tables: ['care_plan'], byKey: false },
  { pattern: /^SELECT [^]* FROM care_plan_revision WHERE ehr_id = \$1 AND \w+ = \$2$/, tables: ['care_plan_revision'], byKey: false },
  { pattern: /^SELECT [^]* FROM ehr WHERE ehr_id = \$1( FOR UPDATE)?$/, tables: ['ehr'], byKey: false },
  // The transaction's start time: the same for every statement in it.
  { pattern: /^SELECT now\(\) AS now$/, tables: [], byKey: false },
];

const WRITE_TARGET = /^\s*(?:INSERT INTO|UPDATE)\s+(\w+)\b/i;

/**
 * The batch's database for the `bulk` writer. A plan's steps read the same rows back again and
 * again (a version and its composition dozens of times a plan), and inside the batch's
 * transaction nobody else can change them, so those reads (`REMEMBERED_READS`) are answered from
 * memory until a write that could change them; a write whose table is not plain to see (a
 * DELETE, a WITH, a statement without text) forgets everything. Locks a remembered FOR UPDATE
 * read took stay held: the transaction holds them to its end. Answers are copies: a caller may
 * change what it gets.
 */
export function rememberingReads(db: Database): Database {
  const remembered = new Map<string, { tables: readonly string[]; key: string | undefined; result: QueryResult }>();
  const forget = (sql: string, params: readonly unknown[] | undefined) => {
    const table = WRITE_TARGET.exec(sql)?.[1]?.toLowerCase();
    if (table === undefined) return remembered.clear();
    const values = new Set((params ?? []).flat());
    for (const [text, entry] of remembered)
      if (entry.tables.includes(table) && (entry.key === undefined || values.has(entry.key))) remembered.delete(text);
  };
  const remembering: Database = {
    ...db,
    backend: db.backend,
    async query<R extends Row = Row>(sql: string | PreparedStatement, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const text = sqlText(sql).trim();
      const read = REMEMBERED_READS.find((candidate) => candidate.pattern.test(text));
      if (read) {
        const key = `${text}\u0000${JSON.stringify(params ?? [])}`;
        const hit = remembered.get(key);
        if (hit) return structuredClone(hit.result) as QueryResult<R>;
        const result = await db.query<R>(sql, params);
        const first = params?.[0];
        remembered.set(key, {
          tables: read.tables,
          key: read.byKey && typeof first === 'string' ? first : undefined,
          result: structuredClone(result),
        });
        return result;
      }
      if (!/^SELECT\b/i.test(text)) forget(text, params);
      return db.query<R>(sql, params);
    },
    exec: async (sql) => {
      remembered.clear();
      await db.exec(sql);
    },
    transaction: (work) => work(remembering),
    get reader() {
      return remembering;
    },
  };
  return remembering;
}

/**
 * The person's EHR, and who cares for them, as the demo dataset records it: the demo GP practice,
 * and for some also the demo hospice or care home (so each demo log-in has people it may see).
 */
async function ensureEhrAndRelationships(services: DemoPlanServices, person: SyntheticPerson): Promise<void> {
  const subject = { id: person.nhsNumber, namespace: NHS_NUMBER_SYSTEM };
  if (!(await findEhrBySubject(services.db, subject))) {
    await services.openehr.ehrs.create(
      { status: ehrStatusForSubject(subject) },
      { committer: { _type: 'PARTY_IDENTIFIED', name: 'UCP population generator' }, description: 'synthetic population' },
    );
  }
  const serial = Number(person.nhsNumber.slice(3, 9));
  const relationships: [string, string][] = [['DEMOGP1', 'registered-gp']];
  if (serial % 3 === 0) relationships.push(['DEMOHSP', 'care-team']);
  if (serial % 5 === 0) relationships.push(['DEMOCH1', 'care-team']);
  await services.db.query(
    `INSERT INTO person_relationship (nhs_number, ods_code, kind)
     SELECT $1, unnest($2::text[]), unnest($3::text[]) ON CONFLICT DO NOTHING`,
    [person.nhsNumber, relationships.map(([code]) => code), relationships.map(([, kind]) => kind)],
  );
}
