import type { Logger } from 'pino';
import type { DemoMode } from '../config/config.js';
import type { Database } from '../db/database.js';
import { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import { ehrStatusForSubject } from '../openehr/service/ehr-status.js';
import { findEhrBySubject } from '../openehr/store/ehr-store.js';
import { readSystemSetting, type SystemSettings } from '../system/system-settings.js';
import { upsertOrganisation } from '../organisations/organisation-store.js';
import { createLocalAccount } from '../users/local-accounts.js';
import { addMembership, createUser } from '../users/user-store.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_USERS } from './demo-people.js';
import { syntheticLondoners } from './synthetic-londoners.js';

export const DEMO_PEOPLE = 300;
export const DEMO_SEED = 20_260_401;

export type DemoDataset = SystemSettings['demo_dataset'];

const DEMO_COMMITTER = {
  committer: { _type: 'PARTY_IDENTIFIED' as const, name: 'UCP demo data generator' },
  description: 'synthetic demo data',
};

/**
 * Loads the synthetic demo dataset when configuration asks for it: `on` always (once), `auto`
 * only into an empty store. One server claims the seeding by writing the marker first, so
 * several servers starting together against one database seed it once. Every record goes
 * through the same services as real data.
 */
export async function seedDemoDataset(
  mode: DemoMode,
  db: Database,
  openehr: OpenEhrServices,
  logger: Logger,
): Promise<DemoDataset | undefined> {
  const existing = await readSystemSetting(db, 'demo_dataset');
  if (existing || mode === 'off') return existing;
  if (mode === 'auto') {
    const { rows } = await db.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM ehr) AS present');
    // Data present: real data (no marker), or another server is loading the demo right now.
    if (rows[0]?.present) return readSystemSetting(db, 'demo_dataset');
  }
  const marker: DemoDataset = { seededAt: new Date().toISOString(), people: DEMO_PEOPLE, seed: DEMO_SEED };
  const claimed = await db.query("INSERT INTO system_setting (key, value) VALUES ('demo_dataset', $1) ON CONFLICT (key) DO NOTHING", [
    JSON.stringify(marker),
  ]);
  if (claimed.rowCount === 0) return readSystemSetting(db, 'demo_dataset');

  const started = Date.now();
  for (const organisation of DEMO_ORGANISATIONS) await upsertOrganisation(db, organisation);
  for (const [index, person] of syntheticLondoners(DEMO_PEOPLE, DEMO_SEED).entries()) {
    const subject = { id: person.nhsNumber, namespace: NHS_NUMBER_SYSTEM };
    if (await findEhrBySubject(db, subject)) continue;
    await openehr.ehrs.create({ status: ehrStatusForSubject(subject) }, DEMO_COMMITTER);
    await db.query(
      `INSERT INTO person_relationship (nhs_number, ods_code, kind, basis, added_by, reason)
       SELECT $1, unnest($2::text[]), unnest($3::text[]), 'system', 'demo dataset', 'the demo story: registered, cared for or resident here'
       ON CONFLICT DO NOTHING`,
      demoRelationships(person.nhsNumber, index),
    );
  }
  for (const demoUser of DEMO_USERS) {
    const user = await createUser(db, {
      displayName: demoUser.displayName,
      email: demoUser.email,
      ...(demoUser.nhsNumber ? { nhsNumber: demoUser.nhsNumber } : {}),
      ...(demoUser.professionalRegistrationId ? { professionalRegistrationId: demoUser.professionalRegistrationId } : {}),
    });
    await addMembership(db, user.id, demoUser.odsCode, demoUser.roles);
    await createLocalAccount(db, { userId: user.id, username: demoUser.username, password: DEMO_PASSWORD });
  }
  logger.info({ people: DEMO_PEOPLE, users: DEMO_USERS.length, ms: Date.now() - started }, 'demo dataset loaded');
  return marker;
}

/**
 * Everyone is registered with the demo GP practice; some are also cared for by the demo hospice
 * or live in the demo care home, so each demo log-in has people it may see without breaking the glass.
 */
function demoRelationships(nhsNumber: string, index: number): [string, string[], string[]] {
  const relationships: [string, string][] = [['DEMOGP1', 'registered-gp']];
  if (index % 3 === 0) relationships.push(['DEMOHSP', 'care-team']);
  if (index % 5 === 0) relationships.push(['DEMOCH1', 'care-team']);
  return [nhsNumber, relationships.map(([code]) => code), relationships.map(([, kind]) => kind)];
}
