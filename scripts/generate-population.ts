/**
 * npm run generate -- [--size ci|city|london | --people N] [--seed N] [--concurrency N]
 *
 * Fills the configured database (DATABASE_URL, or the embedded store in UCP_DATA_DIR) with a
 * synthetic population of Londoners who have an urgent care plan: an EHR each, their GP and care
 * teams, and a plan written through the care plan service as real plans are (created, written
 * module by module, ReSPECT by a senior, submitted, approved, published, some closed at death),
 * across the pathways, the demo organisations and versions. NHS numbers are from the test range
 * (999…); nobody is a real person. The mix of plan states and pathways is `syntheticPlans`'.
 *
 * Sizes: `ci` 200 people, `city` 10,000, `london` 100,000 (London: about a hundred thousand people
 * with a plan among nine to ten million). People who already have a plan are skipped, so a run
 * stopped half-way (Ctrl-C) continues where it stopped. Progress, rate and time left are printed.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openSecretBox } from '../src/server/start-server.js';
import { storeCarePlanQueries } from '../src/careplan/queries/care-plan-queries.js';
import { loadUcpTemplates } from '../src/careplan/pathway/index.js';
import { findCarePlanByNhsNumber } from '../src/careplan/care-plan-store.js';
import { systemCaller } from '../src/access/caller.js';
import { loadConfig } from '../src/config/config.js';
import { loadMigrations, migrate } from '../src/db/migrations.js';
import { openDatabase } from '../src/db/open-database.js';
import { DEMO_ORGANISATIONS } from '../src/demo/demo-people.js';
import { seedDemoPlan } from '../src/demo/seed-demo-plans.js';
import { syntheticLondoners, type SyntheticPerson } from '../src/demo/synthetic-londoners.js';
import { syntheticPlans } from '../src/demo/synthetic-plans.js';
import { NHS_NUMBER_SYSTEM } from '../src/nhs/nhs-number.js';
import { ehrStatusForSubject } from '../src/openehr/service/ehr-status.js';
import { findEhrBySubject } from '../src/openehr/store/ehr-store.js';
import { upsertOrganisation } from '../src/organisations/organisation-store.js';
import { createAppServices } from '../src/server/app-services.js';

export const POPULATION_SIZES = { ci: 200, city: 10_000, london: 100_000 } as const;
/** Not the demo dataset's seed: a population generated into a demo store gets other names. */
const DEFAULT_SEED = 20_261_207;

const { values } = parseArgs({
  options: {
    size: { type: 'string' },
    people: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`generate: ${message}\n`);
  process.exit(2);
}

function count(): number {
  if (values.people !== undefined) {
    const people = Number(values.people);
    if (!Number.isInteger(people) || people < 1 || people > 900_000)
      fail('--people must be a whole number from 1 to 900,000 (the NHS test range)');
    return people;
  }
  const size = values.size ?? 'london';
  if (!(size in POPULATION_SIZES)) fail(`--size must be one of ${Object.keys(POPULATION_SIZES).join(', ')}`);
  return POPULATION_SIZES[size as keyof typeof POPULATION_SIZES];
}

const people = count();
const seed = Number(values.seed ?? DEFAULT_SEED);
const concurrency = Number(values.concurrency ?? 4);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) fail('--concurrency must be from 1 to 32');

const logger = pino({ level: 'warn' });
const config = loadConfig({ ...process.env, UCP_DB_POOL_SIZE: String(concurrency + 2) });
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: concurrency + 2 }, logger);
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
  process.stderr.write('\nstopping after the plans being written; run again to continue\n');
});

try {
  await migrate(db, await loadMigrations());
  // The real key: the population is written into a store a server will open with it.
  const services = createAppServices(db, config, await openSecretBox(db, config, logger));
  await loadUcpTemplates(services.openehr.templates);
  await storeCarePlanQueries(services.openehr.storedQueries, systemCaller('care-plan-queries'));
  for (const organisation of DEMO_ORGANISATIONS) await upsertOrganisation(db, organisation);
  const today = new Date().toISOString().slice(0, 10);
  const population = syntheticLondoners(people, seed);
  const plans = syntheticPlans(population, { seed, today });
  const byNhsNumber = new Map(population.map((person) => [person.nhsNumber, person]));
  const planServices = { db, systemId: config.systemId, openehr: services.openehr, catalogue: services.carePlans.catalogue };
  const started = Date.now();
  const outcome = { written: 0, skipped: 0, failed: 0 };
  let next = 0;
  const report = () => {
    const done = outcome.written + outcome.skipped + outcome.failed;
    const rate = outcome.written / Math.max((Date.now() - started) / 1000, 0.001);
    const left = rate > 0 ? (plans.length - done) / rate : 0;
    process.stdout.write(
      `\r${done}/${plans.length} plans (${outcome.written} written, ${outcome.skipped} already there, ${outcome.failed} failed), ` +
        `${rate.toFixed(1)}/s, about ${Math.ceil(left / 60)} min left   `,
    );
  };
  const timer = setInterval(report, 2_000);
  const worker = async () => {
    while (!stopping) {
      const plan = plans[next++];
      if (!plan) return;
      try {
        if (await findCarePlanByNhsNumber(db, plan.nhsNumber)) {
          outcome.skipped++;
          continue;
        }
        const person = byNhsNumber.get(plan.nhsNumber);
        if (person) await ensureEhrAndRelationships(person, services.openehr);
        await seedDemoPlan(planServices, plan);
        outcome.written++;
      } catch (error) {
        outcome.failed++;
        logger.warn({ err: error, nhsNumber: plan.nhsNumber }, 'plan not written');
        if (outcome.failed > 20 && outcome.written === 0) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(timer);
  report();
  process.stdout.write(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (outcome.failed > 0) process.exitCode = 1;
} finally {
  await db.close();
}

/**
 * The person's EHR, and who cares for them, as the demo dataset records it: the demo GP practice,
 * and for some also the demo hospice or care home (so each demo log-in has people it may see).
 */
async function ensureEhrAndRelationships(person: SyntheticPerson, openehr: ReturnType<typeof createAppServices>['openehr']): Promise<void> {
  const subject = { id: person.nhsNumber, namespace: NHS_NUMBER_SYSTEM };
  if (!(await findEhrBySubject(db, subject))) {
    await openehr.ehrs.create(
      { status: ehrStatusForSubject(subject) },
      { committer: { _type: 'PARTY_IDENTIFIED', name: 'UCP population generator' }, description: 'synthetic population' },
    );
  }
  const serial = Number(person.nhsNumber.slice(3, 9));
  const relationships: [string, string][] = [['DEMOGP1', 'registered-gp']];
  if (serial % 3 === 0) relationships.push(['DEMOHSP', 'care-team']);
  if (serial % 5 === 0) relationships.push(['DEMOCH1', 'care-team']);
  await db.query(
    `INSERT INTO person_relationship (nhs_number, ods_code, kind)
     SELECT $1, unnest($2::text[]), unnest($3::text[]) ON CONFLICT DO NOTHING`,
    [person.nhsNumber, relationships.map(([code]) => code), relationships.map(([, kind]) => kind)],
  );
}
