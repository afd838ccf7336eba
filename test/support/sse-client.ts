import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface ReceivedEvent {
  id: string;
  event: string;
  data: unknown;
  /** performance.now() when the event's terminating blank line arrived. */
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw body received so far (error bodies, comments). */
  body: () => string;
  events: ReceivedEvent[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Waits until `count` events have arrived, or fails after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<ReceivedEvent[]>;
  close(): void;
}

/** A minimal EventSource over real HTTP: parses `id`, `event` and `data` fields as they arrive. */
export function connectSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      res.setEncoding('utf8');
      let raw = '';
      let pending = '';
      const events: ReceivedEvent[] = [];
      const waiters = new Set<() => void>();
      res.on('data', (chunk: string) => {
        raw += chunk;
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
          }
          const data = fields.get('data');
          if (data !== undefined) {
            events.push({
              id: fields.get('id') ?? '',
              event: fields.get('event') ?? 'message',
              data: JSON.parse(data),
              receivedAt: performance.now(),
            });
            for (const wake of waiters) wake();
          }
        }
      });
      const ended = new Promise<void>((done) => res.once('close', () => done()));
      ended.then(
        () => {
          for (const wake of waiters) wake();
        },
        () => undefined,
      );
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: () => raw,
        events,
        ended,
        waitForEvents(count, timeoutMs = 5_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (events.length >= count) {
                cleanup();
                done(events.slice(0, count));
              } else if (res.closed) {
                cleanup();
                fail(new Error(`stream ended after ${events.length} of ${count} events`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`only ${events.length} of ${count} events within ${timeoutMs} ms`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.once('error', reject);
    req.end();
  });
}
