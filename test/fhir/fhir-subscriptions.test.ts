import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, OperationOutcome, Parameters, Subscription } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { issueAccessToken } from '../../src/auth/tokens/access-token.js';
import { SCOPES } from '../../src/auth/tokens/scopes.js';
import { verifyNotificationSignature } from '../../src/fhir/subscriptions/notification-signature.js';
import { HMAC_SECRET_EXTENSION } from '../../src/fhir/subscriptions/subscription-resource.js';
import { AMBULANCE, createPlanTestKit, publishedPlan, STRANGER, type PlanTestKit } from '../careplan/care-plan-test-kit.js';
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
    kit = await createPlanTestKit({ env: { UCP_DELIVERY_RETRY_BASE_MS: '50', UCP_DELIVERY_RETRY_MAX_MS: '200' } });
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
      [{ criteria: 'Flag', channel: { type: 'rest-hook', endpoint: 'http://example.org/hook' } }, 'https'],
      [{ criteria: 'Flag', channel: { type: 'email', endpoint: 'mailto:a@b' } }, 'rest-hook or websocket'],
      [{ criteria: 'Flag?colour=red', channel: { type: 'websocket' } }, 'colour'],
    ] as const) {
      const response = await subscribe(crew, subscription as Partial<Subscription>);
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json<OperationOutcome>().issue)).toContain(mention);
    }
  });
});
