import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerOrganisation } from '../../src/access/caller.js';
import { listCareTeam } from '../../src/access/care-team-store.js';
import { DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { withRegisteredGpCorrection } from '../../src/demographics/registered-gp-correction.js';
import type { PersonDemographics } from '../../src/demographics/person-demographics.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { backend } from '../support/test-database.js';
import { createPlanTestKit, declareCare, GP, HOSPICE, type PlanTestKit } from '../careplan/care-plan-test-kit.js';

/** The practice the demographics stub registers every demo person with: here, the wrong one. */
const WRONG_PRACTICE: CallerOrganisation = {
  odsCode: 'DEMOGP1',
  name: 'Demo Riverside Surgery',
  kind: 'gp-practice',
  ics: 'South East London',
  dataSecurityStatus: 'standards-met',
};

interface PersonBody {
  registeredGp: { odsCode: string; name: string | null } | null;
  source: string;
  version: number;
}

describe(`a wrong registered GP is corrected by a named administrator with a reason, on ${backend}`, () => {
  let kit: PlanTestKit;
  // Two demo people the stub registers with the demo practice (one in sixty is restricted: not these).
  const [ada, ben] = syntheticLondoners(4, DEMO_SEED)
    .slice(2, 4)
    .map((person) => person.nhsNumber);
  const reason = 'She moved to Riverside Practice in March; the practice confirmed her registration by phone today.';

  beforeAll(async () => {
    kit = await createPlanTestKit();
    await upsertOrganisation(kit.test.database.db, WRONG_PRACTICE);
    for (const nhsNumber of [ada, ben]) await kit.test.services.demographics.lookup(nhsNumber ?? '', { fresh: true });
  }, 120_000);
  afterAll(() => kit.close());

  const correction = (nhsNumber: string, body: object) => ({
    method: 'POST' as const,
    url: `/api/people/${nhsNumber}/registered-gp/correction`,
    payload: body,
  });
  const registeredGp = async (nhsNumber: string) =>
    (await listCareTeam(kit.test.database.db, nhsNumber)).filter((member) => member.kind === 'registered-gp');

  it('moves the registered-GP relationship to the right practice, keeps the history, and shows it in the access report', async () => {
    const nhsNumber = ada ?? '';
    expect(await registeredGp(nhsNumber)).toEqual([expect.objectContaining({ odsCode: WRONG_PRACTICE.odsCode, basis: 'demographics' })]);
    const wrongAdmin = await kit.as(['org-admin'], WRONG_PRACTICE);
    const rightAdmin = await kit.as(['org-admin'], GP);
    const clinician = await kit.as(['senior-clinician'], WRONG_PRACTICE);
    const rightClinician = await kit.as(['clinician'], GP);
    const wrongClinician = await kit.as(['clinician'], WRONG_PRACTICE);

    // Not a clinician's act; not the right practice claiming the person; not without a reason or for a practice not taking part.
    expect((await clinician(correction(nhsNumber, { odsCode: GP.odsCode, reason }))).statusCode).toBe(403);
    const claimed = await rightAdmin(correction(nhsNumber, { odsCode: GP.odsCode, reason }));
    expect(claimed.statusCode).toBe(403);
    expect(claimed.headers['content-type']).toContain('application/problem+json');
    expect((await wrongAdmin(correction(nhsNumber, { odsCode: GP.odsCode, reason: 'wrong' }))).statusCode).toBe(400);
    expect((await wrongAdmin(correction(nhsNumber, { odsCode: 'NOSUCH1', reason }))).statusCode).toBe(422);
    expect((await wrongAdmin(correction(nhsNumber, { odsCode: HOSPICE.odsCode, reason }))).statusCode).toBe(422);
    expect((await wrongAdmin(correction(nhsNumber, { odsCode: WRONG_PRACTICE.odsCode, reason }))).statusCode).toBe(409);
    expect(await registeredGp(nhsNumber)).toEqual([expect.objectContaining({ odsCode: WRONG_PRACTICE.odsCode })]);
    expect((await rightClinician({ method: 'GET', url: `/api/people/${nhsNumber}` })).statusCode).toBe(403);

    const corrected = await wrongAdmin(correction(nhsNumber, { odsCode: GP.odsCode, reason }));
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json<PersonBody>()).toMatchObject({
      registeredGp: { odsCode: GP.odsCode, name: GP.name },
      source: 'manual',
      version: 2,
    });
    expect(await registeredGp(nhsNumber)).toEqual([
      expect.objectContaining({ odsCode: GP.odsCode, basis: 'corrected', reason, addedBy: expect.any(String) }),
    ]);
    // Access followed: the right practice reads the person, the wrong one (no other relationship) no longer does.
    expect((await rightClinician({ method: 'GET', url: `/api/people/${nhsNumber}` })).statusCode).toBe(200);
    expect((await wrongClinician({ method: 'GET', url: `/api/people/${nhsNumber}` })).statusCode).toBe(403);

    // The PDS version is kept: the correction is the next version.
    const versions = await kit.test.database.db.query<{ version: number; source: string; gp: string }>(
      `SELECT version, source, demographics->>'registeredGpOdsCode' AS gp FROM person_demographics_version WHERE nhs_number = $1 ORDER BY version`,
      [nhsNumber],
    );
    expect(versions.rows).toEqual([
      { version: 1, source: 'pds-stub', gp: WRONG_PRACTICE.odsCode },
      { version: 2, source: 'manual', gp: GP.odsCode },
    ]);

    // In the person's access report: who corrected what to what, and why.
    const auditor = await kit.as(['auditor'], WRONG_PRACTICE);
    const report = await auditor({ method: 'GET', url: `/api/people/${nhsNumber}/access-report` });
    expect(report.statusCode, report.body).toBe(200);
    const entries = report.json<{ entries: { action: string; resourceType: string; detail: Record<string, unknown> }[] }>().entries;
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'update',
        resourceType: 'registered-gp',
        detail: expect.objectContaining({ from: WRONG_PRACTICE.odsCode, to: GP.odsCode, reason }),
      }),
    );
    // The right practice's refused claim is there too, as a refusal.
    const denied = await kit.test.database.db.query<{ ods_code: string }>(
      `SELECT ods_code FROM audit_log WHERE nhs_number = $1 AND action = 'access-denied'`,
      [nhsNumber],
    );
    expect(denied.rows.map((row) => row.ods_code)).toContain(GP.odsCode);

    // PDS still names the wrong practice: the correction stands, and no new version is made.
    const again = await kit.test.services.demographics.lookup(nhsNumber, { fresh: true });
    expect(again.demographics.registeredGpOdsCode).toBe(GP.odsCode);
    expect(again.version).toBe(2);
    expect(await registeredGp(nhsNumber)).toEqual([expect.objectContaining({ odsCode: GP.odsCode, basis: 'corrected' })]);
  });

  it('leaves the wrong practice a relationship it earned otherwise, and a platform administrator may correct any person', async () => {
    const nhsNumber = ben ?? '';
    const wrongClinician = await kit.as(['clinician'], WRONG_PRACTICE);
    await declareCare(wrongClinician, nhsNumber);
    const platformAdmin = await kit.as(['platform-admin'], HOSPICE);
    const corrected = await platformAdmin(correction(nhsNumber, { odsCode: GP.odsCode, reason }));
    expect(corrected.statusCode, corrected.body).toBe(200);
    const team = await listCareTeam(kit.test.database.db, nhsNumber);
    expect(team).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ odsCode: GP.odsCode, kind: 'registered-gp', basis: 'corrected' }),
        expect.objectContaining({ odsCode: WRONG_PRACTICE.odsCode, kind: 'care-team', basis: 'declared' }),
      ]),
    );
    expect(team.filter((member) => member.odsCode === WRONG_PRACTICE.odsCode && member.kind === 'registered-gp')).toEqual([]);
    expect((await wrongClinician({ method: 'GET', url: `/api/people/${nhsNumber}` })).statusCode).toBe(200);
  });

  it('lapses once PDS names another practice: the registration was fixed at source, and PDS is followed again', async () => {
    const nhsNumber = ben ?? '';
    const held = await kit.test.services.demographics.lookup(nhsNumber);
    const db = kit.test.database.db;
    const still: PersonDemographics = { ...held.demographics, registeredGpOdsCode: WRONG_PRACTICE.odsCode };
    expect((await db.transaction((tx) => withRegisteredGpCorrection(tx, still))).registeredGpOdsCode).toBe(GP.odsCode);
    const moved: PersonDemographics = { ...held.demographics, registeredGpOdsCode: 'CPGP99' };
    expect((await db.transaction((tx) => withRegisteredGpCorrection(tx, moved))).registeredGpOdsCode).toBe('CPGP99');
    const lapsed = await db.query<{ lapsed: boolean }>(
      'SELECT lapsed_at IS NOT NULL AS lapsed FROM registered_gp_correction WHERE nhs_number = $1',
      [nhsNumber],
    );
    expect(lapsed.rows).toEqual([{ lapsed: true }]);
    expect((await db.transaction((tx) => withRegisteredGpCorrection(tx, still))).registeredGpOdsCode).toBe(WRONG_PRACTICE.odsCode);
  });
});
