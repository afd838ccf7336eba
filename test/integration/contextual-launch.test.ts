import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import { registerSystem } from '../../src/integration/registered-systems.js';
import { addMembership, createUser } from '../../src/users/user-store.js';
import { createPlanTestKit, HOSPICE, publishedPlan, STRANGER, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { JwksServer } from '../support/jwks-server.js';
import { backend } from '../support/test-database.js';

const EPR = 'https://epr.faraway.example';

describe(`contextual launch from a record system on ${backend}`, () => {
  let kit: PlanTestKit;
  const epr = new JwksServer('RS384');
  let audience: string;
  let nhsNumber: string;
  let ehrId: string;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    const db = kit.test.database.db;
    await registerSystem(db, {
      issuer: EPR,
      name: 'Faraway EPR',
      jwksUrl: await epr.start(),
      odsCode: STRANGER.odsCode,
      purposes: ['contextual-launch'],
    });
    const doctor = await createUser(db, { displayName: 'Dr Far Away', email: 'far.away@faraway.example' });
    await addMembership(db, doctor.id, STRANGER.odsCode, ['clinician']);
    audience = `${kit.test.config.publicUrl}/launch/context`;
    nhsNumber = nextTestNhsNumber();
    ({ ehrId } = await publishedPlan(kit, nhsNumber));
  });
  afterAll(async () => {
    await kit.close();
    await epr.stop();
  });

  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: EPR,
    aud: audience,
    email: 'far.away@faraway.example',
    ods: STRANGER.odsCode,
    role: 'clinician',
    nhs_number: nhsNumber,
    ...extra,
  });
  const launch = (token: string) => kit.test.app.inject({ method: 'GET', url: `/launch/context?token=${token}` });

  it('signs the user in with the person as launch context, lands on the person, and the launch is the relationship that opens the plan', async () => {
    const refusedBefore = await kit.as(['clinician'], STRANGER);
    expect((await refusedBefore({ method: 'GET', url: `/api/care-plans/${ehrId}` })).statusCode).toBe(403);
    const token = await epr.sign(claims());
    const response = await launch(token);
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers['location']).toBe(`/people/${nhsNumber}`);
    const cookie = response.cookies.find((candidate) => candidate.value !== '');
    expect(cookie).toBeDefined();
    const plan = await kit.test.app.inject({
      method: 'GET',
      url: `/api/care-plans/${ehrId}`,
      cookies: { [cookie?.name ?? '']: cookie?.value ?? '' },
    });
    expect(plan.statusCode, plan.body).toBe(200);
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, limit: 50 });
    expect(audit.entries.find((entry) => entry.action === 'sign-in')?.detail).toMatchObject({
      method: 'contextual-launch',
      system: EPR,
      role: 'clinician',
    });
    expect(audit.entries.find((entry) => entry.action === 'read')?.detail).toMatchObject({ basis: 'launch-context' });

    const replayed = await launch(token);
    expect(replayed.statusCode).toBe(401);
  });

  it('refuses a launch for a role the user does not hold, for another organisation, or with a bad token, starting no session', async () => {
    for (const [what, token, status] of [
      ['a role not held', await epr.sign(claims({ role: 'senior-clinician' })), 403],
      ['another organisation', await epr.sign(claims({ ods: HOSPICE.odsCode })), 403],
      ['an unknown user', await epr.sign(claims({ email: 'nobody@faraway.example' })), 403],
      ['a bad NHS number', await epr.sign(claims({ nhs_number: '1234567890' })), 400],
      ['another audience', await epr.sign(claims({ aud: `${kit.test.config.publicUrl}/cds-services/x` })), 401],
      ['an unregistered issuer', await epr.sign(claims({ iss: 'https://rogue.example' })), 401],
    ] as const) {
      const response = await launch(token);
      expect(response.statusCode, what).toBe(status);
      expect(
        response.cookies.filter((cookie) => cookie.value !== ''),
        what,
      ).toEqual([]);
    }
  });
});
