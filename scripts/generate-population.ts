/**
 * npm run generate -- [--size ci|city|london | --people N] [--seed N] [--concurrency N]
 *                      [--bulk | --mode service|batched|bulk] [--batch N]
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
 *
 * `--mode batched` (PostgreSQL only): the same service calls, but each writer puts a batch of
 * `--batch` plans (default 100) in one transaction; a batch that fails is written again plan by
 * plan. `--bulk` (`--mode bulk`, PostgreSQL only): batched, and the compositions are not checked
 * against their templates again (the synthetic plans are valid by construction).
 * test/demo/generate-population.test.ts shows all three store the same rows.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openSecretBox } from '../src/server/start-server.js';
import { storeCarePlanQueries } from '../src/careplan/queries/care-plan-queries.js';
import { loadUcpTemplates } from '../src/careplan/pathway/index.js';
import { systemCaller } from '../src/access/caller.js';
import { loadConfig } from '../src/config/config.js';
import { loadMigrations, migrate } from '../src/db/migrations.js';
import { openDatabase } from '../src/db/open-database.js';
import { DEMO_ORGANISATIONS } from '../src/demo/demo-people.js';
import { writePopulation } from '../src/demo/generate-population.js';
import { syntheticLondoners } from '../src/demo/synthetic-londoners.js';
import { syntheticPlans } from '../src/demo/synthetic-plans.js';
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
    bulk: { type: 'boolean' },
    mode: { type: 'string' },
    batch: { type: 'string' },
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
const batchSize = Number(values.batch ?? 100);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) fail('--batch must be from 1 to 10,000');

const MODES = ['service', 'batched', 'bulk'] as const;
if (values.bulk && values.mode !== undefined && values.mode !== 'bulk') fail('--bulk is --mode bulk; give one or the other');
const mode = values.bulk ? 'bulk' : (values.mode ?? 'service');
if (!(MODES as readonly string[]).includes(mode)) fail(`--mode must be one of ${MODES.join(', ')}`);
const writing = mode as (typeof MODES)[number];

const logger = pino({ level: 'warn' });
if (writing !== 'service' && !process.env['DATABASE_URL'])
  fail(`--mode ${writing} needs PostgreSQL (DATABASE_URL); the embedded store is written plan by plan`);
const config = loadConfig({ ...process.env, UCP_DB_POOL_SIZE: String(concurrency + 2) });
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: concurrency + 2 }, logger);
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
  process.stderr.write(
    writing !== 'service'
      ? '\nstopping: the batches in hand are rolled back; run again to continue\n'
      : '\nstopping after the plans being written; run again to continue\n',
  );
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
  const planServices = { db, systemId: config.systemId, openehr: services.openehr, catalogue: services.carePlans.catalogue };
  const started = Date.now();
  const outcome = { written: 0, skipped: 0, failed: 0 };
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
  await writePopulation(
    planServices,
    population,
    plans,
    {
      mode: writing,
      batchSize,
      concurrency,
      stopping: () => stopping,
      onFailure: (nhsNumber, error) => logger.warn({ err: error, nhsNumber }, 'plan not written'),
    },
    outcome,
  );
  clearInterval(timer);
  report();
  process.stdout.write(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (outcome.failed > 0) process.exitCode = 1;
} finally {
  await db.close();
}
