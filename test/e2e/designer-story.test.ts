import { describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { checkScreen, signIn, submitAndPublish } from './browser.js';
import { useE2eSuite } from './e2e-suite.js';
import { apiCall, apiSignIn, demoPlans } from './e2e-server.js';

const NAME = 'Crisis plan (from archetypes)';
const TEMPLATE = `UCP - ${NAME}.v1`;
const KEY = 'crisis-plan-from-archetypes';
const TEAM = 'Under a crisis or community mental health team';
const CONTACT = 'Crisis team contact';
const SAFETY = 'Preferred place of safety';

/**
 * Issue #17's whole story in chromium, on one running server and without a restart: a designer
 * composes a mental health crisis plan template from archetypes, starts a pathway on it, adds a
 * when/then rule and a prefill in the draft editor, previews the rule working in the phone frame
 * and sends it for review; a second designer reads everything it holds in plain words and
 * approves; the designer publishes; a clinician starts a plan with the new pathway for a person
 * who has none, sees the prefilled value, fills, saves, submits and publishes; a second version is
 * published and the designer rolls the pathway back to the first, then takes it out of use, and
 * the published plan still reads fully after each. Every designer screen is screenshot and checked
 * with axe-core.
 */
describe('a pathway from archetypes to a published plan, in chromium', { timeout: 400_000 }, () => {
  const e2e = useE2eSuite();

  it('a designer composes, rules, prefills and previews; a second approves; a clinician publishes a plan with it; it is rolled back, then taken out of use', async () => {
    // The designer composes the template from the bundled archetypes.
    const designer = await e2e.newPage();
    const d = designer.page;
    const main = d.locator('main');
    await d.goto('/designer/templates');
    await signIn(d, 'designer');
    await d.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
    await checkScreen(d, 'story-templates-desktop');
    await d.getByRole('link', { name: 'Make a new template from archetypes' }).click();
    await d.getByRole('heading', { name: 'Make a new template from archetypes' }).waitFor();
    await d.getByLabel('Name', { exact: true }).fill(NAME);
    await d.getByLabel('What it is for').fill('What to do when the person is in a mental health crisis.');
    await d.getByRole('group', { name: 'Kind of document' }).getByLabel('Care plan', { exact: true }).check();
    await d.getByRole('group', { name: 'What it holds' }).getByLabel('Crisis plan', { exact: true }).check();
    await d.getByRole('group', { name: 'Fields of Crisis plan' }).getByLabel('Mental health diagnoses').uncheck();
    await checkScreen(d, 'story-new-template-desktop');
    await d.getByRole('button', { name: 'Make the template' }).click();
    await d.getByRole('heading', { name: NAME }).waitFor();
    await expect.poll(() => main.textContent()).toContain(`${SAFETY} — a field for text, optional`);
    expect(await main.textContent()).toContain(`${CONTACT} — a field for text, optional`);
    await checkScreen(d, 'story-template-desktop');

    // A pathway on it: its first draft.
    expect(await d.getByLabel('Pathway title').inputValue()).toBe(NAME);
    await d.getByRole('button', { name: 'Start a pathway with this template' }).click();
    await d.getByRole('heading', { name: /Edit draft version 1/ }).waitFor();
    await d.getByRole('group', { name: new RegExp(SAFETY) }).waitFor();

    // A when/then rule: the crisis team's contact is shown, and required, when the person is under a team.
    await d.getByLabel('When this field').selectOption({ label: TEAM });
    await d.getByLabel('Has the answer').selectOption({ label: 'Yes' });
    await d.getByLabel('Then', { exact: true }).selectOption({ label: 'show it and make it required' });
    await d.getByLabel('This field', { exact: true }).selectOption({ label: CONTACT });
    await d.getByRole('button', { name: 'Add this rule' }).click();
    await expect.poll(() => d.getByRole('table', { name: `Rules of ${NAME}` }).textContent()).toContain(CONTACT);

    // A prefill: the place of safety starts as the person's address.
    await d.getByLabel('Fill this field').selectOption({ label: SAFETY });
    await d.getByLabel('From', { exact: true }).selectOption({ label: 'Their address' });
    await d.getByRole('button', { name: 'Add this prefill' }).click();
    const prefills = d.getByRole('table', { name: `Prefills of ${NAME}` });
    await expect.poll(() => prefills.textContent()).toContain(SAFETY);
    expect(await prefills.textContent()).toContain('Demographics: address');

    // A hazard and its control: a version cannot be sent for review without one.
    await d.getByLabel('Hazard', { exact: true }).fill('The prefilled address is not where the person feels safe.');
    await d.getByLabel('Controls', { exact: true }).fill('The clinician confirms or changes the place of safety with the person.');
    await d.getByRole('button', { name: 'Add this hazard' }).click();
    await d.getByRole('table', { name: 'Hazards and their controls' }).waitFor();
    await checkScreen(d, 'story-edit-desktop');

    // The preview: the rule working in the phone frame.
    await d.getByRole('button', { name: 'Save and preview' }).click();
    await d.getByRole('heading', { name: /Preview of version 1/ }).waitFor();
    const phone = d.getByRole('region', { name: `${NAME}, on a phone` });
    await phone.getByText(SAFETY).first().waitFor();
    expect(await phone.getByLabel(CONTACT).count()).toBe(0);
    await phone.getByRole('group', { name: TEAM }).getByLabel('Yes').check();
    await phone.getByLabel(CONTACT).waitFor();
    // The sample data fills every text field: empty the one the rule requires, then check.
    await phone.getByLabel(CONTACT).fill('');
    await phone.getByLabel(CONTACT).press('Tab');
    await phone.getByRole('button', { name: 'Check the answers' }).click();
    await expect.poll(() => phone.locator('.nhsuk-error-summary').textContent()).toContain(`Enter ${CONTACT.toLowerCase()}`);
    await checkScreen(d, 'story-preview-desktop');

    // The version page: send for review.
    await d.getByRole('link', { name: 'Back to version 1' }).click();
    await d.getByRole('heading', { name: /Version 1/ }).waitFor();
    await checkScreen(d, 'story-version-desktop');
    await d.getByRole('button', { name: 'Send for review' }).click();
    await expect.poll(() => main.textContent()).toContain('Sent for review.');

    // The second designer reads all the first version holds, in plain words, and approves.
    const reviewer = await e2e.newPage();
    const r = reviewer.page;
    await r.goto(`/designer/${KEY}/versions/1/review`);
    await signIn(r, 'designer2');
    await r.getByRole('heading', { name: 'Review version 1' }).waitFor();
    expect(await r.locator('main').textContent()).toContain('This is the pathway’s first version: everything in it, field by field.');
    const changes = r.getByRole('table', { name: 'Changes in version 1' });
    await expect.poll(() => changes.textContent()).toContain(`Module ‘${NAME}’ added, template ‘${TEMPLATE}’`);
    const words = (await changes.textContent()) ?? '';
    expect(words).toContain(`is yes: show “${CONTACT}”, make “${CONTACT}” required`);
    expect(words).toMatch(new RegExp(`${SAFETY}.*their address`));
    await checkScreen(r, 'story-review-desktop');
    await r.getByLabel('Approve: it can be published').check();
    await r.getByRole('button', { name: 'Send the review' }).click();
    await r.getByRole('heading', { name: /Version 1/ }).waitFor();
    await reviewer.context.close();

    // The designer publishes: every user has it at once.
    await d.reload();
    await d.getByRole('button', { name: 'Publish this version' }).click();
    await expect.poll(() => main.textContent()).toContain('Published: every user has this version now.');
    await checkScreen(d, 'story-published-desktop');

    // A first version has nothing to roll back to (the server refuses it): the pathway's page says
    // so and offers no roll-back.
    await d.goto(`/designer/${KEY}`);
    await d.getByRole('heading', { name: NAME }).waitFor();
    await expect
      .poll(() => main.textContent())
      .toContain('Version 1 is the first published version: there is nothing to roll back to. To take it out of use, retire the pathway.');
    expect(await d.getByRole('button', { name: 'Roll back to the previous version' }).count()).toBe(0);
    await checkScreen(d, 'story-pathway-desktop');
    const designerApi = await apiSignIn(e2e.url, 'designer');
    expect((await apiCall(e2e.url, designerApi, 'POST', `/api/designer/pathways/${KEY}/rollback`)).status).toBe(409);

    // A clinician starts a plan with the new pathway for a person who has none: no restart.
    const planned = new Set(demoPlans().map((plan) => plan.nhsNumber));
    const person = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED).find((candidate) => !planned.has(candidate.nhsNumber));
    if (!person) throw new Error('every demo person has a plan');
    const clinician = await e2e.newPage('tablet');
    const c = clinician.page;
    await c.goto(`/people/${person.nhsNumber}/edit`);
    await signIn(c, 'gp-partner');
    await c.getByRole('heading', { name: 'Start an urgent care plan' }).waitFor();
    await c.getByLabel(NAME, { exact: true }).check();
    await c.getByLabel('Yes, they agreed').check();
    await c.getByRole('button', { name: 'Start the plan' }).click();
    await c.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await c.getByRole('link', { name: new RegExp(`^${NAME.replace(/[()]/g, '\\$&')}`) }).click();

    // The prefill: the place of safety holds the person's address; the rule hides the contact until it applies.
    const safety = c.getByLabel(SAFETY);
    await expect.poll(() => safety.inputValue()).toContain(person.postcode);
    const prefilled = await safety.inputValue();
    expect(await c.getByLabel(CONTACT).count()).toBe(0);
    await c.getByLabel('Early warning signs').fill('Stops sleeping, stops answering the phone');
    await c.getByRole('group', { name: TEAM }).getByLabel('Yes').check();
    await c.getByRole('button', { name: 'Save this section' }).click();
    await expect.poll(() => c.locator('.nhsuk-error-summary').textContent()).toContain(`Enter ${CONTACT.toLowerCase()}`);
    await c.getByLabel(CONTACT).fill('Home treatment team 0300 555 0100');
    await c.getByRole('button', { name: 'Save this section' }).click();
    await c.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await submitAndPublish(c);
    await c.getByRole('link', { name: 'Whole plan' }).click();
    const plan = c.locator('main');
    const wholePlan = async () => {
      // The heading first: the emergency summary the click leaves holds the contact too.
      await c.getByRole('heading', { name: 'Urgent care plan', level: 1 }).waitFor();
      await expect.poll(() => plan.textContent()).toContain('Home treatment team 0300 555 0100');
      const text = (await plan.textContent()) ?? '';
      expect(text).toContain(NAME);
      expect(text).toContain('Stops sleeping, stops answering the phone');
      expect(text).toContain(prefilled);
    };
    await wholePlan();

    // A second version (a reworded description, reviewed and published as before, here through
    // the API); then the designer rolls the pathway back to version 1 on its page.
    const designer2Api = await apiSignIn(e2e.url, 'designer2');
    const copied = await apiCall(e2e.url, designerApi, 'POST', `/api/designer/pathways/${KEY}/versions`, { body: { fromVersion: 1 } });
    expect(copied.status).toBe(201);
    const second = copied.body as { version: number; definition: { description?: string }; safetyNotes: unknown[] };
    const versionUrl = `/api/designer/pathways/${KEY}/versions/${second.version}`;
    const reworded = { ...second.definition, description: `${second.definition.description ?? ''} Reworded in version 2.`.trim() };
    expect(
      (await apiCall(e2e.url, designerApi, 'PUT', versionUrl, { body: { definition: reworded, safetyNotes: second.safetyNotes } })).status,
    ).toBe(200);
    expect((await apiCall(e2e.url, designerApi, 'POST', `${versionUrl}/submit`)).status).toBe(200);
    expect((await apiCall(e2e.url, designer2Api, 'POST', `${versionUrl}/review`, { body: { outcome: 'approve' } })).status).toBe(200);
    expect((await apiCall(e2e.url, designerApi, 'POST', `${versionUrl}/publish`)).status).toBe(200);
    await d.reload();
    await d.getByRole('button', { name: 'Roll back to the previous version' }).click();
    await d.getByRole('button', { name: 'Yes, roll back' }).click();
    const versions = d.getByRole('table', { name: 'Versions, newest first' });
    await expect.poll(() => versions.textContent()).toContain('Version 3');
    // Published without a second review, because it restores the version that had one: the table says whose.
    expect(await versions.locator('tbody tr').first().textContent()).toContain('Roll-back to version 1, reviewed by');
    await checkScreen(d, 'story-rolled-back-desktop');

    // Their own publish (its event long delivered) reloaded the clinician's page in place, and was
    // not announced to them as someone else's change.
    expect(await c.locator('#live-update').count()).toBe(0);

    // The clinician's published plan still reads, all of it, under the rolled-back pathway.
    await c.reload();
    await wholePlan();

    // Then the designer takes the pathway out of use.
    await d.getByRole('button', { name: 'Retire this pathway' }).click();
    await d.getByRole('button', { name: 'Yes, retire this pathway' }).click();
    await expect.poll(() => d.getByRole('table', { name: 'Versions, newest first' }).textContent()).toContain('Retired');
    await checkScreen(d, 'story-retired-desktop');

    // No new plan can take it; the clinician's published plan still reads, all of it.
    const gp = await apiSignIn(e2e.url, 'gp-partner');
    const offered = await apiCall(e2e.url, gp, 'GET', '/api/care-plans/pathways');
    expect(offered.status).toBe(200);
    expect((offered.body as { pathways: { id: string }[] }).pathways.map((pathway) => pathway.id)).not.toContain(KEY);
    await c.reload();
    await wholePlan();
    await clinician.context.close();
    await designer.context.close();
  });
});
