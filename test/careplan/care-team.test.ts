import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCareTeam } from '../../src/access/care-team-store.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import { upsertOrganisation } from '../../src/organisations/organisation-store.js';
import { DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';
import { createPlanTestKit, declareCare, GP, HOSPICE, planOf, STRANGER, type PlanTestKit } from './care-plan-test-kit.js';

describe(`care-team membership is earned, never a side effect, on ${backend}`, () => {
  let kit: PlanTestKit;
  beforeAll(async () => {
    kit = await createPlanTestKit();
  });
  afterAll(() => kit.close());

  const relationships = (nhsNumber: string) => listCareTeam(kit.test.database.db, nhsNumber);

  it('refuses to start a plan for someone the organisation does not care for, gains it nothing, and audits the refusal', async () => {
    const nhsNumber = nextTestNhsNumber();
    const stranger = await kit.as(['senior-clinician'], STRANGER);
    const refused = await stranger({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain(`/api/people/${nhsNumber}/care-team`);
    expect(await relationships(nhsNumber)).toEqual([]);
    const denied = await queryAudit(kit.test.database.db, { nhsNumber, action: 'access-denied', limit: 10 });
    expect(denied.entries.map((entry) => entry.odsCode)).toEqual([STRANGER.odsCode]);
  });

  it('tells a writer without a relationship nothing about an existing plan', async () => {
    const nhsNumber = nextTestNhsNumber();
    const hospice = await kit.as(['clinician'], HOSPICE);
    await declareCare(hospice, nhsNumber);
    const created = await hospice({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    expect(created.statusCode).toBe(201);
    const stranger = await kit.as(['clinician'], STRANGER);
    const second = await stranger({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } });
    expect(second.statusCode).toBe(403);
    expect(second.body).not.toContain(planOf(created).ehrId);
    expect(second.headers['location']).toBeUndefined();
  });

  it('refuses a declaration without a reason a reviewer can check, and records nothing', async () => {
    const nhsNumber = nextTestNhsNumber();
    const stranger = await kit.as(['clinician'], STRANGER);
    for (const reason of ['', 'aaaaaaaaaaaaaaaaaaaa', 'because: I want to look at it', 'providing-care: x']) {
      const response = await stranger({ method: 'POST', url: `/api/people/${nhsNumber}/care-team`, payload: { reason } });
      expect(response.statusCode, reason).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await relationships(nhsNumber)).toEqual([]);
    expect((await queryAudit(kit.test.database.db, { nhsNumber, action: 'relationship-declared', limit: 10 })).entries).toEqual([]);
  });

  it('joins the care team by a declaration: who, when and why are shown, the person’s audit has it, and the plan can then be started', async () => {
    const nhsNumber = nextTestNhsNumber();
    const gp = await kit.as(['clinician'], GP);
    const declared = await gp({
      method: 'POST',
      url: `/api/people/${nhsNumber}/care-team`,
      payload: { reason: 'referral-accepted:  district nurses referred her for end of life planning' },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    expect(declared.json<{ members: unknown[] }>().members).toEqual([
      expect.objectContaining({
        odsCode: GP.odsCode,
        organisationName: GP.name,
        kind: 'care-team',
        basis: 'declared',
        reason: 'referral-accepted: district nurses referred her for end of life planning',
        addedBy: expect.any(String),
      }),
    ]);
    const again = await gp({
      method: 'POST',
      url: `/api/people/${nhsNumber}/care-team`,
      payload: { reason: 'other: declaring a second time must not rewrite who added it or why' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<{ members: { reason: string }[] }>().members[0]?.reason).toContain('district nurses');
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, action: 'relationship-declared', limit: 10 });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ odsCode: GP.odsCode, nhsNumber });
    const listed = await gp({ method: 'GET', url: `/api/people/${nhsNumber}/care-team` });
    expect(listed.statusCode).toBe(200);
    expect((await gp({ method: 'POST', url: '/api/care-plans', payload: { nhsNumber } })).statusCode).toBe(201);
  });

  it('refuses a declaration for someone who withdrew consent to share, and records nothing', async () => {
    const nhsNumber = nextTestNhsNumber();
    await kit.test.database.db.query('INSERT INTO person_consent (nhs_number, consent_to_share) VALUES ($1, false)', [nhsNumber]);
    const stranger = await kit.as(['clinician'], STRANGER);
    const refused = await stranger({
      method: 'POST',
      url: `/api/people/${nhsNumber}/care-team`,
      payload: { reason: 'providing-care: referred to us for palliative care at home this week' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ detail: string }>().detail).toContain('withdrawn consent');
    expect(await relationships(nhsNumber)).toEqual([]);
  });

  it('takes the registered GP from the demographics service, for practices taking part', async () => {
    // A demo person: the local demographics stub has them registered with the demo practice.
    const nhsNumber = syntheticLondoners(1, DEMO_SEED)[0]?.nhsNumber ?? '';
    const person = await kit.test.services.demographics.lookup(nhsNumber);
    const practice = person.demographics.registeredGpOdsCode;
    expect(practice).toBeTruthy();
    // Not taking part yet: no relationship.
    expect((await relationships(nhsNumber)).filter((member) => member.kind === 'registered-gp')).toEqual([]);
    await upsertOrganisation(kit.test.database.db, {
      odsCode: practice ?? '',
      name: 'The sandbox practice',
      kind: 'gp-practice',
      ics: 'North East London',
      dataSecurityStatus: 'standards-met',
    });
    await kit.test.services.demographics.lookup(nhsNumber, { fresh: true });
    expect((await relationships(nhsNumber)).filter((member) => member.kind === 'registered-gp')).toEqual([
      expect.objectContaining({ odsCode: practice, basis: 'demographics' }),
    ]);
  });
});
