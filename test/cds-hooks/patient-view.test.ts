import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import type { CdsCard } from '../../src/cds-hooks/patient-view-cards.js';
import { registerSystem } from '../../src/integration/registered-systems.js';
import { AMBULANCE, createPlanTestKit, NOT_FOR_CPR, publishedPlan, STRANGER, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { JwksServer } from '../support/jwks-server.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';

const DISPATCH = 'https://dispatch.example/cds-client';
const ELSEWHERE = 'https://elsewhere.example/cds-client';

describe(`CDS Hooks patient-view on ${backend}`, () => {
  let kit: PlanTestKit;
  const dispatch = new JwksServer('ES384');
  const elsewhere = new JwksServer('RS384');
  let audience: string;
  let nhsNumber: string;
  let ehrId: string;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    const db = kit.test.database.db;
    await registerSystem(db, {
      issuer: DISPATCH,
      name: 'Ambulance dispatch',
      jwksUrl: await dispatch.start(),
      odsCode: AMBULANCE.odsCode,
      purposes: ['cds-hooks'],
    });
    await registerSystem(db, {
      issuer: ELSEWHERE,
      name: 'Faraway EPR',
      jwksUrl: await elsewhere.start(),
      odsCode: STRANGER.odsCode,
      purposes: ['cds-hooks'],
    });
    audience = `${kit.test.config.publicUrl}/cds-services/ucp-patient-view`;
    nhsNumber = nextTestNhsNumber();
    ({ ehrId } = await publishedPlan(kit, nhsNumber, { respect: NOT_FOR_CPR, contacts: 'example' }));
  });
  afterAll(async () => {
    await kit.close();
    await dispatch.stop();
    await elsewhere.stop();
  });

  const hook = (token: string | undefined, patientNhsNumber = nhsNumber) =>
    kit.test.app.inject({
      method: 'POST',
      url: '/cds-services/ucp-patient-view',
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      payload: {
        hook: 'patient-view',
        hookInstance: crypto.randomUUID(),
        context: { userId: 'Practitioner/crew-1', patientId: 'emis-4711' },
        prefetch: {
          patient: {
            resourceType: 'Patient',
            id: 'emis-4711',
            identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: patientNhsNumber }],
          },
        },
      },
    });

  it('lists the service for discovery', async () => {
    const response = await kit.test.app.inject({ method: 'GET', url: '/cds-services' });
    expect(response.json()).toMatchObject({
      services: [{ hook: 'patient-view', id: 'ucp-patient-view', prefetch: { patient: 'Patient/{{context.patientId}}' } }],
    });
  });

  it('gives a registered system a critical card with the CPR recommendation, the focus of care and a SMART link, audited', async () => {
    const response = await hook(await dispatch.sign({ iss: DISPATCH, aud: audience }));
    expect(response.statusCode, response.body).toBe(200);
    const [card, ...rest] = response.json<{ cards: CdsCard[] }>().cards;
    expect(rest).toEqual([]);
    expect(card).toMatchObject({
      indicator: 'critical',
      summary: 'Urgent care plan — Not for CPR — focus: Prioritise comfort',
      source: { label: 'Urgent Care Plan' },
      links: [
        { type: 'smart', url: `${kit.test.config.publicUrl}/smart/launch`, appContext: JSON.stringify({ ehrId }) },
        { type: 'absolute' },
      ],
    });
    expect(card?.detail).toContain('CPR attempts not recommended');
    const audit = await queryAudit(kit.test.database.db, { nhsNumber, action: 'read', limit: 100 });
    expect(audit.entries.some((entry) => entry.actorId === DISPATCH && entry.resourceType === 'cds-hooks')).toBe(true);
  });

  it('answers without cards for someone with no plan', async () => {
    const response = await hook(await dispatch.sign({ iss: DISPATCH, aud: audience }), nextTestNhsNumber());
    expect(response.json()).toEqual({ cards: [] });
  });

  it('tells a system without a care relationship only that a plan exists', async () => {
    const response = await hook(await elsewhere.sign({ iss: ELSEWHERE, aud: audience }));
    expect(response.json<{ cards: CdsCard[] }>().cards).toEqual([
      expect.objectContaining({ summary: 'This person has an urgent care plan', indicator: 'info' }),
    ]);
    expect(response.body).not.toContain('CPR');
  });

  it('refuses a missing, replayed, forged, misdirected, expired or unregistered JWT with 401', async () => {
    const token = await dispatch.sign({ iss: DISPATCH, aud: audience });
    expect((await hook(token)).statusCode).toBe(200);
    const cases: [string, string | undefined][] = [
      ['no token', undefined],
      ['replayed', token],
      ['signed by another key', await elsewhere.sign({ iss: DISPATCH, aud: audience })],
      ['for another audience', await dispatch.sign({ iss: DISPATCH, aud: 'https://other.example/cds-services/x' })],
      [
        'expired',
        await dispatch.sign({
          iss: DISPATCH,
          aud: audience,
          iat: Math.floor(Date.now() / 1000) - 600,
          exp: Math.floor(Date.now() / 1000) - 300,
        }),
      ],
      ['too long-lived', await dispatch.sign({ iss: DISPATCH, aud: audience }, { lifetimeSeconds: 3600 })],
      ['unregistered', await dispatch.sign({ iss: 'https://unknown.example', aud: audience })],
      ['not a JWT', 'not-a-jwt'],
    ];
    for (const [what, bad] of cases) {
      const response = await hook(bad);
      expect(response.statusCode, what).toBe(401);
      expect(response.headers['www-authenticate'], what).toMatch(/^Bearer/);
    }
  });
});
