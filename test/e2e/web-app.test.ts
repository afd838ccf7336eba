import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/demo/demo-people.js';
import { DEMO_PEOPLE, DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import {
  checkScreen,
  describeViolations,
  focused,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
  submitAndPublish,
} from './browser.js';
import { useE2eSuite } from './e2e-suite.js';
import { apiCall, apiSignIn, demoPlans, waitForPublishedPlan } from './e2e-server.js';
import { startTestRecordSystem, type TestRecordSystem } from '../integration/test-record-system.js';
import { pdfText } from '../support/pdf-text.js';

/**
 * The web app in a real browser (Debian's chromium through playwright-core) against the whole
 * server with its demo data: what people see and do, an accessibility check (axe-core) on every
 * main screen, and screenshots of each in test-results/screens/.
 */
describe('the web app in chromium', { timeout: 180_000 }, () => {
  /** A GP record system that launches the web app as a SMART app (its clinician is the demo GP). */
  let recordSystem: TestRecordSystem | undefined;
  /** A published demo plan (seeded in the background at start-up) and the person it belongs to. */
  let published: { nhsNumber: string; ehrId: string };
  /** The person whose plan the senior clinician's test starts and publishes. */
  let created: string | undefined;

  const withRecordSystem = async (url: string) => {
    recordSystem = await startTestRecordSystem(
      { sub: 'gp-1', name: 'Dr Casey Clinician', email: 'clinician@demo.ucp.invalid' },
      { clientId: 'urgent-care-plan', clientSecret: 'record-system-secret', redirectUri: `${url}/auth/oidc/demo-gp-system/callback` },
    );
    const provider = {
      id: 'demo-gp-system',
      displayName: 'Demo GP record system',
      issuer: recordSystem.issuer,
      clientId: 'urgent-care-plan',
      clientSecret: 'record-system-secret',
      allowInsecureHttp: true,
      linkByVerifiedEmail: true,
      smartLaunch: { fhirBaseUrl: recordSystem.fhirBaseUrl },
      claims: { organisation: { from: 'fixed', odsCode: 'DEMOGP1' }, roles: { from: 'platform' } },
    };
    return { UCP_OIDC_PROVIDERS: JSON.stringify([provider]) };
  };
  const e2e = useE2eSuite({ env: withRecordSystem });

  beforeAll(async () => {
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
    await recordSystem?.close();
  });

  it('shows every component fixture without a serious accessibility problem', async () => {
    const { context, page } = await e2e.newPage();
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
    const { context, page } = await e2e.newPage();
    await page.goto(`/people/${published.nhsNumber}/plan`);
    await page.waitForURL(/\/sign-in\?returnTo=/);
    await checkScreen(page, 'sign-in-desktop');
    await page.getByRole('link', { name: /Sign in with Demo sign-in/ }).click();
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

  it('a GP opens the person’s plan from their record system: the web app is launched as a SMART app and lands on that person', async () => {
    const system = recordSystem;
    if (!system) throw new Error('the record system did not start');
    system.patients.set('gp-patient-1', {
      resourceType: 'Patient',
      id: 'gp-patient-1',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: published.nhsNumber }],
    });
    const { context, page } = await e2e.newPage();
    const launch = new URLSearchParams({ iss: system.fhirBaseUrl, launch: system.launchFor('gp-patient-1') });
    await page.goto(`/auth/oidc/launch?${launch.toString()}`);
    await page.waitForURL(`**/people/${published.nhsNumber}`);
    await page.getByRole('heading', { name: 'Emergency summary' }).waitFor();
    expect(await page.locator('.app-patient-banner').textContent()).toContain(
      `${published.nhsNumber.slice(0, 3)} ${published.nhsNumber.slice(3, 6)} ${published.nhsNumber.slice(6)}`,
    );
    await checkScreen(page, 'smart-launch-landing');
    await context.close();
  });

  it('the ambulance crew finds a person by NHS number and reads the emergency summary, at 320 px and on a tablet', async () => {
    for (const viewport of ['phone', 'tablet'] as const) {
      const { context, page } = await e2e.newPage(viewport);
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
    const { context, page } = await e2e.newPage('desktop');
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
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download a PDF' }).click()]);
    const pdfPath = await download.path();
    const pdf = await readFile(pdfPath);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The paper copy names the person and leads with the CPR recommendation.
    const person = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED).find((candidate) => candidate.nhsNumber === published.nhsNumber);
    const text = pdfText(pdf);
    expect(text).toContain(person?.familyName.toUpperCase());
    expect(text).toMatch(/CPR/);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'print-view');
    expect(await page.getByRole('button', { name: 'Print this plan' }).isVisible()).toBe(false);
    await context.close();
  });

  it('breaks the glass: asks why, says it will be reviewed, then shows the plan', async () => {
    // The care home's contributor has no relationship with this person (see beforeAll).
    const { context, page } = await e2e.newPage('tablet');
    await page.goto(`/people/${published.nhsNumber}`);
    await signIn(page, 'contributor');
    await page.getByRole('heading', { name: 'Why do you need to see this plan?' }).waitFor();
    expect(await page.locator('.nhsuk-warning-callout').textContent()).toContain('will review this access');
    await page.getByRole('button', { name: 'See the plan' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Select why you need to see this plan');
    await checkScreen(page, 'break-glass-tablet');
    await page.getByLabel('The person needs urgent treatment now').check();
    await page.getByLabel('Explain what is happening').fill('Attending a 999 call at the person’s home');
    await page.getByRole('button', { name: 'See the plan' }).click();
    await page.getByRole('heading', { name: 'Emergency summary' }).waitFor();
    await context.close();
  });

  it('a GP partner starts, fills and publishes an end of life plan with ReSPECT alone; a conflicting edit is merged field by field', async () => {
    // Someone in the demo hospice's care team (every third person) who has no plan yet.
    const londoners = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED).map((person) => person.nhsNumber);
    const planned = new Set(demoPlans().map((plan) => plan.nhsNumber));
    const nhsNumber = londoners.find((candidate, index) => index % 3 === 0 && !planned.has(candidate));
    if (!nhsNumber) throw new Error('every demo person in the hospice care team has a plan');
    const { context, page } = await e2e.newPage('tablet');
    await page.goto(`/people/${nhsNumber}/edit`);
    await signIn(page, 'gp-partner');
    await page.getByRole('heading', { name: 'Start an urgent care plan' }).waitFor();
    await page.getByRole('button', { name: 'Start the plan' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('agreed to share');
    await page.getByLabel('Yes, they agreed').check();
    await page.getByRole('button', { name: 'Start the plan' }).click();
    await page.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await checkScreen(page, 'edit-plan-tablet');

    await page.getByRole('link', { name: /^ReSPECT/ }).click();
    await page.getByLabel('CPR attempts not recommended adult or child.').check();
    await page.getByLabel('Prioritise comfort').check();
    const decided = page.getByRole('group', { name: 'Date of CPR decision' });
    await decided.getByLabel('Day').fill('31');
    await decided.getByLabel('Month').fill('2');
    await decided.getByLabel('Year').fill('2026');
    await expect.poll(() => decided.textContent()).toContain('must be a real date');
    await decided.getByLabel('Day').fill('1');
    await page.getByLabel('What I most value').fill('Being at home with my dog');
    // The quality gates: capacity, and who the recommendations were discussed with (the decision
    // maker and their GMC number come from the signed-in GP's account).
    await page.getByLabel('Has capacity', { exact: true }).check();
    await page.getByLabel('A Person has mental capacity').check();
    await checkScreen(page, 'edit-respect-tablet');
    await page.getByRole('button', { name: 'Save this section' }).click();
    await expect.poll(() => page.locator('.nhsuk-notification-banner').textContent()).toContain('ReSPECT');

    // Two people edit "About me" at once: the second to save gets a side-by-side merge.
    const other = await e2e.newPage('desktop');
    await other.page.goto(`/people/${nhsNumber}/edit/about-me`);
    await signIn(other.page, 'senior-clinician');
    await other.page.getByLabel('In my own words').waitFor();
    await page.getByRole('link', { name: 'About me' }).click();
    await page.getByLabel('In my own words').fill('I like the radio on in the morning.');
    await page.getByRole('button', { name: 'Save this section' }).click();
    await page.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await other.page.getByLabel('In my own words').fill('Call my daughter before anyone else.');
    await other.page.getByRole('button', { name: 'Save this section' }).click();
    await other.page.getByRole('heading', { name: 'Someone else changed about me' }).waitFor();
    expect(await other.page.locator('.app-merge-row').first().textContent()).toContain('I like the radio on in the morning.');
    await checkScreen(other.page, 'merge-desktop');
    await other.page.getByRole('button', { name: 'Save with these choices' }).click();
    await other.page.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await other.context.close();

    await page.reload();
    await submitAndPublish(page);
    expect(await page.locator('.nhsuk-card--care').first().textContent()).toContain('Not for CPR');
    await page.getByRole('link', { name: 'Whole plan' }).click();
    await page.getByRole('heading', { name: 'Urgent care plan', level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('Call my daughter before anyone else.');
    await context.close();
    created = nhsNumber;
  });

  it("lists the hospice's plans to review by each person's name and NHS number", async () => {
    // The first of the hospice's published demo plans due within the worklist's 60 days, once seeded.
    const until = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    const due = demoPlans().find(
      (plan) =>
        plan.status === 'published' && plan.reviewDate <= until && [plan.author.odsCode, plan.approver?.odsCode].includes('DEMOHSP'),
    );
    if (!due) throw new Error('no demo plan of the hospice is due for review within 60 days');
    await waitForPublishedPlan(e2e.url, await apiSignIn(e2e.url, 'senior-clinician'), due.nhsNumber);
    const { context, page } = await e2e.newPage('desktop');
    await page.goto('/worklists');
    await signIn(page, 'senior-clinician');
    await page.getByRole('heading', { name: 'Plans to review' }).waitFor();
    const formatted = `${due.nhsNumber.slice(0, 3)} ${due.nhsNumber.slice(3, 6)} ${due.nhsNumber.slice(6)}`;
    const row = page.getByRole('table', { name: 'Due or overdue for review' }).locator('tbody tr', { hasText: formatted });
    await row.waitFor();
    // Each cell starts with its column's name (the responsive table's card heading); a synthetic
    // name shows as a banner does, family name in capitals.
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toMatch(/^Name .*[A-Z]{2,}/);
    expect(cells[0]).not.toContain('Name not held');
    expect(cells[1]).toBe(`NHS number ${formatted}`);
    await checkScreen(page, 'worklist-desktop');
    await context.close();
  });

  it('a care home worker joins the care team of a new resident with a stated reason, then starts their plan', async () => {
    // Someone with no plan whom neither the care home (every fifth person) nor the hospice cares for.
    const londoners = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED).map((person) => person.nhsNumber);
    const planned = new Set(demoPlans().map((plan) => plan.nhsNumber));
    const nhsNumber = londoners.find((candidate, index) => index % 5 !== 0 && index % 3 !== 0 && !planned.has(candidate));
    if (!nhsNumber) throw new Error('every demo person outside the care home has a plan');
    const { context, page } = await e2e.newPage('tablet');
    await page.goto(`/people/${nhsNumber}`);
    await signIn(page, 'contributor');
    // No relationship yet: the page offers breaking the glass, or joining the care team.
    await page.getByRole('heading', { name: 'Why do you need to see this plan?' }).waitFor();
    await page.getByRole('button', { name: 'Join their care team' }).click();
    await page.getByRole('heading', { name: 'Your organisation is not in this person’s care team' }).waitFor();
    await page.getByRole('button', { name: 'Join the care team' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Select how your organisation cares');
    await checkScreen(page, 'declare-care-tablet');
    await page.getByLabel('The person lives here or is registered with us').check();
    await page.getByLabel('Explain').fill('Moved into our care home this week from hospital');
    await page.getByRole('button', { name: 'Join the care team' }).click();
    // The tab is there all along: go on once the declaration is recorded and confirmed.
    await expect.poll(() => page.locator('.nhsuk-notification-banner--success').textContent()).toContain('now in this person’s care team');
    expect(await page.getByRole('heading', { name: 'Your organisation is not in this person’s care team' }).count()).toBe(0);
    await checkScreen(page, 'care-team-joined-tablet');
    await page.getByRole('link', { name: 'Change the plan' }).click();
    await page.getByRole('heading', { name: 'Start an urgent care plan' }).waitFor();
    await page.getByLabel('Yes, they agreed').check();
    await page.getByRole('button', { name: 'Start the plan' }).click();
    await page.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await context.close();
  });

  it('updates an open plan within seconds when someone else publishes, says who and what changed, and shows the difference in the history', async () => {
    if (!created) throw new Error('needs the plan published by the test before');
    const { context, page } = await e2e.newPage('tablet');
    await page.goto(`/people/${created}`);
    await signIn(page, 'viewer');
    await page.getByRole('heading', { name: 'Emergency summary' }).waitFor();
    await page.waitForTimeout(500);

    // The hospice's senior clinician publishes version 2 through the API meanwhile.
    const senior = await apiSignIn(e2e.url, 'senior-clinician');
    const ehrId = await waitForPublishedPlan(e2e.url, senior, created);
    const plan = await apiCall(e2e.url, senior, 'GET', `/api/care-plans/${ehrId}`);
    const draft = await apiCall(e2e.url, senior, 'POST', `/api/care-plans/${ehrId}/draft`, { ifMatch: plan.etag });
    expect(draft.status).toBe(201);
    const about =
      (draft.body as { modules: { moduleId: string; flat: Record<string, unknown> }[] }).modules.find((m) => m.moduleId === 'about-me')
        ?.flat ?? {};
    const ownWords = Object.keys(about).find((key) => key.endsWith('/in_my_own_words'));
    if (!ownWords) throw new Error(`no "in my own words" in ${Object.keys(about).join(', ')}`);
    const saved = await apiCall(e2e.url, senior, 'PUT', `/api/care-plans/${ehrId}/draft/modules/about-me`, {
      ifMatch: draft.etag,
      body: { flat: { [ownWords]: 'Please ring my daughter Kemi first.' } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const reviewDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    const submitted = await apiCall(e2e.url, senior, 'POST', `/api/care-plans/${ehrId}/draft/submit`, {
      ifMatch: saved.etag,
      body: { reviewDate },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const published = Date.now();
    expect((await apiCall(e2e.url, senior, 'POST', `/api/care-plans/${ehrId}/draft/approve`, { ifMatch: submitted.etag })).status).toBe(
      200,
    );

    const note = page.locator('#live-update');
    await note.waitFor({ timeout: 10_000 });
    const noticedWithin = Date.now() - published;
    expect(await note.textContent()).toMatch(/Dr Jo Senior.*published\s+version 2/);
    expect(await note.textContent()).toContain('About me');
    expect(noticedWithin).toBeLessThan(5_000);
    await checkScreen(page, 'live-update-tablet');

    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History of the plan' }).waitFor();
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByRole('heading', { name: 'What changed from version 1 to version 2' }).waitFor();
    const table = await page.locator('section[aria-labelledby="changes-title"]').textContent();
    expect(table).toContain('Please ring my daughter Kemi first.');
    expect(table).toContain('Call my daughter before anyone else.');
    await checkScreen(page, 'history-diff-tablet');
    await context.close();
  });

  it('an administrator adds a user, who signs in and must change the temporary password first; then disables them, asked first', async () => {
    const { context, page } = await e2e.newPage('desktop');
    await page.goto('/admin/users');
    await signIn(page, 'org-admin');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Add a user' }).click();
    await page.getByRole('heading', { name: /Add a user to/ }).waitFor();
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('Select at least one role');
    await page.getByLabel('Full name').fill('Nia Nurse');
    await page.getByLabel('Email address').fill('nia.nurse@demo.ucp.invalid');
    await page.getByLabel('Username').fill('nia-nurse');
    await page.getByLabel(/^Clinician/).check();
    await page.getByLabel('Temporary password').fill('Temporary-start-2026');
    await checkScreen(page, 'admin-add-user-desktop');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('.nhsuk-notification-banner').textContent()).toContain('can now sign in as nia-nurse');
    await page.getByRole('link', { name: 'See their account' }).click();
    await page.getByRole('heading', { name: 'Nia Nurse', level: 1 }).waitFor();
    const accountUrl = new URL(page.url()).pathname;
    await checkScreen(page, 'admin-user-desktop');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);

    await page.getByLabel('Username').fill('nia-nurse');
    await page.getByLabel('Password', { exact: true }).fill('Temporary-start-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Create a new password').waitFor();
    await checkScreen(page, 'sign-in-change-password-desktop');
    await page.getByLabel('Create a new password').fill('Kettle-harbour-lantern-91');
    await page.getByLabel('Type the new password again').fill('Kettle-harbour-lantern-91');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'What do you want to do?' }).waitFor();
    expect(await page.locator('.nhsuk-header').textContent()).toContain('Nia Nurse');
    await context.close();

    // The administrator, on a small phone, deep-links to the account, disables it (asked first) and the person is refused.
    const admin = await e2e.newPage('phone');
    await admin.page.goto(accountUrl);
    await signIn(admin.page, 'org-admin');
    await admin.page.getByRole('heading', { name: 'Nia Nurse', level: 1 }).waitFor();
    await checkScreen(admin.page, 'admin-user-phone');
    await admin.page.getByRole('button', { name: 'Disable this user' }).click();
    await expect.poll(() => focused(admin.page).then((element) => element.text)).toBe('Disable Nia Nurse?');
    await checkScreen(admin.page, 'admin-user-disable-confirm-phone');
    await admin.page.keyboard.press('Escape');
    await admin.page.getByRole('button', { name: 'Disable this user' }).click();
    await admin.page.getByRole('button', { name: 'Yes, disable this user' }).click();
    await expect.poll(() => admin.page.locator('.nhsuk-notification-banner').textContent()).toContain('Nia Nurse is disabled');
    await admin.page.getByRole('link', { name: 'Users' }).first().click();
    await admin.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await checkScreen(admin.page, 'admin-users-phone');
    await admin.context.close();
    const refused = await fetch(`${e2e.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: e2e.url },
      body: JSON.stringify({ username: 'nia-nurse', password: 'Kettle-harbour-lantern-91' }),
    });
    expect(refused.status).toBe(403);
  });

  it('a platform administrator registers a machine client, sees its secret once, and reads the other admin pages', async () => {
    const { context, page } = await e2e.newPage('tablet');
    await page.goto('/admin');
    await signIn(page, 'platform-admin');
    await page.getByRole('link', { name: 'Machine clients' }).first().click();
    await page.getByRole('link', { name: 'Register a client' }).click();
    await page.getByLabel('Who or what uses it').fill('Riverside record system');
    await page.getByLabel('Organisation it acts for').selectOption('DEMOGP1');
    await page.getByLabel(/^Viewer/).check();
    await page.getByLabel(/^plan:read/).check();
    await page.getByRole('button', { name: 'Register client' }).click();
    const secret = page.getByLabel('Client secret');
    await secret.waitFor();
    const shown = (await secret.textContent()) ?? '';
    expect(shown.length).toBeGreaterThanOrEqual(43);
    await checkScreen(page, 'admin-client-secret-tablet');
    await page.getByRole('link', { name: 'Machine clients' }).first().click();
    await page
      .getByRole('cell', { name: /Riverside record system/ })
      .first()
      .waitFor();
    // Shown once: the list never has it.
    expect(await page.content()).not.toContain(shown);
    await checkScreen(page, 'admin-clients-tablet');
    await page.getByRole('button', { name: 'Rotate secret of Riverside record system' }).click();
    await page.getByRole('button', { name: 'Yes, rotate the secret' }).click();
    await expect.poll(async () => (await secret.isVisible()) && (await secret.textContent())).not.toBe(false);
    expect(await secret.textContent()).not.toBe(shown);
    for (const [link, heading, screen] of [
      ['Identity providers', 'Identity providers', 'admin-identity-providers-tablet'],
      ['Pathways', 'Pathways', 'admin-pathways-tablet'],
      ['Organisations', 'Organisations', 'admin-organisations-tablet'],
    ] as const) {
      await page.getByRole('link', { name: link }).first().click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await checkScreen(page, screen);
    }
    await context.close();
  });

  it('an auditor reads the trail and reviews a break-glass access of their hospital; the person sees who looked at their plan', async () => {
    // A hospital doctor, with no relationship to the person, breaks the glass.
    const reason = `unable-to-consent: Admitted through A&E unconscious at ${new Date().toISOString()}`;
    const doctor = await apiSignIn(e2e.url, 'hospital-doctor');
    const broken = await apiCall(e2e.url, doctor, 'GET', `/api/care-plans/${published.ehrId}/emergency-summary`, {
      headers: { 'x-ucp-break-glass-reason': reason },
    });
    expect(broken.status).toBe(200);
    const auditor = await e2e.newPage('desktop');
    await auditor.page.goto('/audit?action=break-glass');
    await signIn(auditor.page, 'auditor');
    await auditor.page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await auditor.page.getByRole('status').or(auditor.page.getByRole('table')).first().waitFor();
    await expect.poll(() => auditor.page.locator('main').textContent()).toMatch(/\d+ entr(y|ies)/);
    await auditor.page.getByRole('heading', { name: 'Break-glass accesses to review' }).waitFor();
    const waiting = auditor.page
      .getByRole('table', { name: 'Break-glass accesses waiting for review, newest first' })
      .locator('tbody tr', { hasText: reason.slice('unable-to-consent: '.length) });
    await waiting.waitFor();
    await checkScreen(auditor.page, 'audit-break-glass-desktop');
    await waiting.getByLabel('Outcome').selectOption('justified');
    await waiting.getByLabel('What the review found').fill('Unconscious on arrival; the plan was needed for treatment decisions.');
    await waiting.getByRole('button', { name: 'Record the review' }).click();
    await waiting.waitFor({ state: 'detached' });
    await auditor.page.getByRole('button', { name: 'Show the reviewed ones' }).click();
    await auditor.page
      .getByRole('table', { name: 'Reviewed break-glass accesses, newest first' })
      .locator('tbody tr', { hasText: 'Unconscious on arrival' })
      .waitFor();
    // How completely the organisation records the ReSPECT process, gate by gate.
    await auditor.page.getByRole('link', { name: 'ReSPECT completeness' }).first().click();
    await auditor.page.getByRole('heading', { name: 'ReSPECT completeness' }).waitFor();
    await auditor.page.getByRole('table', { name: 'Quality gates met' }).waitFor();
    expect(await auditor.page.getByRole('table', { name: 'Quality gates met' }).textContent()).toContain(
      'CPR decision maker named with a registration number',
    );
    await checkScreen(auditor.page, 'respect-completeness-desktop');
    await auditor.context.close();

    const person = await e2e.newPage('phone');
    await person.page.goto('/');
    await signIn(person.page, 'patient');
    await person.page.getByRole('heading', { name: 'Your urgent care plan' }).waitFor();
    await person.page.getByRole('heading', { name: 'Who has looked at your plan' }).waitFor();
    await expect
      .poll(() => person.page.locator('main').textContent())
      .toMatch(/Everyone who looked at or changed your plan|Nobody has looked/);
    await checkScreen(person.page, 'my-plan-phone');
    await person.context.close();
  });

  it('the person suggests a change to the part of their plan about them; a clinician of their GP practice accepts it into the draft', async () => {
    const wish = `I would like to stay at home with my dog ${Date.now()}`;
    const person = await e2e.newPage('phone');
    await person.page.goto('/my-plan');
    await signIn(person.page, 'patient');
    await person.page.getByRole('heading', { name: 'Suggest a change to your plan' }).waitFor();
    await person.page.getByRole('link', { name: 'Change About me' }).click();
    await person.page.getByRole('heading', { name: /About me/ }).waitFor();
    await person.page.locator('form textarea').first().fill(wish);
    await checkScreen(person.page, 'suggest-change-form-phone');
    await person.page.getByRole('button', { name: 'Keep these changes' }).click();
    // Kept in their own draft: the plan does not change until the care team accepts it.
    const pending = person.page.getByRole('table', { name: 'Your changes, not sent yet' });
    await pending.waitFor();
    expect(await pending.textContent()).toContain(wish);
    await person.page.getByLabel('A message to your care team (optional)').fill('I talked it over with my daughter');
    await checkScreen(person.page, 'suggest-change-phone');
    await person.page.getByRole('button', { name: 'Send to my care team' }).click();
    await person.page.getByText('You sent your suggested changes to your care team').waitFor();
    await person.context.close();

    const nhsNumber = DEMO_USERS.find((user) => user.username === 'patient')?.nhsNumber ?? '';
    const formatted = `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
    const { context, page } = await e2e.newPage('desktop');
    await page.goto('/worklists');
    await signIn(page, 'clinician');
    const proposals = page.getByRole('table', { name: 'Suggested changes to people’s own plans, oldest first' });
    await proposals.locator('tbody tr', { hasText: formatted }).getByRole('link').click();
    await page.getByRole('heading', { name: /suggested changes/ }).waitFor();
    expect(await page.locator('main').textContent()).toContain(wish);
    await checkScreen(page, 'suggested-changes-desktop');
    await page.getByRole('button', { name: 'Accept the suggestions into the draft' }).click();
    await page.getByText('suggestions saved in the draft').waitFor();
    const clinician = await apiSignIn(e2e.url, 'clinician');
    const ehrId = await waitForPublishedPlan(e2e.url, clinician, nhsNumber);
    const draft = await apiCall(e2e.url, clinician, 'GET', `/api/care-plans/${ehrId}/draft`);
    const aboutMe = (draft.body as { modules: { moduleId: string; flat: Record<string, unknown> | null }[] }).modules.find(
      (module) => module.moduleId === 'about-me',
    );
    expect(Object.values(aboutMe?.flat ?? {})).toContain(wish);
    await context.close();
  });

  it('works by keyboard alone: the skip link first, then the page', async () => {
    const { context, page } = await e2e.newPage('desktop');
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
