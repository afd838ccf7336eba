import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-people.js';

/** Debian's chromium (`apt-get install -y chromium`): the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SCREENS_DIR = fileURLToPath(new URL('../../test-results/screens/', import.meta.url));

/** The viewports every main screen is checked at: a small phone, a tablet in a hallway, a desk. */
export const VIEWPORTS = {
  phone: { width: 320, height: 640 },
  tablet: { width: 768, height: 1024 },
  desktop: { width: 1280, height: 900 },
} as const;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

let axeSource: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * Runs axe-core in the page (the package's script, evaluated through the debugging protocol, so the
 * page's Content Security Policy need not allow it) against WCAG 2.2 A and AA, and returns the
 * serious and critical violations.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  await page.evaluate(source);
  // A string, evaluated in the page: this file is type-checked without the DOM's types.
  const violations = await page.evaluate<AxeViolation[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    .then((result) => result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
    })))`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** A readable list of violations for a failing assertion. */
/** The id and text of the element that has the keyboard focus. */
export async function focused(page: Page): Promise<{ id: string; text: string }> {
  return page.evaluate<{ id: string; text: string }>(
    `({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent ?? '' })`,
  );
}

export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/** A fresh browser context on the server at `baseURL`; an error in the page fails the test. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport: keyof typeof VIEWPORTS = 'desktop',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], baseURL, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return { context, page };
}

/** A main screen: its screenshot, then axe-core finding no serious or critical violation on it. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const violations = await seriousAccessibilityViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

/** Signs in on the sign-in page as a demo log-in. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * On the plan's edit page: sets the review date three months on, submits and, as a clinician who
 * may approve, approves and publishes; waits for the emergency summary it lands on.
 */
export async function submitAndPublish(page: Page): Promise<void> {
  const review = page.getByRole('group', { name: 'When should the plan be reviewed?' });
  const inThreeMonths = new Date(Date.now() + 90 * 86_400_000);
  await review.getByLabel('Day').fill(String(inThreeMonths.getUTCDate()));
  await review.getByLabel('Month').fill(String(inThreeMonths.getUTCMonth() + 1));
  await review.getByLabel('Year').fill(String(inThreeMonths.getUTCFullYear()));
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.getByRole('button', { name: 'Approve and publish' }).click();
  await page.getByRole('heading', { name: 'Emergency summary' }).waitFor();
}
