import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';

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
 * The headers are the same on every answer, so helmet's middleware is built once from the options
 * (the Fastify plugin rebuilt it on every request: about 3 % of the server's time under load).
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
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });
}
