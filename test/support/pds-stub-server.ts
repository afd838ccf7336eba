import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PdsStub } from '../../src/demographics/stub/pds-stub.js';

export interface PdsStubServer {
  /** The FHIR base URL, as UCP_PDS_URL takes it. */
  url: string;
  /** Every request received: its path with query, and headers. */
  requests: { url: string; headers: IncomingHttpHeaders }[];
  /** How the server misbehaves from now on: answers normally, slowly, or with a fixed status and body. */
  behave(behaviour: StubBehaviour): void;
  close(): Promise<void>;
}

export type StubBehaviour = { kind: 'normal' } | { kind: 'slow'; delayMs: number } | { kind: 'fixed'; status: number; body: string };

/** The PDS stub behind a real HTTP server on a free local port: what the client meets over a network. */
export async function startPdsStubServer(stub: PdsStub): Promise<PdsStubServer> {
  const requests: PdsStubServer['requests'] = [];
  let behaviour: StubBehaviour = { kind: 'normal' };
  const server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    const answer = async () => {
      if (behaviour.kind === 'fixed') {
        response.writeHead(behaviour.status, { 'content-type': 'text/html' }).end(behaviour.body);
        return;
      }
      if (behaviour.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, behaviour.kind === 'slow' ? behaviour.delayMs : 0));
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
      const { status, body } = await stub.respond(request.method ?? 'GET', new URL(request.url ?? '/', 'http://stub.local'), headers);
      if (!response.destroyed) response.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));
    };
    answer().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/personal-demographics/FHIR/R4`,
    requests,
    behave(next) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
