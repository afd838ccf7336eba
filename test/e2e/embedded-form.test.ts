import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSystem } from '../../src/integration/registered-systems.js';
import { addMembership, findUserByEmail } from '../../src/users/user-store.js';
import { JwksServer } from '../support/jwks-server.js';
import { checkScreen, screenshot, signIn } from './browser.js';
import { useE2eSuite } from './e2e-suite.js';
import { apiCall, apiSignIn, demoPlans, waitForPublishedPlan } from './e2e-server.js';

const PATHWAY = 'end-of-life';
const TITLE = 'Urgent care plan';
const GP_SYSTEM = 'https://gp-system.e2e.example';

/** A record system's page that frames the platform: its own origin (localhost, another site than 127.0.0.1). */
class RecordSystemPage {
  #server: Server | undefined;
  origin = '';

  constructor(private readonly frameSource: () => Promise<string>) {}

  async start(): Promise<string> {
    this.#server = createServer((_request, response) => {
      void this.frameSource().then((src) =>
        response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            `<!doctype html><html lang="en"><head><title>GP system</title></head><body><main><h1>GP system: patient record</h1>` +
              `<iframe title="Urgent care plan" src="${src}" width="1000" height="1400"></iframe></main></body></html>`,
          ),
      );
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://localhost:${(this.#server.address() as AddressInfo).port}`;
    return this.origin;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/**
 * Issue #17 in chromium against the whole demo server: the designer's preview of a draft pathway
 * version over a real person's plan (read-only, only for a designer who may read that plan), and a
 * published form embedded in a record system's page after its signed launch, framed only by the
 * system's registered origin, limited to the launched person.
 */
describe('previews over real plans and embedded forms in chromium', { timeout: 300_000 }, () => {
  const e2e = useE2eSuite();
  const gpSystem = new JwksServer('ES256');
  let nhsNumber: string;
  let otherNhsNumber: string;
  const launchUrl = async (person = nhsNumber) =>
    `${e2e.url}/embed/launch?token=${await gpSystem.sign({
      iss: GP_SYSTEM,
      aud: `${e2e.url}/embed/launch`,
      email: 'clinician@demo.ucp.invalid',
      ods: 'DEMOGP1',
      role: 'clinician',
      nhs_number: person,
      pathway: PATHWAY,
    })}`;
  const registered = new RecordSystemPage(() => launchUrl());
  const unregistered = new RecordSystemPage(() => launchUrl());

  beforeAll(async () => {
    const published = demoPlans().filter((plan) => plan.status === 'published' && plan.author.odsCode === 'DEMOGP1');
    const [first, second] = published;
    if (!first || !second) throw new Error('the demo dataset has no two published plans written at DEMOGP1');
    nhsNumber = first.nhsNumber;
    otherNhsNumber = second.nhsNumber;
    const viewer = await apiSignIn(e2e.url, 'viewer');
    await waitForPublishedPlan(e2e.url, viewer, nhsNumber);
    // The demo GP is also a clinical designer at the practice (the plain demo designer reads no plans).
    const db = e2e.server.db;
    const gp = await findUserByEmail(db, 'clinician@demo.ucp.invalid');
    if (!gp) throw new Error('no demo clinician');
    await addMembership(db, gp.id, 'DEMOGP1', ['clinician', 'clinical-designer']);
    await registered.start();
    await unregistered.start();
    await registerSystem(db, {
      issuer: GP_SYSTEM,
      name: 'Demo GP system',
      jwksUrl: await gpSystem.start(),
      odsCode: 'DEMOGP1',
      purposes: ['contextual-launch'],
      frameOrigins: [registered.origin],
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gpSystem.stop(), registered.stop(), unregistered.stop()]);
  });

  it("previews a draft version over a person's plan, read-only, and refuses a designer who may not read it", async () => {
    const session = await apiSignIn(e2e.url, 'clinician');
    const draft = await apiCall(e2e.url, session, 'POST', `/api/designer/pathways/${PATHWAY}/versions`, { body: { fromVersion: 1 } });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const { version } = draft.body as { version: number };

    const { page } = await e2e.newPage();
    await page.goto(`/designer/${PATHWAY}/versions/${version}/preview`);
    await signIn(page, 'clinician');
    await page.getByRole('heading', { name: new RegExp(`Preview of version ${version}`) }).waitFor();
    await page.getByLabel('NHS number').fill(nhsNumber);
    await page.getByRole('button', { name: 'Preview over this plan' }).click();
    await page.getByText(`over the current plan of NHS number ${nhsNumber}`).waitFor();
    const phone = page.getByRole('region', { name: /, on a phone$/ }).first();
    // The person's content, every control disabled, nothing to submit.
    const filled = phone.locator('input[type="text"]:disabled, textarea:disabled');
    expect(await filled.count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Check the answers' }).count()).toBe(0);
    expect(await phone.locator('input:enabled, textarea:enabled, select:enabled').count()).toBe(0);
    await checkScreen(page, 'designer-preview-real-plan-desktop');

    // The plain demo designer has no right to read anyone's plan: the preview says so.
    const other = await e2e.newPage();
    await other.page.goto(`/designer/${PATHWAY}/versions/${version}/preview`);
    await signIn(other.page, 'designer');
    await other.page.getByLabel('NHS number').fill(nhsNumber);
    await other.page.getByRole('button', { name: 'Preview over this plan' }).click();
    await other.page.getByRole('heading', { name: 'The plan cannot be previewed' }).waitFor();
    await checkScreen(other.page, 'designer-preview-refused-desktop');
  });

  it("shows the published form inside the record system's page after its signed launch, for that person only", async () => {
    const { page } = await e2e.newPage('desktop', registered.origin);
    await page.goto('/');
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { name: TITLE }).waitFor();
    await frame.getByText(`NHS number ${nhsNumber}`).waitFor();
    await frame.getByText(/The current plan \(version \d+\), read-only/).waitFor();
    expect(await frame.locator('input:enabled, textarea:enabled, select:enabled').count()).toBe(0);
    expect(await frame.locator('input[type="text"]:disabled, textarea:disabled').count()).toBeGreaterThan(0);
    await screenshot(page, 'embedded-form-in-record-system');

    // From inside the frame, the embedded session reaches no one else.
    const embedded = page.frames().find((candidate) => candidate.url().includes('/embed/'));
    if (!embedded) throw new Error('no embedded frame');
    expect(await statusFrom(embedded, `/api/embed/people/${otherNhsNumber}/pathways/${PATHWAY}`)).toBe(403);
    expect(await statusFrom(embedded, `/api/embed/people/${nhsNumber}/pathways/${PATHWAY}`)).toBe(200);
    expect(await statusFrom(embedded, `/api/people/${nhsNumber}/care-team`)).toBe(401);
  });

  it('is not shown in the page of an origin the system did not register', async () => {
    const { page } = await e2e.newPage('desktop', unregistered.origin);
    const blocked = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await page.goto('/');
    // The browser refuses the frame: the page's only frame-ancestor is the registered origin.
    expect((await blocked).text()).toContain(`frame-ancestors ${registered.origin}`);
    expect(await page.frameLocator('iframe').getByRole('heading', { name: TITLE }).count()).toBe(0);
  });

  it('the embedded page passes axe on its own', async () => {
    const { page } = await e2e.newPage('phone');
    await page.goto(await launchUrl());
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await checkScreen(page, 'embedded-form-phone');
    // A second use of a launch is refused with a clear error.
    const replay = await launchUrl();
    expect((await fetch(replay, { redirect: 'manual' })).status).toBe(303);
    const again = await fetch(replay, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/used before/);
  });
});

/** The status of a GET made by the page in `frame` (its own cookies, its own origin). */
function statusFrom(frame: Frame, path: string): Promise<number> {
  return frame.evaluate<number>(`fetch(${JSON.stringify(path)}, { credentials: 'same-origin' }).then((response) => response.status)`);
}
