import { accessChanged } from '../access/access-generation.js';
import type { Logger } from 'pino';
import type { DemoMode } from '../config/config.js';
import type { Database } from '../db/database.js';
import { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import { ehrStatusForSubject } from '../openehr/service/ehr-status.js';
import { readSystemSetting, type SystemSettings } from '../system/system-settings.js';
import { upsertOrganisation } from '../organisations/organisation-store.js';
import { createLocalAccount } from '../users/local-accounts.js';
import { addMembership, createUser } from '../users/user-store.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_SEED, DEMO_USERS } from './demo-people.js';
import { syntheticLondoners } from './synthetic-londoners.js';

export const DEMO_PEOPLE = 300;
export { DEMO_SEED };

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
  // One transaction for every EHR, one statement for every relationship: 300 commits each
  // would take most of the seeding's time.
  const people = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED);
  const { rows: present } = await db.query<{ subject_id: string }>(
    'SELECT subject_id FROM ehr WHERE subject_namespace = $1 AND subject_id = ANY($2::text[])',
    [NHS_NUMBER_SYSTEM, people.map((person) => person.nhsNumber)],
  );
  const withEhr = new Set(present.map((row) => row.subject_id));
  const missing = people.filter((person) => !withEhr.has(person.nhsNumber));
  await openehr.ehrs.createMany(
    missing.map((person) => ({ status: ehrStatusForSubject({ id: person.nhsNumber, namespace: NHS_NUMBER_SYSTEM }) })),
    DEMO_COMMITTER,
  );
  const relationships = people.flatMap((person, index) => demoRelationships(person.nhsNumber, index));
  await db.query(
    `INSERT INTO person_relationship (nhs_number, ods_code, kind, basis, added_by, reason)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), 'system', 'demo dataset',
            'the demo story: registered, cared for or resident here'
     ON CONFLICT DO NOTHING`,
    [relationships.map(([nhsNumber]) => nhsNumber), relationships.map(([, odsCode]) => odsCode), relationships.map(([, , kind]) => kind)],
  );
  accessChanged();
  // Together: each account's password hash (scrypt, deliberately slow) runs on the thread pool.
  await Promise.all(
    DEMO_USERS.map(async (demoUser) => {
      const user = await createUser(db, {
        displayName: demoUser.displayName,
        email: demoUser.email,
        ...(demoUser.nhsNumber ? { nhsNumber: demoUser.nhsNumber } : {}),
        ...(demoUser.professionalRegistrationId ? { professionalRegistrationId: demoUser.professionalRegistrationId } : {}),
      });
      await addMembership(db, user.id, demoUser.odsCode, demoUser.roles);
      await createLocalAccount(db, { userId: user.id, username: demoUser.username, password: DEMO_PASSWORD });
    }),
  );

  logger.info({ people: DEMO_PEOPLE, users: DEMO_USERS.length, ms: Date.now() - started }, 'demo dataset loaded');
  return marker;
}

/**
 * Everyone is registered with the demo GP practice; some are also cared for by the demo hospice
 * or live in the demo care home, so each demo log-in has people it may see without breaking the glass.
 */
function demoRelationships(nhsNumber: string, index: number): [nhsNumber: string, odsCode: string, kind: string][] {
  const relationships: [string, string, string][] = [[nhsNumber, 'DEMOGP1', 'registered-gp']];
  if (index % 3 === 0) relationships.push([nhsNumber, 'DEMOHSP', 'care-team']);
  if (index % 5 === 0) relationships.push([nhsNumber, 'DEMOCH1', 'care-team']);
  return relationships;
}
