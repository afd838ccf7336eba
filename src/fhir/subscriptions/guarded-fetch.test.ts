import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from './guarded-fetch.js';

/** The error codes along an error's cause chain (undici wraps the connection's error in a TypeError). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code) codes.push(code);
  }
  return codes;
}

describe('notifications reach only the addresses the endpoint policy allows, at connection time', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(request.url ?? '');
      if (request.url === '/moved') response.writeHead(302, { location: `http://localhost:${port}/elsewhere` }).end();
      else response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('connects to a host the operator allowed, wherever it resolves', async () => {
    const post = guardedFetch({ allowedHosts: ['localhost'] });
    const response = await post(`http://localhost:${port}/hook`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(204);
    expect(received).toContain('/hook');
  });

  it('refuses to connect when the name resolves inward when the connection opens (DNS rebinding), sending nothing', async () => {
    const before = received.length;
    // Whatever an earlier check saw, the resolution the connection uses answers 127.0.0.1.
    const post = guardedFetch({ allowedHosts: [], resolve: async () => ['127.0.0.1'] });
    const failure = await post(`http://rebinding.example:${port}/hook`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect(codesOf(failure)).toContain('ERR_UCP_INTERNAL_ADDRESS');
    expect(received.length).toBe(before);
  });

  it('does not follow a redirect: the subscriber’s 302 is its answer', async () => {
    const post = guardedFetch({ allowedHosts: ['localhost'] });
    const response = await post(`http://localhost:${port}/moved`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(302);
    expect(received).not.toContain('/elsewhere');
  });
});
