import { joinCareTeam } from '../access/care-team-store.js';
import type { Logger } from 'pino';
import type { Caller } from '../access/caller.js';
import { permissionsOf } from '../access/roles.js';
import type { PlanCatalogue } from '../careplan/catalogue/plan-catalogue.js';
import { CarePlanService } from '../careplan/care-plan-service.js';
import { findCarePlanByNhsNumber } from '../careplan/care-plan-store.js';
import type { PlanWriter } from '../careplan/plan-writer.js';
import type { Database, Queryable } from '../db/database.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import { Repository } from '../repository/repository.js';
import { DEMO_ORGANISATIONS } from './demo-people.js';
import { DEMO_PEOPLE, DEMO_SEED } from './seed-demo-dataset.js';
import { syntheticLondoners } from './synthetic-londoners.js';
import {
  SYNTHETIC_CLINICIANS,
  syntheticPlans,
  type SyntheticClinician,
  type SyntheticModuleId,
  type SyntheticPlan,
} from './synthetic-plans.js';

export interface DemoPlanServices {
  db: Database;
  systemId: string;
  openehr: OpenEhrServices;
  catalogue: PlanCatalogue;
}

export interface DemoPlanSeeding {
  /** Resolves when every plan is seeded, or seeding stopped; never rejects. */
  done: Promise<{ seeded: number; skipped: number; failed: number }>;
  /** Stops after the plan being written (at shutdown); resolves when it has. */
  stop(): Promise<void>;
}

/**
 * Gives the demo people their plans in the background, once the demo dataset is loaded: the
 * server answers meanwhile, and plans appear one by one (each through the whole lifecycle takes
 * a noticeable fraction of a second, and a few hundred would hold start-up for minutes). People
 * who already have a plan are skipped, so a server stopped half-way finishes the job when it
 * starts again. A plan that fails is logged and left out: demo data never stops the server.
 */
export function seedDemoPlansInBackground(
  given: DemoPlanServices,
  logger: Logger,
  today = new Date().toISOString().slice(0, 10),
): DemoPlanSeeding {
  const services = { ...given, db: yieldingDatabase(given.db) };
  let stopping = false;
  const done = (async () => {
    const outcome = { seeded: 0, skipped: 0, failed: 0 };
    const started = Date.now();
    const plans = syntheticPlans(syntheticLondoners(DEMO_PEOPLE, DEMO_SEED), { seed: DEMO_SEED, today });
    for (const plan of plans) {
      if (stopping) break;
      try {
        if (await findCarePlanByNhsNumber(services.db, plan.nhsNumber)) {
          outcome.skipped++;
          continue;
        }
        await seedDemoPlan(services, plan);
        outcome.seeded++;
        if (outcome.seeded % 50 === 0) logger.info({ ...outcome, of: plans.length }, 'demo care plans: seeding');
      } catch (error) {
        outcome.failed++;
        logger.warn({ err: error, nhsNumber: plan.nhsNumber }, 'demo care plan could not be seeded; left out');
      }
    }
    if (outcome.seeded > 0 || outcome.failed > 0)
      logger.info({ ...outcome, of: plans.length, ms: Date.now() - started, stopped: stopping }, 'demo care plans seeded');
    return outcome;
  })();
  return {
    done,
    async stop() {
      stopping = true;
      await done;
    },
  };
}

/** Modules that record CPR/ReSPECT decisions: written by a senior clinician, as the service requires. */
const SENIOR_MODULES: ReadonlySet<SyntheticModuleId> = new Set(['respect', 'preferences']);

/**
 * Seeds one synthetic plan through the care plan service's lifecycle, as the clinicians of the
 * demo organisations would have: created and written by its author (ReSPECT by a senior),
 * submitted, approved and published by a senior, closed when the person died. The service runs
 * with a clock set to the day the plan was written, so a plan can be seeded as published months
 * ago with a review date that has since passed. Pathways and modules the installed catalogue
 * does not have yet are left out.
 */
