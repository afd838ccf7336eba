import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import { QueryLimiter } from './query-limiter.js';

function gate() {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('QueryLimiter', () => {
  it('runs up to the limit at once, queues the next ones and starts them in order as slots free', async () => {
    const limiter = new QueryLimiter({ maxConcurrent: 2, queueLength: 2, queueWaitMs: 5_000 });
    const gates = [gate(), gate(), gate()];
    const order: number[] = [];
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        order.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(limiter.running).toBe(2);
    expect(limiter.waiting).toBe(1);
    expect(order).toEqual([0, 1]);
    gates[0]?.open();
    await runs[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([0, 1, 2]);
    gates[1]?.open();
    gates[2]?.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(limiter.running).toBe(0);
  });

  it('refuses at once with 503 and Retry-After when the queue is full', async () => {
    const limiter = new QueryLimiter({ maxConcurrent: 1, queueLength: 0, queueWaitMs: 2_000 });
    const g = gate();
    const first = limiter.run(() => g.promise);
    const refused = await limiter.run(() => Promise.resolve()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'unavailable', status: 503, headers: { 'Retry-After': '2' } });
    g.open();
    await first;
  });

  it('refuses a queued query that waited too long, and frees its place', async () => {
    const limiter = new QueryLimiter({ maxConcurrent: 1, queueLength: 1, queueWaitMs: 20 });
    const g = gate();
    const first = limiter.run(() => g.promise);
    await expect(limiter.run(() => Promise.resolve())).rejects.toMatchObject({
      code: 'unavailable',
      detail: expect.stringContaining('waited 20 ms') as unknown,
    });
    expect(limiter.waiting).toBe(0);
    g.open();
    await first;
    expect(await limiter.run(() => Promise.resolve('after'))).toBe('after');
  });

  it('frees the slot when a query fails', async () => {
    const limiter = new QueryLimiter({ maxConcurrent: 1, queueLength: 0, queueWaitMs: 10 });
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(() => Promise.resolve(1))).toBe(1);
  });
});
