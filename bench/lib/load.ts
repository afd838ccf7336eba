import autocannon from 'autocannon';

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * Load from this process (not the server's) on loopback for a fixed time: `connections` clients
 * each sending the next request as soon as the last is answered, over paths chosen in turn.
 */
export async function runLoad(options: {
  baseUrl: string;
  paths: readonly string[];
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers ?? {},
    requests: [
      {
        setupRequest: (request) => {
          const path = options.paths[next++ % options.paths.length] ?? '/';
          return { ...request, path };
        },
      },
    ],
  });
  return {
    connections: options.connections,
    seconds: options.seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / options.seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
