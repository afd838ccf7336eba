import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, OperationOutcome, Parameters, Subscription } from '@medplum/fhirtypes';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { issueAccessToken } from '../../src/auth/tokens/access-token.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { verifyNotificationSignature } from '../../src/fhir/subscriptions/notification-signature.js';
import { HMAC_SECRET_EXTENSION } from '../../src/fhir/subscriptions/subscription-resource.js';
import { queryAudit } from '../../src/audit/audit-query.js';
import {
  AMBULANCE,
  createPlanTestKit,
  declareCare,
  GP,
  HOSPICE,
  publishedPlan,
  STRANGER,
  type PlanTestKit,
} from '../careplan/care-plan-test-kit.js';
import { issueTestToken } from '../support/authorized-inject.js';
import { eventually } from '../support/eventually.js';
import { expectValidFhir } from '../support/fhir-validation.js';
import { nextTestNhsNumber } from '../support/fixtures.js';
import { backend } from '../support/test-database.js';

interface Received {
  at: number;
  body: string;
  signature: string;
  eventNumber: number;
  focus: string;
}

/** A record system's webhook receiver: answers 200 while up, 503 while "down", and keeps what it got. */
class Subscriber {
  readonly received: Received[] = [];
  up = true;
  attemptsWhileDown = 0;
  #server: Server | undefined;

  async start(): Promise<string> {
    this.#server = createServer((request, response) => void this.#receive(request).then((status) => response.writeHead(status).end()));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/notifications`;
  }

  async #receive(request: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (!this.up) {
      this.attemptsWhileDown++;
      return 503;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const bundle = JSON.parse(body) as Bundle;
    const status = bundle.entry?.[0]?.resource as Parameters;
    const event = status.parameter?.find((parameter) => parameter.name === 'notification-event');
    this.received.push({
      at: Date.now(),
      body,
      signature: String(request.headers['x-ucp-signature']),
      eventNumber: Number(event?.part?.find((part) => part.name === 'event-number')?.valueString),
      focus: event?.part?.find((part) => part.name === 'focus')?.valueReference?.reference ?? '',
    });
    return 200;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server?.close(() => resolve()));
  }
}

