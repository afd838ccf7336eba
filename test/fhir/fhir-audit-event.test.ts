import type { AuditEvent, Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/audit/audit-query.js';
import { AMBULANCE, createPlanTestKit, publishedPlan, STRANGER, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { expectValidFhir } from '../support/fhir-validation.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const CREW_CLIENT = 'cp-clinician-cpamb1';

describe(`the audit trail as FHIR AuditEvents on ${backend}`, () => {
  let kit: PlanTestKit;
  let nhsNumber: string;
  let ehrId: string;
  /** Between the plan's writing and the crew's reads. */
  let readsFrom: string;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    nhsNumber = nextTestNhsNumber();
    ({ ehrId } = await publishedPlan(kit, nhsNumber));
    await new Promise((resolve) => setTimeout(resolve, 5));
    readsFrom = new Date().toISOString();
    const crew = await kit.as(['clinician'], AMBULANCE);
    for (const url of [`/fhir/CarePlan/${ehrId}`, `/fhir/Flag?patient=Patient/${nhsNumber}`, `/fhir/CarePlan/${ehrId}`]) {
      expect((await crew({ method: 'GET', url })).statusCode).toBe(200);
    }
  });
  afterAll(() => kit.close());

  /** An auditor of the ambulance service, trusted with its own organisation's entries only. */
  const ambulanceAuditor = async () => {
    const token = await issueTestToken(kit.test.services, kit.test.database.db, {
      clientId: 'fhir-ambulance-auditor',
      scopes: ['fhir:read'],
      roles: ['auditor'],
      organisationOdsCode: AMBULANCE.odsCode,
    });
    return (url: string) => kit.test.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  };

  const bundleOf = (response: { statusCode: number; body: string; json<T>(): T }): Bundle<AuditEvent> => {
    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json<Bundle<AuditEvent>>();
    expectValidFhir(bundle);
    return bundle;
  };
  const events = (bundle: Bundle<AuditEvent>) => (bundle.entry ?? []).map((entry) => entry.resource as AuditEvent);
  const next = (bundle: Bundle) => {
    const url = bundle.link?.find((link) => link.relation === 'next')?.url;
    return url === undefined ? undefined : url.slice(url.indexOf('/fhir/'));
  };

  it('finds the reads of one person, newest first, page by page through the next links, each a valid AuditEvent', async () => {
    const as = await ambulanceAuditor();
    const all = events(bundleOf(await as(`/fhir/AuditEvent?patient=Patient/${nhsNumber}&_count=100`)));
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((event) => JSON.stringify(event.entity).includes(nhsNumber))).toBe(true);
    expect(all.every((event) => event.agent.some((agent) => agent.who?.identifier?.value === AMBULANCE.odsCode))).toBe(true);
    const ids = all.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const paged: string[] = [];
    let url: string | undefined = `/fhir/AuditEvent?patient:identifier=${NHS}|${nhsNumber}&_count=1`;
    for (let page = 0; url !== undefined && page < 50; page++) {
      const bundle = bundleOf(await as(url));
      expect(bundle.entry?.length ?? 0).toBeLessThanOrEqual(1);
      paged.push(...events(bundle).map((event) => event.id ?? ''));
      url = next(bundle);
    }
    // Paging by position neither repeats nor skips; what is newer than the first search is the
    // auditor's own reading of the trail (it names the person), appended before paging began.
    expect(paged.slice(-all.length)).toEqual(all.map((event) => event.id));
    const newer = paged.slice(0, -all.length);
    expect(newer.length).toBeGreaterThan(0);
    const trail = await queryAudit(kit.test.database.db, { actorId: 'fhir-ambulance-auditor', nhsNumber, limit: 100 });
    expect(newer.every((id) => trail.entries.some((entry) => String(entry.seq) === id))).toBe(true);
  });

  it('finds what one agent did, within a date range, and reads one entry by id as search showed it', async () => {
    const as = await ambulanceAuditor();
    const byCrew = events(bundleOf(await as(`/fhir/AuditEvent?agent=${CREW_CLIENT}&date=ge${readsFrom}&_count=100`)));
    expect(byCrew.map((event) => event.action)).toEqual(['R', 'R', 'R']);
    expect(byCrew.every((event) => event.agent[0]?.who?.identifier?.value === CREW_CLIENT)).toBe(true);
    const before = events(bundleOf(await as(`/fhir/AuditEvent?agent=${CREW_CLIENT}&date=lt${readsFrom}`)));
    expect(before.map((event) => event.id)).not.toEqual(expect.arrayContaining([byCrew[0]?.id]));
    const window = events(bundleOf(await as(`/fhir/AuditEvent?agent=${CREW_CLIENT}&date=ge${readsFrom}&date=le${byCrew[1]?.recorded}`)));
    expect(window.map((event) => event.id)).toEqual(byCrew.slice(1).map((event) => event.id));

    const first = byCrew[0] as AuditEvent;
    const read = await as(`/fhir/AuditEvent/${first.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<AuditEvent>()).toEqual(first);
    expectValidFhir(read.json<AuditEvent>());
    const missing = await as('/fhir/AuditEvent/999999999');
    expect(missing.statusCode).toBe(404);
    expectValidFhir(missing.json<OperationOutcome>());
  });

  it('audits reading the audit trail, naming the people the page named', async () => {
    const as = await ambulanceAuditor();
    bundleOf(await as(`/fhir/AuditEvent?patient=Patient/${nhsNumber}&_count=5`));
    const trail = await queryAudit(kit.test.database.db, { actorId: 'fhir-ambulance-auditor', nhsNumber, action: 'read', limit: 100 });
    expect(trail.entries[0]).toMatchObject({ resourceId: 'GET /fhir/AuditEvent', detail: { report: 'audit trail' } });
  });

  it("shows an auditor only their own organisation's entries", async () => {
    const token = await issueTestToken(kit.test.services, kit.test.database.db, {
      clientId: 'fhir-stranger-auditor',
      scopes: ['fhir:read'],
      roles: ['auditor'],
      organisationOdsCode: STRANGER.odsCode,
    });
    const as = (url: string) => kit.test.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(events(bundleOf(await as(`/fhir/AuditEvent?patient=Patient/${nhsNumber}`)))).toEqual([]);
    const theirs = events(bundleOf(await as(`/fhir/AuditEvent?agent=${CREW_CLIENT}`)));
    expect(theirs).toEqual([]);
    const crewEntry = events(bundleOf(await (await ambulanceAuditor())(`/fhir/AuditEvent?agent=${CREW_CLIENT}&_count=1`)))[0];
    expect((await as(`/fhir/AuditEvent/${crewEntry?.id}`)).statusCode).toBe(404);
  });

  it('refuses callers who are not auditors, and bad search values, with OperationOutcomes', async () => {
    const crew = await kit.as(['clinician'], AMBULANCE);
    const refused = await crew({ method: 'GET', url: `/fhir/AuditEvent?patient=Patient/${nhsNumber}` });
    expect(refused.statusCode).toBe(403);
    expectValidFhir(refused.json<OperationOutcome>());
    expect((await crew({ method: 'GET', url: '/fhir/AuditEvent/1' })).statusCode).toBe(403);
    const as = await ambulanceAuditor();
    for (const [query, mention] of [
      ['date=yesterday', 'not a date'],
      ['patient=Patient/1234567890', 'NHS number'],
      ['_offset=10', '_cursor'],
      ['_cursor=abc', 'next link'],
      ['date=ne2026-01-01', 'ne'],
    ] as const) {
      const response = await as(`/fhir/AuditEvent?${query}`);
      expect(response.statusCode, query).toBe(400);
      const outcome = response.json<OperationOutcome>();
      expectValidFhir(outcome);
      expect(JSON.stringify(outcome.issue), query).toContain(mention);
    }
  });
});
