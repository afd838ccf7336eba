import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-people.js';
import { DEMO_PEOPLE, DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { describeViolations, focused, launchChromium, screenshot, seriousAccessibilityViolations, VIEWPORTS } from './browser.js';
import { apiSignIn, demoPlans, startE2eServer, waitForPublishedPlan, type E2eServer } from './e2e-server.js';

/**
 * The web app in a real browser (Debian's chromium through playwright-core) against the whole
 * server with its demo data: what people see and do, an accessibility check (axe-core) on every
 * main screen, and screenshots of each in test-results/screens/.
 */
describe('the web app in chromium', { timeout: 180_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  /** A published demo plan (seeded in the background at start-up) and the person it belongs to. */
  let published: { nhsNumber: string; ehrId: string };

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    // Someone outside the demo care home's care team (every fifth person is in it), so that its
    // contributor must break the glass to read their plan.
    const londoners = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED).map((person) => person.nhsNumber);
    const plan = demoPlans().find(
      (candidate) =>
        candidate.status === 'published' && candidate.pathways.length === 0 && londoners.indexOf(candidate.nhsNumber) % 5 !== 0,
    );
    if (!plan) throw new Error('the demo dataset has no published plan');
    const viewer = await apiSignIn(e2e.url, 'viewer');
    published = { nhsNumber: plan.nhsNumber, ehrId: await waitForPublishedPlan(e2e.url, viewer, plan.nhsNumber) };
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await e2e?.close();
  });

  async function newPage(viewport: keyof typeof VIEWPORTS = 'desktop'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport], baseURL: e2e.url });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    return { context, page };
  }

  async function checkScreen(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    const violations = await seriousAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  it('shows every component fixture without a serious accessibility problem', async () => {
    const { context, page } = await newPage();
    await page.goto('/components.html');
    const fixtures = await page.evaluate<{ component: string; names: string[] }[]>('window.ucpFixtures');
    expect(fixtures.map((fixture) => fixture.component)).toEqual(
      expect.arrayContaining(['header', 'patient-banner', 'error-summary', 'summary-list']),
    );
    for (const { component } of fixtures) {
      await page.goto(`/components.html?component=${component}`);
      await page.locator('[data-fixture]').first().waitFor();
      await screenshot(page, `component-${component}`);
      const violations = await seriousAccessibilityViolations(page);
      expect(violations, `${component}: ${describeViolations(violations)}`).toEqual([]);
    }
    await context.close();
  });

  it('serves the app on deep links with cache rules: the page revalidated, hashed files kept', async () => {
    const page = await fetch(`${e2e.url}/people/${published.nhsNumber}/plan`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${e2e.url}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const api = await fetch(`${e2e.url}/api/no-such-thing`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('single sign-on lands on the page the person asked for', async () => {
    const { context, page } = await newPage();
    await page.goto(`/people/${published.nhsNumber}/plan`);
    await page.waitForURL(/\/sign-in\?returnTo=/);
    await checkScreen(page, 'sign-in-desktop');
    await page.getByRole('link', { name: /Sign in with/ }).click();
    // The demo identity provider's own pages: pick the clinician, then allow.
    await page
      .getByLabel(/clinician/)
      .first()
      .check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const allow = page.getByRole('button', { name: 'Allow' });
    if (await allow.isVisible().catch(() => false)) await allow.click();
    await page.waitForURL(`**/people/${published.nhsNumber}/plan`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Urgent care plan');
    await context.close();
  });

  it('the ambulance crew finds a person by NHS number and reads the emergency summary, at 320 px and on a tablet', async () => {
    for (const viewport of ['phone', 'tablet'] as const) {
      const { context, page } = await newPage(viewport);
      await page.goto('/');
      await signIn(page, 'viewer');
      await page.getByRole('link', { name: 'Find a person' }).first().click();
      await page.getByRole('heading', { name: 'Find a person' }).waitFor();
      // Checked as typed: a wrong check digit is caught before anything is asked of the server.
      const field = page.getByLabel('NHS number');
      await field.fill('9990000019');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('not a valid NHS number');
      await checkScreen(page, `find-person-error-${viewport}`);
      await field.fill(published.nhsNumber);
      await field.blur();
      expect(await field.inputValue()).toBe(
        `${published.nhsNumber.slice(0, 3)} ${published.nhsNumber.slice(3, 6)} ${published.nhsNumber.slice(6)}`,
      );
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByRole('heading', { name: 'Emergency summary' }).waitFor();
      const cpr = page.locator('.nhsuk-card--care').first();
      expect(await cpr.textContent()).toMatch(/(Not for|For) CPR/);
      expect(await page.locator('.app-patient-banner').textContent()).toContain(
        `${published.nhsNumber.slice(0, 3)} ${published.nhsNumber.slice(3, 6)} ${published.nhsNumber.slice(6)}`,
      );
      await checkScreen(page, `emergency-summary-${viewport}`);
      await context.close();
    }
  });

  it('shows the whole plan by section in plain language, and a print view', async () => {
    const { context, page } = await newPage('desktop');
    await page.goto(`/people/${published.nhsNumber}/plan/respect`);
    await signIn(page, 'viewer');
    await page.getByRole('heading', { name: 'Urgent care plan', exact: true }).waitFor();
    const respect = page.locator('section[aria-labelledby="section-respect"]');
    // Plain language: the answers say what was recorded, never the codes (those are behind "Show the codes").
    const answers = await respect.locator('.nhsuk-summary-list__value').allTextContents();
    expect(answers.length).toBeGreaterThan(3);
    expect(answers.join('\n')).not.toMatch(/\|code|at0\d{3}|\d{6,}\|/);
    await expect.poll(async () => (await focused(page)).id).toBe('section-respect');
    await checkScreen(page, 'whole-plan-desktop');
    await page.getByRole('link', { name: 'Print' }).click();
    await page.getByRole('button', { name: 'Print this plan' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'print-view');
    expect(await page.getByRole('button', { name: 'Print this plan' }).isVisible()).toBe(false);
    await context.close();
  });

  it('breaks the glass: asks why, says it will be reviewed, then shows the plan', async () => {
    // The care home's contributor has no relationship with this person (see beforeAll).
    const { context, page } = await newPage('tablet');
    await page.goto(`/people/${published.nhsNumber}`);
    await signIn(page, 'contributor');
    await page.getByRole('heading', { name: 'Why do you need to see this plan?' }).waitFor();
    expect(await page.locator('.nhsuk-warning-callout').textContent()).toContain('will review this access');
    await page.getByRole('button', { name: 'See the plan' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Enter a reason');
    await checkScreen(page, 'break-glass-tablet');
    await page.getByLabel('Reason').fill('Attending a 999 call at the person’s home');
    await page.getByRole('button', { name: 'See the plan' }).click();
    await page.getByRole('heading', { name: 'Emergency summary' }).waitFor();
    await context.close();
  });

  it('works by keyboard alone: the skip link first, then the page', async () => {
    const { context, page } = await newPage('desktop');
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Urgent Care Plan' }).waitFor();
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('maincontent');
    await page.keyboard.press('Tab');
    // Tab order reaches the sign-in form without a mouse.
    for (let step = 0; step < 10; step++) {
      if ((await focused(page)).id === 'username') break;
      await page.keyboard.press('Tab');
    }
    expect((await focused(page)).id).toBe('username');
    await page.keyboard.type('viewer');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'What do you want to do?' }).waitFor();
    await checkScreen(page, 'home-desktop');
    await context.close();
  });
});