describe(`FHIR subscriptions on ${backend}`, () => {
  let kit: PlanTestKit;
  const subscriber = new Subscriber();
  let endpoint: string;

  beforeAll(async () => {
    // The local receivers are on 127.0.0.1, which only an operator's allow-list opens.
    kit = await createPlanTestKit({
      env: { UCP_DELIVERY_RETRY_BASE_MS: '50', UCP_DELIVERY_RETRY_MAX_MS: '200', UCP_SUBSCRIPTION_ALLOWED_HOSTS: '127.0.0.1' },
    });
    endpoint = await subscriber.start();
  });
  afterAll(async () => {
    await kit.close();
    await subscriber.stop();
  });

  const subscribe = async (as: Awaited<ReturnType<PlanTestKit['as']>>, subscription: Partial<Subscription>) =>
    as({
      method: 'POST',
      url: '/fhir/Subscription',
      headers: { 'content-type': 'application/fhir+json' },
      payload: { resourceType: 'Subscription', status: 'requested', reason: 'Flags in the dispatch system', ...subscription },
    });

  it('notifies a rest-hook subscriber within a second of a publish, signed, and after an outage sends every missed one in order', async () => {
    const crew = await kit.as(['viewer'], AMBULANCE);
    const created = await subscribe(crew, { criteria: 'Flag', channel: { type: 'rest-hook', endpoint, payload: 'application/fhir+json' } });
    expect(created.statusCode, created.body).toBe(201);
    const subscription = created.json<Subscription>();
    expectValidFhir(subscription);
    const secret = subscription.extension?.find((extension) => extension.url === HMAC_SECRET_EXTENSION)?.valueString ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const read = await crew({ method: 'GET', url: `/fhir/Subscription/${subscription.id}` });
    expect(read.json<Subscription>()).not.toHaveProperty('extension');
    // Stored sealed (src/secrets): the row holds no trace of the secret the subscriber was given.
    const stored = await kit.test.database.db.query<{ hmac_secret: string }>('SELECT hmac_secret FROM fhir_subscription WHERE id = $1', [
      subscription.id,
    ]);
    expect(stored.rows[0]?.hmac_secret).toMatch(/^sealed:v1:/);
    expect(stored.rows[0]?.hmac_secret).not.toContain(secret);

    const { ehrId } = await publishedPlan(kit, nextTestNhsNumber());
    const publishedAt = Date.now();
    const first = await eventually(() => subscriber.received[0], 5_000, 'the first notification');
    expect(first.at - publishedAt).toBeLessThan(1_000);
    expect(verifyNotificationSignature(secret, first.body, first.signature)).toBe(true);
    expect(verifyNotificationSignature(secret, `${first.body} `, first.signature)).toBe(false);
    expectValidFhir(JSON.parse(first.body));
    expect(first).toMatchObject({ eventNumber: 1, focus: expect.stringMatching(new RegExp(`/fhir/Flag/${ehrId}-plan$`)) });

    subscriber.up = false;
    const missed = [await publishedPlan(kit, nextTestNhsNumber()), await publishedPlan(kit, nextTestNhsNumber())];
    await eventually(() => (subscriber.attemptsWhileDown >= 3 ? true : undefined), 10_000, 'failed attempts');
    const failing = await crew({ method: 'GET', url: `/fhir/Subscription/${subscription.id}` });
    expect(failing.json<Subscription>()).toMatchObject({ status: 'error', error: 'the subscriber answered 503' });
    subscriber.up = true;
    await eventually(() => (subscriber.received.length === 3 ? true : undefined), 10_000, 'the missed notifications');
    expect(subscriber.received.map((notification) => notification.eventNumber)).toEqual([1, 2, 3]);
    expect(subscriber.received.slice(1).map((notification) => notification.focus.split('/').at(-1))).toEqual(
      missed.map((plan) => `${plan.ehrId}-plan`),
    );
    const recovered = await crew({ method: 'GET', url: `/fhir/Subscription/${subscription.id}` });
    expect(recovered.json<Subscription>().status).toBe('active');

    const replay = await crew({ method: 'GET', url: `/fhir/Subscription/${subscription.id}/$events?eventsSinceNumber=1` });
    const bundle = replay.json<Bundle>();
    expectValidFhir(bundle);
    const numbers = (bundle.entry?.[0]?.resource as Parameters).parameter
      ?.filter((parameter) => parameter.name === 'notification-event')
      .map((parameter) => parameter.part?.find((part) => part.name === 'event-number')?.valueString);
    expect(numbers).toEqual(['2', '3']);
  });

  it('tells a websocket client of each notification, starting with those after the number it last saw', async () => {
    const crew = await kit.as(['viewer'], AMBULANCE);
    const created = await subscribe(crew, { criteria: 'CarePlan?status=active', channel: { type: 'websocket' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<Subscription>().id ?? '';
    await publishedPlan(kit, nextTestNhsNumber());
    // The same client the crew's requests come from (the kit names its clients so): the subscription's owner.
    const { accessToken } = await issueAccessToken(kit.test.services.tokens.keys, kit.test.services.tokens.settings, {
      clientId: 'cp-viewer-cpamb1',
      scopes: SCOPES,
      roles: ['viewer'],
      organisationOdsCode: AMBULANCE.odsCode,
    });
    const address = await kit.test.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = new WebSocket(`${address.replace('http', 'ws')}/fhir/websocket`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const messages: string[] = [];
    socket.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(`bind ${id} 0`);
    await eventually(() => (messages.length >= 2 ? true : undefined), 5_000, 'the missed ping');
    await publishedPlan(kit, nextTestNhsNumber());
    await eventually(() => (messages.length >= 3 ? true : undefined), 5_000, 'the live ping');
    expect(messages).toEqual([`bound ${id}`, `ping ${id} 1`, `ping ${id} 2`]);
    socket.terminate();
  });

  it('feeds flag changes to a system that polls, each once, from the position it last stopped at, and to others only their people’s', async () => {
    const crew = await kit.as(['viewer'], AMBULANCE);
    const page = async (url: string) => {
      const response = await crew({ method: 'GET', url });
      expect(response.statusCode, response.body).toBe(200);
      const bundle = response.json<Bundle>();
      expectValidFhir(bundle, { mustSupport: true });
      const next = bundle.link?.find((link) => link.relation === 'next')?.url ?? '';
      return { bundle, next: next.slice(next.indexOf('/fhir/')) };
    };
    const everything = await page('/fhir/Flag/_feed?since=0&_count=1000');
    const before = everything.bundle.entry?.length ?? 0;
    expect(before).toBeGreaterThan(0);
    const { ehrId } = await publishedPlan(kit, nextTestNhsNumber());
    const fresh = await page(everything.next);
    expect(fresh.bundle.entry?.map((entry) => [entry.resource?.id, (entry.resource as { status?: string }).status])).toEqual([
      [`${ehrId}-plan`, 'active'],
    ]);
    expect((await page(fresh.next)).bundle.entry).toBeUndefined();
    const stepwise: string[] = [];
    let url = '/fhir/Flag/_feed?since=0&_count=2';
    for (let step = 0; step < 20; step++) {
      const { bundle, next } = await page(url);
      if (!bundle.entry) break;
      stepwise.push(...bundle.entry.map((entry) => entry.resource?.id ?? ''));
      url = next;
    }
    expect(stepwise).toEqual([...(everything.bundle.entry ?? []).map((entry) => entry.resource?.id ?? ''), `${ehrId}-plan`]);
    const stranger = await kit.as(['viewer'], STRANGER);
    const unrelated = await stranger({ method: 'GET', url: '/fhir/Flag/_feed?since=0' });
    expect(unrelated.statusCode).toBe(200);
    expect(unrelated.json<Bundle>().entry).toBeUndefined();
  });

  it('refuses a subscription to someone the caller may not see, a population subscription without the right, and bad channels', async () => {
    const stranger = await kit.as(['viewer'], STRANGER);
    const person = await subscribe(stranger, {
      criteria: `Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${nextTestNhsNumber()}`,
      channel: { type: 'rest-hook', endpoint },
    });
    expect(person.statusCode).toBe(403);
    expect(person.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect((await subscribe(stranger, { criteria: 'Flag', channel: { type: 'rest-hook', endpoint } })).statusCode).toBe(403);
    const crew = await kit.as(['viewer'], AMBULANCE);
    for (const [subscription, mention] of [
      [{ criteria: 'Observation', channel: { type: 'rest-hook', endpoint } }, 'Flag or CarePlan'],
      [{ criteria: 'Flag', channel: { type: 'rest-hook', endpoint: 'http://example.org/hook' } }, 'is not https'],
      [{ criteria: 'Flag', channel: { type: 'email', endpoint: 'mailto:a@b' } }, 'rest-hook or websocket'],
      [{ criteria: 'Flag?colour=red', channel: { type: 'websocket' } }, 'colour'],
    ] as const) {
      const response = await subscribe(crew, subscription as Partial<Subscription>);
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json<OperationOutcome>().issue)).toContain(mention);
    }
  });
  it('refuses rest-hook endpoints that are not https or that reach into the network, unless an operator allowed the host', async () => {
    const crew = await kit.as(['viewer'], AMBULANCE);
    for (const [hook, mention] of [
      ['http://hooks.example.org/notify', 'is not https'],
      ['https://10.0.0.7/notify', '10.0.0.7, an address on this machine or a private'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['https://localhost:8443/notify', 'localhost resolves to'],
      ['https://[fd00::1]/notify', 'fd00::1'],
      ['https://user:pass@hooks.example.org/notify', 'without user name or password'],
    ] as const) {
      const response = await subscribe(crew, { criteria: 'Flag', channel: { type: 'rest-hook', endpoint: hook } });
      expect(response.statusCode, hook).toBe(400);
      const outcome = response.json<OperationOutcome>();
      expectValidFhir(outcome);
      expect(JSON.stringify(outcome.issue), hook).toContain(mention);
      expect(JSON.stringify(outcome.issue)).toContain('UCP_SUBSCRIPTION_ALLOWED_HOSTS');
    }
    // 127.0.0.1 is on this test's allow-list, so plain http to it is accepted.
    const allowed = await subscribe(crew, { criteria: 'Flag', channel: { type: 'rest-hook', endpoint } });
    expect(allowed.statusCode, allowed.body).toBe(201);
    await crew({ method: 'DELETE', url: `/fhir/Subscription/${allowed.json<Subscription>().id}` });
  });

  it('withholds notifications from a subscriber who lost access (client disabled, relationship removed, consent withdrawn), audited', async () => {
    const db = kit.test.database.db;
    const receivers = { retired: new Subscriber(), gp: new Subscriber(), crew: new Subscriber() };
    const urls = { retired: await receivers.retired.start(), gp: await receivers.gp.start(), crew: await receivers.crew.start() };
    try {
      const cared = nextTestNhsNumber();
      const withdrawn = nextTestNhsNumber();
      const caredPlan = await publishedPlan(kit, cared);
      const withdrawnPlan = await publishedPlan(kit, withdrawn);
      const gp = await kit.as(['clinician'], GP);
      await declareCare(gp, cared);
      const created = {
        gp: await subscribe(gp, {
          criteria: `Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${cared}`,
          channel: { type: 'rest-hook', endpoint: urls.gp },
        }),
        crew: await subscribe(await kit.as(['viewer'], AMBULANCE), {
          criteria: 'Flag',
          channel: { type: 'rest-hook', endpoint: urls.crew },
        }),
        retired: await subscribe(await clientAs('dispatch-retired'), {
          criteria: 'Flag',
          channel: { type: 'rest-hook', endpoint: urls.retired },
        }),
      };
      for (const response of Object.values(created)) expect(response.statusCode, response.body).toBe(201);
      const ids = Object.fromEntries(Object.entries(created).map(([key, response]) => [key, response.json<Subscription>().id ?? '']));

      // Access goes: the GP's relationship ends, one person withdraws consent, a client is disabled.
      await db.query(`DELETE FROM person_relationship WHERE nhs_number = $1 AND ods_code = $2`, [cared, GP.odsCode]);
      await db.query(
        `INSERT INTO person_consent (nhs_number, consent_to_share) VALUES ($1, false)
         ON CONFLICT (nhs_number) DO UPDATE SET consent_to_share = false`,
        [withdrawn],
      );
      await db.query(`UPDATE oauth_client SET disabled_at = now() WHERE client_id = 'dispatch-retired'`);

      const clinician = await kit.as(['clinician'], HOSPICE);
      for (const plan of [caredPlan, withdrawnPlan]) {
        const died = await clinician({
          method: 'POST',
          url: `/api/care-plans/${plan.ehrId}/death`,
          headers: { 'if-match': plan.revision },
          payload: { date: new Date().toISOString().slice(0, 10), place: 'Home' },
        });
        expect(died.statusCode, died.body).toBe(200);
      }
      const control = await publishedPlan(kit, nextTestNhsNumber());

      const withheld = async (subscription: string, nhsNumber: string) =>
        (await queryAudit(db, { nhsNumber, action: 'access-denied', limit: 100 })).entries.find(
          (entry) => entry.resourceType === 'Subscription' && entry.resourceId === subscription,
        );
      const gpWithheld = await eventually(() => withheld(ids.gp ?? '', cared), 10_000, 'the GP notification withheld');
      expect(gpWithheld).toMatchObject({ actorId: expect.stringContaining('gp'), detail: { withheld: 'notification' } });
      expect(String(gpWithheld.detail['explanation'])).toContain('no legitimate relationship');
      const crewWithheld = await eventually(() => withheld(ids.crew ?? '', withdrawn), 10_000, 'the crew notification withheld');
      expect(String(crewWithheld.detail['explanation'])).toContain('withdrawn consent');
      const ended = await eventually(
        async () =>
          (
            await db.query<{ status: string; error: string }>(
              `SELECT status, error FROM fhir_subscription WHERE id = $1 AND status = 'off'`,
              [ids.retired],
            )
          ).rows[0],
        10_000,
        'the disabled client’s subscription ended',
      );
      expect(ended.error).toMatch(/access was withdrawn: the client dispatch-retired was disabled/);
      const retiredAudit = (await queryAudit(db, { actorId: 'system:fhir-subscriptions', action: 'access-denied', limit: 100 })).entries;
      expect(retiredAudit.some((entry) => entry.resourceId === ids.retired && entry.detail['owner'] === 'dispatch-retired')).toBe(true);

      // The crew still hears of the others, in order, and never of the person who withdrew consent.
      const crewFocus = await eventually(
        () => {
          const focus = receivers.crew.received.map((notification) => notification.focus.split('/').at(-1));
          return focus.includes(`${control.ehrId}-plan`) ? focus : undefined;
        },
        10_000,
        'the crew’s notifications',
      );
      expect(crewFocus).toEqual([`${caredPlan.ehrId}-plan`, `${control.ehrId}-plan`]);
      expect(receivers.crew.received.map((notification) => notification.eventNumber)).toEqual([1, 2]);
      expect(receivers.gp.received).toEqual([]);
      expect(receivers.retired.received).toEqual([]);
      const gpSubscription = await gp({ method: 'GET', url: `/fhir/Subscription/${ids.gp}` });
      expect(gpSubscription.json<Subscription>().status).toBe('active');
    } finally {
      await Promise.all(Object.values(receivers).map((receiver) => receiver.stop()));
    }
  });

  it('keeps the subscription and flag-feed routes off the stores: they go through the subscription service', () => {
    for (const file of ['subscription-routes.ts', 'flag-feed-routes.ts']) {
      const source = readFileSync(new URL(`../../src/fhir/subscriptions/${file}`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect(
        imports.filter((path) => /store|\/db\/|\/events\/|person-access-facts|audit-log/.test(path ?? '')),
        file,
      ).toEqual([]);
      expect(imports, file).toContain('./subscription-service.js');
    }
  });

  /** A request as a machine client of the ambulance service with this id. */
  async function clientAs(clientId: string) {
    const token = await issueTestToken(kit.test.services, kit.test.database.db, {
      clientId,
      scopes: SCOPES,
      roles: ['viewer'],
      organisationOdsCode: AMBULANCE.odsCode,
    });
    return (options: InjectOptions) =>
      kit.test.app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });
  }
});
