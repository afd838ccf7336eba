import { describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_SEED } from '../../src/demo/seed-demo-dataset.js';
import { syntheticLondoners } from '../../src/demo/synthetic-londoners.js';
import { checkScreen, signIn, submitAndPublish } from './browser.js';
import { MENTAL_HEALTH_CRISIS_PATHWAY } from '../../src/demo/demo-pathways.js';
import { useE2eSuite } from './e2e-suite.js';
import { apiCall, apiSignIn, demoPlans } from './e2e-server.js';

const KEY = 'mental-health-crisis';
const NEW_LABEL = 'Where the person feels safe';

/**
 * The pathway designer in chromium against the whole demo server (issue #17): a designer changes
 * the mental health crisis plan, previews it and sends it for review; a second designer approves;
 * it is published; a clinician fills and publishes a plan with it, with the new label and rule, no
 * restart; the designer rolls it back and the published plan still reads. Every designer screen
 * is screenshot and checked with axe-core.
 */
describe('the pathway designer in chromium', { timeout: 300_000 }, () => {
  const e2e = useE2eSuite();

  it('a designer changes a pathway, a second approves it, it is published to clinicians at once, and rolled back', async () => {
    // The designer: the list, the pathway, a draft copied from the published version.
    const designer = await e2e.newPage();
    const d = designer.page;
    await d.goto('/designer');
    await signIn(d, 'designer');
    await d.getByRole('heading', { name: 'Pathway designer' }).waitFor();
    await d.getByRole('link', { name: 'Pathway designer' }).waitFor();
    await checkScreen(d, 'designer-pathways-desktop');
    await d.getByRole('link', { name: 'Mental health crisis plan' }).click();
    await d.getByRole('heading', { name: /Mental health crisis plan/ }).waitFor();
    await checkScreen(d, 'designer-pathway-desktop');
    await d.getByRole('button', { name: 'Copy version 1 into a new draft' }).click();
    await d.getByRole('heading', { name: /Edit draft version 2/ }).waitFor();

    // A new label, and a rule: the place of safety is required when the person is under a team.
    await d
      .getByRole('group', { name: /Preferred place of safety/ })
      .getByLabel('Label')
      .fill(NEW_LABEL);
    await d.getByLabel('When this field').selectOption({ label: 'Under a crisis or community mental health team' });
    await d.getByLabel('Has the answer').selectOption({ label: 'Yes' });
    await d.getByLabel('Then', { exact: true }).selectOption({ label: 'make it required' });
    await d.getByLabel('This field', { exact: true }).selectOption({ label: NEW_LABEL });
    await d.getByRole('button', { name: 'Add this rule' }).click();
    await expect.poll(() => d.locator('main').textContent()).toContain(`make “${NEW_LABEL}” required`);
    await checkScreen(d, 'designer-edit-desktop');

    // The preview: the same form engine, in a phone and a desktop frame, the rule working.
    await d.getByRole('button', { name: 'Save and preview' }).click();
    await d.getByRole('heading', { name: /Preview of version 2/ }).waitFor();
    const phone = d.getByRole('region', { name: 'Mental health crisis plan, on a phone' });
    await phone.getByText(NEW_LABEL).first().waitFor();
    expect(await phone.getByLabel('Crisis team contact').count()).toBe(0);
    await phone.getByRole('group', { name: 'Under a crisis or community mental health team' }).getByLabel('Yes').check();
    await phone.getByLabel('Crisis team contact').waitFor();
    // The sample data fills every text field: empty the one the new rule requires.
    await phone.getByLabel(NEW_LABEL).fill('');
    // Leaving the field shows its message inline (and moves the button down): then check.
    await phone.getByLabel(NEW_LABEL).press('Tab');
    await phone.getByRole('button', { name: 'Check the answers' }).click();
    await expect.poll(() => phone.locator('.nhsuk-error-summary').textContent()).toContain(`Enter ${NEW_LABEL.toLowerCase()}`);
    await checkScreen(d, 'designer-preview-desktop');

    // The version page, then submit.
    await d.getByRole('link', { name: 'Back to version 2' }).click();
    await d.getByRole('heading', { name: /Version 2/ }).waitFor();
    await checkScreen(d, 'designer-version-desktop');
    await d.getByRole('button', { name: 'Send for review' }).click();
    await expect.poll(() => d.locator('main').textContent()).toContain('Sent for review.');

    // The second designer reviews the diff field by field and approves.
    const reviewer = await e2e.newPage();
    const r = reviewer.page;
    await r.goto(`/designer/${KEY}/versions/2/review`);
    await signIn(r, 'designer2');
    await r.getByRole('heading', { name: 'Review version 2' }).waitFor();
    const changes = r.getByRole('table', { name: 'Changes in version 2' });
    await expect.poll(() => changes.textContent()).toContain(NEW_LABEL);
    // In plain words, as the server gives them: the field by its section and label, the rule as the editor says it.
    expect(await changes.textContent()).toContain(
      `section ‘Crisis plan’ › field ‘Preferred place of safety’: label changed from ‘Preferred place of safety’ (the template’s) to ‘${NEW_LABEL}’`,
    );
    expect(await changes.textContent()).toContain(`is yes: make “${NEW_LABEL}” required`);
    await checkScreen(r, 'designer-review-desktop');
    await r.getByLabel('Approve: it can be published').check();
    await r.getByRole('button', { name: 'Send the review' }).click();
    await r.getByRole('heading', { name: /Version 2/ }).waitFor();
    await reviewer.context.close();

    // The designer publishes.
    await d.reload();
    await d.getByRole('button', { name: 'Publish this version' }).click();
    await expect.poll(() => d.locator('main').textContent()).toContain('Published: every user has this version now.');

    // A clinician starts a plan with the pathway: the new label and the rule, without a restart.
    const planned = new Set(demoPlans().map((plan) => plan.nhsNumber));
    const nhsNumber = syntheticLondoners(DEMO_PEOPLE, DEMO_SEED)
      .map((person) => person.nhsNumber)
      .find((candidate) => !planned.has(candidate));
    if (!nhsNumber) throw new Error('every demo person has a plan');
    const clinician = await e2e.newPage('tablet');
    const c = clinician.page;
    await c.goto(`/people/${nhsNumber}/edit`);
    await signIn(c, 'gp-partner');
    await c.getByRole('heading', { name: 'Start an urgent care plan' }).waitFor();
    await c.getByLabel('Mental health crisis plan').check();
    await c.getByLabel('Yes, they agreed').check();
    await c.getByRole('button', { name: 'Start the plan' }).click();
    await c.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await c.getByRole('link', { name: /^Mental health crisis plan/ }).click();
    await c.getByLabel(NEW_LABEL).waitFor();
    expect(await c.getByLabel('Crisis team contact').count()).toBe(0);
    await c.getByLabel('Early warning signs').fill('Stops sleeping, stops answering the phone');
    await c.getByRole('group', { name: 'Under a crisis or community mental health team' }).getByLabel('Yes').check();
    await c.getByRole('button', { name: 'Save this section' }).click();
    const summary = c.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('Enter crisis team contact');
    expect(await summary.textContent()).toContain(`Enter ${NEW_LABEL.toLowerCase()}`);
    await checkScreen(c, 'designer-rule-in-plan-tablet');
    await c.getByLabel('Crisis team contact').fill('Home treatment team 0300 555 0100');
    await c.getByLabel(NEW_LABEL).fill('Her sister’s flat');
    await c.getByRole('button', { name: 'Save this section' }).click();
    await c.getByRole('heading', { name: 'Change the plan' }).waitFor();
    await submitAndPublish(c);
    await c.getByRole('link', { name: 'Whole plan' }).click();
    await c.getByRole('heading', { name: 'Urgent care plan', level: 1 }).waitFor();
    await expect.poll(() => c.locator('main').textContent()).toContain('Home treatment team 0300 555 0100');

    // The prefill's question, as the form sends it, is answered for the clinician in the person's EHR.
    const gp = await apiSignIn(e2e.url, 'gp-partner');
    const subject = new URLSearchParams({ subject_id: nhsNumber, subject_namespace: 'https://fhir.nhs.uk/Id/nhs-number' });
    const ehr = await apiCall(e2e.url, gp, 'GET', `/openehr/v1/ehr?${subject.toString()}`);
    const ehrId = (ehr.body as { ehr_id: { value: string } }).ehr_id.value;
    const prefill = MENTAL_HEALTH_CRISIS_PATHWAY.modules[0]?.prefill?.[0]?.from;
    if (!prefill || !('aql' in prefill)) throw new Error('the demo pathway has no AQL prefill');
    const answer = await apiCall(e2e.url, gp, 'POST', '/openehr/v1/query/aql', {
      body: { q: prefill.aql, query_parameters: { ehr_id: ehrId } },
    });
    expect(answer.status).toBe(200);
    expect((answer.body as { columns: { name: string }[] }).columns.map((column) => column.name)).toContain(prefill.column);

    // The designer rolls back: version 3 republishes version 1.
    await d.goto(`/designer/${KEY}`);
    await d.getByRole('button', { name: 'Roll back to the previous version' }).click();
    await d.getByRole('button', { name: 'Yes, roll back' }).click();
    await expect.poll(() => d.getByRole('table', { name: 'Versions, newest first' }).textContent()).toContain('Version 3');
    await checkScreen(d, 'designer-rolled-back-desktop');

    // The clinician's published plan still reads, all of it.
    await c.reload();
    await expect.poll(() => c.locator('main').textContent()).toContain('Home treatment team 0300 555 0100');
    expect(await c.locator('main').textContent()).toContain('Her sister’s flat');
    await clinician.context.close();
    await designer.context.close();
  });
});
