import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SecurityHeaderSettings {
  /** Browsers reach the server over TLS (directly or through a proxy): HSTS is sent. */
  tls: boolean;
  /**
   * Origins of the record systems allowed to show the app in a frame (an ambulance ePR, a GP
   * system's panel). Empty: no one may frame it.
   */
  frameAncestors: readonly string[];
}

/**
 * Security headers on every answer (helmet): a Content-Security-Policy that allows no inline
 * script and no script from anywhere but this server (the web app is a Vite build of external
 * scripts), no plugins, no framing except by the configured record systems, HSTS when browsers
 * come over TLS, and no MIME sniffing or referrer leaks. Swagger UI at /docs sets its own, stricter
 * per-page policy with the hashes of the scripts it inlines (staticCSP), which replaces this one there.
 *
 * The headers are the same on every answer (no per-request nonce), so helmet's middleware runs
 * once at start on a stand-in response and each answer gets the headers it set, in one step:
 * running its dozen middlewares on every request was 5–6 % of the server's time under load
 * (the Fastify plugin, which also rebuilt them from the options each time, about 3 % more).
 */
export function registerSecurityHeaders(app: FastifyInstance, settings: SecurityHeaderSettings): void {
  const frameAncestors = settings.frameAncestors.length > 0 ? [...settings.frameAncestors] : ["'none'"];
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors,
        ...(settings.tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // frame-ancestors says who may frame the app; X-Frame-Options cannot name other origins.
    xFrameOptions: settings.frameAncestors.length > 0 ? false : { action: 'deny' },
    strictTransportSecurity: settings.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
  const headers = headersSetBy(setHeaders);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** The headers a middleware sets on a response that it does not otherwise look at. */
function headersSetBy(middleware: Middleware): Record<string, string> {
  const headers = new Map<string, string>();
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
      return response;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  let failure: unknown;
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error) => (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return Object.fromEntries(headers);
}
