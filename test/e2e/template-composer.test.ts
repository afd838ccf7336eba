import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkScreen, signIn } from './browser.js';
import { useE2eSuite } from './e2e-suite.js';
import { apiCall, apiSignIn, demoPlans, waitForPublishedPlan } from './e2e-server.js';

const NAME = 'Crisis plan (composed)';
const TEMPLATE = `UCP - ${NAME}.v1`;

/** Chooses the first option of a select with `text` (option texts carry what the node is, after its name). */
async function choose(select: Locator, text: string | RegExp): Promise<void> {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value ?? '');
}

/**
 * The template composer in chromium against the whole demo server (issue #17): a designer builds a
 * mental health crisis template from the bundled archetypes, adds a node from the archetype and
 * renames another (each a new revision), starts a pathway draft on it, and sees in plain words
 * why a change to a template plans already use is refused. Every screen is screenshot and checked
 * with axe-core.
 */
describe('the template composer in chromium', { timeout: 300_000 }, () => {
  const e2e = useE2eSuite();

  it('a designer builds a template from archetypes, changes it, starts a pathway on it, and is told why a change is refused', async () => {
    const { page: d, context } = await e2e.newPage();
    await d.goto('/designer/templates');
    await signIn(d, 'designer');
    await d.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
    await expect.poll(() => d.getByRole('table', { name: 'Templates' }).textContent()).toContain('UCP - Mental health crisis plan');
    await checkScreen(d, 'composer-templates-desktop');

    // A new template: the care plan composition holding the local crisis plan archetype, some of its fields.
    await d.getByRole('link', { name: 'Make a new template from archetypes' }).click();
    await d.getByRole('heading', { name: 'Make a new template from archetypes' }).waitFor();
    await d.getByLabel('Name', { exact: true }).fill(NAME);
    await d.getByLabel('What it is for').fill('What to do when the person is in a mental health crisis.');
    await d.getByRole('group', { name: 'Kind of document' }).getByLabel('Care plan', { exact: true }).check();
    await d.getByRole('group', { name: 'What it holds' }).getByLabel('Crisis plan', { exact: true }).check();
    const fields = d.getByRole('group', { name: 'Fields of Crisis plan' });
    await fields.getByLabel('Mental health diagnoses').uncheck();
    await fields.getByLabel('Preferred place of safety').uncheck();
    await checkScreen(d, 'composer-new-template-desktop');
    await d.getByRole('button', { name: 'Make the template' }).click();

    // Its page: the fields in plain words, revision 1.
    await d.getByRole('heading', { name: NAME }).waitFor();
    const main = d.locator('main');
    await expect.poll(() => main.textContent()).toContain('Early warning signs — a field for text, optional');
    expect(await main.textContent()).not.toContain('Preferred place of safety —');
    await checkScreen(d, 'composer-template-desktop');

    // Add a field from its archetype, then rename one: revisions 2 and 3.
    await choose(d.getByLabel('Add to'), /^Crisis plan$/);
    await choose(d.getByLabel('What to add'), 'Preferred place of safety');
    await d.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => main.textContent()).toContain('Saved as revision 2.');
    await expect.poll(() => main.textContent()).toContain('Preferred place of safety — a field for text, optional');
    await choose(d.getByLabel('Field to rename'), 'Early warning signs');
    await d.getByLabel('New name').fill('Signs a crisis is starting');
    await d.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => main.textContent()).toContain('Saved as revision 3.');
    await expect.poll(() => main.textContent()).toContain('Signs a crisis is starting — a field for text, optional');
    expect(await d.getByRole('table', { name: 'Revisions, newest first' }).textContent()).toContain('Revision 3');
    await checkScreen(d, 'composer-revised-desktop');
    // The page deep-links (a template id ends like a file name: .v1).
    await d.reload();
    await expect.poll(() => main.textContent()).toContain('Signs a crisis is starting — a field for text, optional');

    // A pathway draft on it: the draft's editor shows the template's fields, the added one too.
    await d.getByLabel('Pathway title').fill('Crisis plan from archetypes');
    await d.getByRole('button', { name: 'Start a pathway with this template' }).click();
    await d.getByRole('heading', { name: /Edit draft version 1/ }).waitFor();
    await d.getByRole('group', { name: /Preferred place of safety/ }).waitFor();
    await d.getByRole('group', { name: /Signs a crisis is starting/ }).waitFor();
    const designer = await apiSignIn(e2e.url, 'designer');
    const draft = await apiCall(e2e.url, designer, 'GET', '/api/designer/pathways/crisis-plan-from-archetypes/versions/1');
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ definition: { modules: [{ templateId: TEMPLATE }] }, problems: [] });

    // A template plans already use: renaming a field every plan holds is refused, in plain words.
    const gp = await apiSignIn(e2e.url, 'gp-partner');
    await waitForPublishedPlan(e2e.url, gp, demoPlans()[0]?.nhsNumber ?? '');
    await d.goto(`/designer/templates/${encodeURIComponent('UCP - Plan.v1')}/revisions`);
    await d.getByRole('heading', { name: 'Urgent care plan' }).waitFor();
    await choose(d.getByLabel('Field to rename'), /^Status \(/);
    await d.getByLabel('New name').fill('Plan state');
    await d.getByRole('button', { name: 'Rename' }).click();
    const refusal = d.locator('.nhsuk-error-summary');
    await expect.poll(() => refusal.textContent()).toContain('This change was not made');
    expect(await refusal.textContent()).toMatch(/plans? already written with this template would no longer read correctly/);
    expect(await refusal.textContent()).toContain('Plans hold data in: “Status”');
    await checkScreen(d, 'composer-refused-desktop');
    const revisions = await apiCall(e2e.url, designer, 'GET', `/api/designer/templates/${encodeURIComponent('UCP - Plan.v1')}/revisions`);
    expect((revisions.body as { revisions: unknown[] }).revisions).toHaveLength(1);
    await context.close();
  });
});
