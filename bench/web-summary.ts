/**
 * The emergency summary page in a browser: how much JavaScript it ships (gzip, what a crew's tablet
 * downloads) and how soon the CPR recommendation is on screen. The baseline, measured in the same
 * run, is the whole app's JavaScript: the page's share shows what code splitting saves. Render time
 * is from navigation start to the CPR card being visible, in Debian's headless chromium against the
 * whole server (demo data), with a cold and a warm cache.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_WEB_ROOT } from '../src/web/web-app-plugin.js';
import { launchChromium } from '../test/e2e/browser.js';
import { apiSignIn, demoPlans, startE2eServer, waitForPublishedPlan } from '../test/e2e/e2e-server.js';
import { writeBenchResult } from './lib/results.js';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const manifest = JSON.parse(await readFile(join(DEFAULT_WEB_ROOT, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;

/** A chunk and everything it imports statically: what the browser loads for it. */
function closure(keys: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return seen;
}

async function gzipBytes(keys: Iterable<string>): Promise<number> {
  let total = 0;
  for (const key of keys) {
    const file = manifest[key]?.file;
    if (file?.endsWith('.js')) total += gzipSync(await readFile(join(DEFAULT_WEB_ROOT, file)), { level: 9 }).length;
  }
  return total;
}

const pageChunks = closure(['index.html', 'src/pages/person/PersonLayout.tsx', 'src/pages/person/EmergencySummaryPage.tsx']);
const appChunks = closure(Object.keys(manifest).filter((key) => key !== 'components.html' && !key.startsWith('src/gallery/')));
const allApp = new Set([...appChunks, ...Object.values(manifest).flatMap((chunk) => chunk.dynamicImports ?? [])]);
const summaryBytes = await gzipBytes(pageChunks);
const appBytes = await gzipBytes(closure([...allApp]));
console.log(`emergency summary JavaScript: ${(summaryBytes / 1024).toFixed(1)} KiB gzip in ${pageChunks.size} chunks`);
console.log(
  `whole app JavaScript (baseline): ${(appBytes / 1024).toFixed(1)} KiB gzip; the summary ships ${((100 * summaryBytes) / appBytes).toFixed(0)}%`,
);

const e2e = await startE2eServer();
const browser = await launchChromium();
try {
  const plan = demoPlans().find((candidate) => candidate.status === 'published');
  if (!plan) throw new Error('no published demo plan');
  const viewer = await apiSignIn(e2e.url, 'viewer');
  await waitForPublishedPlan(e2e.url, viewer, plan.nhsNumber);
  const [name, value] = viewer.cookie.split('=') as [string, string];
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  await context.addCookies([{ name, value, url: e2e.url }]);
  const times: Record<'cold' | 'warm', number[]> = { cold: [], warm: [] };
  for (let run = 0; run < 6; run++) {
    const page = await context.newPage();
    const kind = run === 0 ? 'cold' : 'warm';
    await page.goto(`${e2e.url}/people/${plan.nhsNumber}`);
    await page.locator('.nhsuk-card--care').first().waitFor();
    times[kind].push(await page.evaluate<number>('performance.now()'));
    await page.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  console.log(
    `time to the CPR recommendation on screen: cold ${median(times.cold).toFixed(0)} ms, warm ${median(times.warm).toFixed(0)} ms (median of ${times.warm.length})`,
  );
  const written = await writeBenchResult('web-summary', 'chromium', {
    summaryJavaScriptGzipBytes: summaryBytes,
    appJavaScriptGzipBytes: appBytes,
    summaryShareOfApp: summaryBytes / appBytes,
    cprOnScreenMs: { cold: median(times.cold), warm: median(times.warm), warmRuns: times.warm.length },
  });
  console.log(`wrote ${written}`);
} finally {
  await browser.close();
  await e2e.close();
}
