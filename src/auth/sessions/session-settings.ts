/** What an installation may choose about web app sessions; everything but the URL has a default. */
export interface SessionOptions {
  /** The URL the web app is served from (`UCP_PUBLIC_URL`); state-changing requests must come from its origin. */
  publicUrl: string;
  /** Minutes without a request after which a session ends. Default 15. */
  idleTimeoutMinutes?: number | undefined;
  /** Hours after sign-in at which a session ends however active it is. Default 12. */
  absoluteTimeoutHours?: number | undefined;
  /**
   * Whether browsers reach the server over TLS (directly or through a proxy that terminates it).
   * Default: whether `publicUrl` is https. The request's own protocol is not trusted for this,
   * since behind a proxy it is plain HTTP.
   */
  tls?: boolean | undefined;
  /** For tests; defaults to the system clock. */
  clock?: (() => Date) | undefined;
}

export interface SessionSettings {
  /** `scheme://host[:port]` of `publicUrl`, as browsers write it in `Origin`. */
  publicOrigin: string;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  tls: boolean;
  cookieName: string;
  clock: () => Date;
}

export const DEFAULT_IDLE_TIMEOUT_MINUTES = 15;
export const DEFAULT_ABSOLUTE_TIMEOUT_HOURS = 12;

/**
 * The `__Host-` prefix makes browsers refuse the cookie unless it is Secure, has Path=/ and no
 * Domain, so a sibling subdomain or a plain-HTTP page cannot plant or overwrite it. Browsers
 * accept that prefix only over TLS, hence the plain name otherwise (local development).
 */
export const TLS_COOKIE_NAME = '__Host-ucp_session';
export const PLAIN_COOKIE_NAME = 'ucp_session';

const MAX_ABSOLUTE_TIMEOUT_HOURS = 24 * 30;

/** Fills in the defaults and checks the values; a bad value is a configuration mistake and throws. */
export function sessionSettings(options: SessionOptions): SessionSettings {
  const url = URL.canParse(options.publicUrl) ? new URL(options.publicUrl) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new Error(`The sessions' public URL must be an http or https URL, not ${JSON.stringify(options.publicUrl)}.`);
  }
  const idleMinutes = options.idleTimeoutMinutes ?? DEFAULT_IDLE_TIMEOUT_MINUTES;
  const absoluteHours = options.absoluteTimeoutHours ?? DEFAULT_ABSOLUTE_TIMEOUT_HOURS;
  if (!(Number.isFinite(absoluteHours) && absoluteHours > 0 && absoluteHours <= MAX_ABSOLUTE_TIMEOUT_HOURS)) {
    throw new Error(
      `The absolute session timeout must be more than 0 and at most ${MAX_ABSOLUTE_TIMEOUT_HOURS} hours, not ${absoluteHours}.`,
    );
  }
  if (!(Number.isFinite(idleMinutes) && idleMinutes >= 1 && idleMinutes <= absoluteHours * 60)) {
    throw new Error(`The idle session timeout must be at least 1 minute and no longer than the absolute timeout, not ${idleMinutes}.`);
  }
  const tls = options.tls ?? url.protocol === 'https:';
  return {
    publicOrigin: url.origin,
    idleTimeoutMs: idleMinutes * 60_000,
    absoluteTimeoutMs: absoluteHours * 3_600_000,
    tls,
    cookieName: tls ? TLS_COOKIE_NAME : PLAIN_COOKIE_NAME,
    clock: options.clock ?? (() => new Date()),
  };
}