export async function seedDemoPlan(services: DemoPlanServices, plan: SyntheticPlan): Promise<void> {
  const authoredAt = new Date(`${plan.authoredOn}T10:00:00Z`);
  const plans = new CarePlanService(services.db, services.openehr, services.catalogue, () => authoredAt);
  const starter = writerFor(services, plan.author, plan.nhsNumber, 'create');
  const author = writerFor(services, plan.author, plan.nhsNumber, 'update');
  const senior = writerFor(services, plan.approver ?? seniorNear(plan.author), plan.nhsNumber, 'update');
  const pathways = plan.pathways.filter((pathway) => services.catalogue.pathway(pathway) !== undefined);

  // In the story the dataset tells, the author's and approver's organisations were caring for the
  // person: their care-team membership is recorded as the explicit act it always is.
  for (const clinician of [plan.author, plan.approver ?? plan.author]) {
    await joinCareTeam(services.db, {
      nhsNumber: plan.nhsNumber,
      odsCode: clinician.odsCode,
      basis: 'system',
      addedBy: 'demo dataset',
      reason: 'providing-care: the organisation wrote or approved this demo plan',
    });
  }
  let view = await plans.create({ nhsNumber: plan.nhsNumber, pathways, consent: plan.consent }, starter);
  for (const [moduleId, flat] of Object.entries(plan.modules) as [SyntheticModuleId, Record<string, string | number | boolean>][]) {
    if (!services.catalogue.module(pathways, moduleId)) continue;
    const writer = SENIOR_MODULES.has(moduleId) ? senior : author;
    view = (await plans.saveModule(view.ehrId, moduleId, flat, { baseRevision: view.revision, changeSummary: undefined }, writer)).plan;
  }
  if (plan.status === 'draft') return;
  view = (
    await plans.submit(
      view.ehrId,
      { baseRevision: view.revision, reviewDate: plan.reviewDate, changeSummary: 'First version of the plan' },
      author,
    )
  ).plan;
  if (plan.status === 'awaiting-approval') return;
  view = await plans.publish(view.ehrId, view.revision, senior);
  if (plan.status === 'closed' && plan.death) {
    const now = new Date();
    const closing = new CarePlanService(services.db, services.openehr, services.catalogue, () => now);
    await closing.recordDeath(
      view.ehrId,
      { baseRevision: view.revision, date: plan.death.date, place: plan.death.place, placeDiffersReason: undefined },
      author,
    );
  }
}

/**
 * The database with a turn of the event loop before each statement. Embedded PGlite answers
 * without returning to the event loop, so a plan's dozens of statements would otherwise hold
 * every request (and the stop signal) until the plan is written; this lets them in between.
 */
function yieldingDatabase(db: Database): Database {
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const yielding = (queryable: Queryable): Queryable => ({
    async query(sql, params) {
      await turn();
      return queryable.query(sql, params);
    },
    async exec(sql) {
      await turn();
      return queryable.exec(sql);
    },
  });
  const database: Database = {
    ...yielding(db),
    backend: db.backend,
    transaction: (work) => db.transaction((tx) => work(yielding(tx))),
    listen: (channel, handler) => db.listen(channel, handler),
    get reader() {
      return db.reader === db ? database : db.reader;
    },
    close: () => db.close(),
  };
  return database;
}

function seniorNear(clinician: SyntheticClinician): SyntheticClinician {
  const seniors = SYNTHETIC_CLINICIANS.filter((candidate) => candidate.senior);
  const fallback = seniors[0];
  if (!fallback) throw new Error('the demo has no senior clinician');
  return seniors.find((candidate) => candidate.odsCode === clinician.odsCode) ?? fallback;
}

/** An invented GMC number for a demo clinician (in no register), the same for the same name: recorded with their CPR decisions. */
function demoRegistration(name: string): string {
  let hash = 7;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) % 9_000_000;
  return `GMC ${String(1_000_000 + hash).padStart(7, '0')}`;
}

/** The demo clinician as the service sees a signed-in user, with the audit trail a route would write. */
function writerFor(services: DemoPlanServices, clinician: SyntheticClinician, nhsNumber: string, action: 'create' | 'update'): PlanWriter {
  const organisation = DEMO_ORGANISATIONS.find((candidate) => candidate.odsCode === clinician.odsCode);
  if (!organisation) throw new Error(`demo clinician ${clinician.name} works for an unknown organisation ${clinician.odsCode}`);
  const roles = clinician.senior ? (['senior-clinician'] as const) : (['clinician'] as const);
  const caller: Caller = {
    kind: 'user',
    id: `demo:${clinician.name.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    displayName: clinician.name,
    organisation,
    roles,
    permissions: permissionsOf(roles),
    scopes: undefined,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    professionalRegistrationId: demoRegistration(clinician.name),
    breakGlassReason: undefined,
    purposeOfUse: 'direct-care',
    clientAddress: undefined,
    sessionId: undefined,
  };
  return new Repository(caller, { db: services.db, openehr: services.openehr }, { origin: 'demo dataset' }).writer(
    undefined,
    { action, recordType: 'care-plan', ownProjections: true },
    nhsNumber,
  );
}
