import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';
import { isInternalAddress, type EndpointPolicy } from './endpoint-policy.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `fetch` for notifications whose connections can only reach the addresses the endpoint policy
 * allows. Checking the endpoint before sending is not enough: the name is resolved again when the
 * connection opens, and a subscriber who controls its DNS can answer a public address to the
 * check and an internal one to the connection (DNS rebinding). Here the check is the resolution
 * the connection uses, so what was checked is what is reached; redirects are not followed.
 */
export function guardedFetch(policy: EndpointPolicy): (url: string, init: RequestInit) => Promise<Response> {
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(policy) } });
  return (url, init) => undiciFetch(url, { ...init, redirect: 'manual', dispatcher });
}

/** A `net` lookup that refuses a host (not allowed by the operator) when any of its addresses is internal. */
export function guardedLookup(policy: EndpointPolicy) {
  const allowed = new Set(policy.allowedHosts.map((host) => host.toLowerCase()));
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    if (allowed.has(hostname.toLowerCase())) {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => answer(callback, options, error, addresses));
      return;
    }
    const resolve = policy.resolve ?? resolveAll;
    resolve(hostname).then(
      (addresses) => {
        const internal = addresses.find(isInternalAddress);
        if (addresses.length === 0 || internal !== undefined) {
          const error: NodeJS.ErrnoException = new Error(
            `refused to connect to ${hostname}: it resolves to ${internal ?? 'no address'}, not a public address`,
          );
          error.code = 'ERR_UCP_INTERNAL_ADDRESS';
          callback(error, []);
          return;
        }
        answer(
          callback,
          options,
          null,
          addresses.map((address) => ({ address, family: isIP(address) })),
        );
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map((entry) => entry.address)),
    ),
  );
}

/** Answers in the shape `net` asked for: every address with `all`, else the first. */
function answer(callback: LookupCallback, options: LookupOptions, error: NodeJS.ErrnoException | null, addresses: LookupAddress[]): void {
  if (error) return callback(error, []);
  if (options.all) return callback(null, addresses);
  const [first] = addresses;
  if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), []);
  return callback(null, first.address, first.family);
}
