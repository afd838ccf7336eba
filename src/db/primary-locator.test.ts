import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PrimaryLocator } from './primary-locator.js';

/** Servers by URL and whether each is a primary now (undefined: down); pools are just their URL and a serial. */
function cluster(roles: Record<string, boolean | undefined>) {
  const opened: string[] = [];
  const closed: string[] = [];
  const locator = new PrimaryLocator<string>(Object.keys(roles), {
    open: (url) => {
      opened.push(url);
      return `${url}#${opened.length}`;
    },
    close: async (pool) => void closed.push(pool),
    isPrimary: async (url) => {
      const primary = roles[url];
      if (primary === undefined) throw Object.assign(new Error(`${url} is down`), { code: 'ECONNREFUSED' });
      return primary;
    },
    logger: pino({ level: 'silent' }),
  });
  return { locator, opened, closed, roles };
}

describe('finding the primary among several database servers', () => {
  it('uses the first server that is a primary, and finds it once for many callers', async () => {
    const { locator, opened } = cluster({ a: false, b: true });
    const found = await Promise.all([locator.current(), locator.current(), locator.current()]);
    expect(found.map((located) => located.url)).toEqual(['b', 'b', 'b']);
    expect(opened).toEqual(['b']);
  });

  it('after a loss, closes the old pool and finds the promoted server; a late report about the old pool changes nothing', async () => {
    const { locator, opened, closed, roles } = cluster({ a: true, b: false });
    const first = await locator.current();
    roles['a'] = undefined;
    roles['b'] = true;
    locator.lost(first.generation, new Error('Connection terminated unexpectedly'));
    const second = await locator.current();
    expect(second.url).toBe('b');
    locator.lost(first.generation, new Error('late'));
    expect((await locator.current()).generation).toBe(second.generation);
    expect(opened).toEqual(['a', 'b']);
    expect(closed).toEqual(['a#1']);
  });

  it('says the database is unavailable (08001) while no server is a primary, and tries again at the next call', async () => {
    const { locator, roles } = cluster({ a: undefined, b: false });
    const failure = await locator.current().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: '08001', message: 'none of the 2 database servers is a primary now' });
    roles['b'] = true;
    expect((await locator.current()).url).toBe('b');
  });

  it('with one server, keeps its pool whatever fails: the pool reconnects by itself', async () => {
    const { locator, opened } = cluster({ only: undefined });
    const first = await locator.current();
    locator.lost(first.generation, new Error('Connection terminated unexpectedly'));
    expect(await locator.current()).toBe(first);
    expect(opened).toEqual(['only']);
  });
});
