import type { Queryable } from '../db/database.js';
import { PdsStub, type PdsStubData } from '../demographics/stub/pds-stub.js';
import { sandboxStubData } from '../demographics/stub/sandbox-patients.js';
import { readSystemSetting } from '../system/system-settings.js';
import { DEMO_PEOPLE, DEMO_SEED } from './seed-demo-dataset.js';
import { syntheticPdsPatients, syntheticSupersession } from './synthetic-demographics.js';
import { syntheticLondoners } from './synthetic-londoners.js';
import { syntheticPlans } from './synthetic-plans.js';

/** The demo GP practice every demo person is registered with (demo-people.ts). */
const DEMO_PRACTICE = 'DEMOGP1';

/**
 * The local PDS stub of demo mode and tests: the PDS sandbox's records and the demo people.
 * The demo people's deaths are those their plans record, dated from the day the dataset was
 * loaded, so PDS and the plan agree.
 */
export function localPdsStub(db: Queryable): PdsStub {
  return new PdsStub(() => localPdsStubData(db));
}

/** What the local stub knows: the sandbox's records and the demo people's. */
export async function localPdsStubData(db: Queryable): Promise<PdsStubData> {
  return mergeStubData(sandboxStubData(), await demoPdsStubData(db));
}

export async function demoPdsStubData(db: Queryable): Promise<PdsStubData> {
  const dataset = await readSystemSetting(db, 'demo_dataset');
  const today = (dataset?.seededAt ?? new Date().toISOString()).slice(0, 10);
  const people = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED);
  const deaths = new Map(
    syntheticPlans(people, { seed: DEMO_SEED, today }).flatMap((plan) => (plan.death ? [[plan.nhsNumber, plan.death.date] as const] : [])),
  );
  return {
    patients: syntheticPdsPatients(people, { seed: DEMO_SEED, gpOdsCode: DEMO_PRACTICE, today, deaths }),
    superseded: syntheticSupersession(people),
  };
}

function mergeStubData(...parts: PdsStubData[]): PdsStubData {
  return {
    patients: parts.flatMap((part) => part.patients),
    searchEntries: parts.flatMap((part) => part.searchEntries ?? []),
    superseded: new Map(parts.flatMap((part) => [...(part.superseded ?? new Map<string, string>())])),
  };
}
