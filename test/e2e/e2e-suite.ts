import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, openPage, type VIEWPORTS } from './browser.js';
import type { RunningServer } from '../../src/server/start-server.js';
import { startE2eServer, type E2eServer, type E2eServerOptions } from './e2e-server.js';

/** What the tests of one describe block share: the whole demo server and one chromium. */
export interface E2eSuite {
  readonly url: string;
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A fresh browser context on the server (or on `baseURL`, another site's page); an error in the page fails the test. */
  newPage(viewport?: keyof typeof VIEWPORTS, baseURL?: string): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * Starts the demo server and chromium side by side before the describe block's tests and closes
 * whichever started after them, even when the other failed to start. Call it in the describe
 * block; hooks the block registers after it run once both are up (and close before them).
 */
export function useE2eSuite(options: E2eServerOptions = {}): E2eSuite {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startE2eServer(options), launchChromium()]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} has not started: use the suite inside the describe block's hooks and tests`);
    return value;
  };
  return {
    get url() {
      return ready(server, 'The server').url;
    },
    get server() {
      return ready(server, 'The server').server;
    },
    get browser() {
      return ready(browser, 'Chromium');
    },
    newPage(viewport = 'desktop', baseURL) {
      return openPage(ready(browser, 'Chromium'), baseURL ?? ready(server, 'The server').url, viewport);
    },
  };
}
