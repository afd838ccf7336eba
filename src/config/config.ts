/**
 * Configuration comes from environment variables only, read and checked once at start-up.
 * A bad value stops the server with one line that names the variable and says what it must be.
 */

import { isIP } from 'node:net';
import { postgresCandidates } from '../shared/postgres-url.js';
import { parseKeyEncryptionKey } from '../secrets/key-encryption-key.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `auto`: load the demo dataset only into an empty store. */
export type DemoMode = 'auto' | 'on' | 'off';

export interface Config {
  port: number;
  host: string;
  /** The URL clients use to reach this server; used in links and Location headers. */
  publicUrl: string;
  databaseUrl: string | undefined;
  /** A streaming replica of the primary for read-only work (AQL); only with DATABASE_URL. */
  databaseReplicaUrl: string | undefined;
  dataDir: string;
  dbPoolSize: number;
  demo: DemoMode;
  logLevel: LogLevel;
  maxBodyBytes: number;
  /** The openEHR system id that names this repository in version ids (`uid::system::n`). */
  systemId: string;
  shutdownGraceMs: number;
  /** A machine client with platform-admin rights, so an installation can be set up by script. */
  bootstrapClient: { id: string; secret: string } | undefined;
  accessTokenLifetimeSeconds: number;
  /**
   * The key-encryption key that seals stored secrets (src/secrets); without it, a key file in
   * the data folder. Never printed.
   */
  secretsKey: Uint8Array | undefined;
  /** Days after which the signing key is rotated by itself (with overlap); 0: only when an administrator asks. */
  signingKeyRotationDays: number;
  /** Web sessions; `retentionDays`: how long an ended session's row is kept before it is purged. */
  session: { idleMinutes: number; absoluteHours: number; tls: boolean | undefined; retentionDays: number };
  /** JSON list of OpenID Connect providers (see src/auth/oidc/README.md); parsed at start-up. */
  oidcProvidersJson: string | undefined;
  /** The embedded development identity provider: `auto` runs it when the store holds demo data. */
  devIdp: DemoMode;
  /** Real-time events: server-sent event streams per process. */
  events: { maxStreams: number };
  /** How often the audit log's settled rows are sealed (src/audit/README.md, "Sealing"). */
  auditSealIntervalMs: number;
  aql: AqlLimits;
  /** The national demographics service (PDS FHIR API); no URL: the local stub (docs/demographics.md). */
  pds: PdsConfig;
  /** Retries of durable deliveries from the outbox (subscriptions, NRL): first delay, doubling up to the maximum. */
  delivery: { retryBaseMs: number; retryMaxMs: number };
  /** National record locator pointers: `stub` keeps them in memory (demo, tests), `off` writes none. */
  nrl: { mode: 'stub' | 'off'; custodianOdsCode: string };
  /** Origins of record systems that may show the app in a frame (CSP frame-ancestors); none by default. */
  frameAncestors: string[];
  /**
   * FHIR rest-hook subscriptions: hosts a notification may go to over http or on an internal
   * address (an integration engine on the same network, a local test receiver); none by default.
   */
  subscriptions: { allowedHosts: string[] };
}

export interface PdsConfig {
  url: string | undefined;
  accessToken: string | undefined;
  timeoutMs: number;
  /** How long a verified version is answered without asking PDS again. */
  maxAgeSeconds: number;
  /** After PDS could not be reached, how long lookups answer from what is stored without trying it. */
  retryAfterSeconds: number;
}

/** The AQL limits when nothing is configured (docs/configuration.md). */
export const DEFAULT_AQL_LIMITS: AqlLimits = {
  defaultFetch: 1000,
  maxFetch: 10_000,
  timeoutMs: 10_000,
  maxConcurrent: 4,
  queueLength: 16,
  queueWaitMs: 5_000,
  perCallerConcurrent: 2,
  perOrganisationConcurrent: 8,
  perCallerMsPerMinute: 60_000,
  perOrganisationMsPerMinute: 240_000,
};

/** Bounds on AQL queries, so one query cannot take the server (or its connection pool) down. */
export interface AqlLimits {
  /** Rows returned when a request names no `fetch`. */
  defaultFetch: number;
  /** The largest `fetch` a request may ask for; more is refused (400). */
  maxFetch: number;
  /** Statement timeout of one query; beyond it the query is cancelled (503). */
  timeoutMs: number;
  /** Queries executing at once in this process. */
  maxConcurrent: number;
  /** Queries that may wait for a turn; beyond it a request is refused at once (503, Retry-After). */
  queueLength: number;
  /** How long a queued query waits for a turn before it is refused (503, Retry-After). */
  queueWaitMs: number;
  /** Queries one caller may run at once across every server; more are refused (429) to that caller only. */
  perCallerConcurrent: number;
  /** Queries one organisation may run at once across every server. */
  perOrganisationConcurrent: number;
  /** Query time (ms) one caller may use per minute. */
  perCallerMsPerMinute: number;
  /** Query time (ms) one organisation may use per minute. */
  perOrganisationMsPerMinute: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** A parser gives the value, or an `Invalid` that says what the value must be. */
class Invalid {
  constructor(readonly requirement: string) {}
}
type Parser<T> = (raw: string) => T | Invalid;

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = reader(env, problems);

  // Port 0 asks the operating system for any free port (tests, side-by-side instances).
  const port = read('PORT', 8080, integerBetween(0, 65_535));
  const host = read('HOST', '127.0.0.1', hostName);
  const config: Config = {
    port,
    host,
    publicUrl: read('UCP_PUBLIC_URL', `http://${host.includes(':') ? `[${host}]` : host}:${port}`, httpUrl),
    databaseUrl: read<string | undefined>('DATABASE_URL', undefined, postgresUrl),
    databaseReplicaUrl: read<string | undefined>('DATABASE_REPLICA_URL', undefined, postgresUrl),
    dataDir: read('UCP_DATA_DIR', './data', (raw) => raw),
    dbPoolSize: read('UCP_DB_POOL_SIZE', 10, integerBetween(1, 500)),
    demo: read<DemoMode>('UCP_DEMO', 'auto', demoMode),
    logLevel: read<LogLevel>('LOG_LEVEL', 'info', oneOf(LOG_LEVELS)),
    maxBodyBytes: read('UCP_MAX_BODY_BYTES', 5 * 1024 * 1024, integerBetween(1024, 100 * 1024 * 1024)),
    systemId: read('UCP_SYSTEM_ID', 'ucp.local', systemId),
    shutdownGraceMs: read('UCP_SHUTDOWN_GRACE_MS', 10_000, integerBetween(0, 600_000)),
    bootstrapClient: undefined,
    accessTokenLifetimeSeconds: read('UCP_ACCESS_TOKEN_LIFETIME_SECONDS', 300, integerBetween(30, 3600)),
    secretsKey: read<Uint8Array | undefined>('UCP_SECRETS_KEY', undefined, secretsKey, { secret: true }),
    signingKeyRotationDays: read('UCP_SIGNING_KEY_ROTATION_DAYS', 90, integerBetween(0, 3650)),
    session: {
      idleMinutes: read('UCP_SESSION_IDLE_MINUTES', 15, integerBetween(1, 24 * 60)),
      absoluteHours: read('UCP_SESSION_ABSOLUTE_HOURS', 12, integerBetween(1, 720)),
      tls: read<boolean | undefined>('UCP_SESSION_TLS', undefined, booleanFlag),
      retentionDays: read('UCP_SESSION_RETENTION_DAYS', 30, integerBetween(1, 3650)),
    },
    oidcProvidersJson: read<string | undefined>('UCP_OIDC_PROVIDERS', undefined, (raw) => raw, { secret: true }),
    devIdp: read<DemoMode>('UCP_DEV_IDP', 'auto', demoMode),
    events: {
      maxStreams: read('UCP_EVENTS_MAX_STREAMS', 1000, integerBetween(0, 100_000)),
    },
    auditSealIntervalMs: read('UCP_AUDIT_SEAL_INTERVAL_MS', 200, integerBetween(10, 60_000)),
    frameAncestors: read('UCP_FRAME_ANCESTORS', [] as string[], originList),
    subscriptions: { allowedHosts: read('UCP_SUBSCRIPTION_ALLOWED_HOSTS', [] as string[], hostList) },
    aql: readAqlLimits(read),
    pds: readPdsConfig(read),
    delivery: {
      retryBaseMs: read('UCP_DELIVERY_RETRY_BASE_MS', 1_000, integerBetween(10, 600_000)),
      retryMaxMs: read('UCP_DELIVERY_RETRY_MAX_MS', 300_000, integerBetween(10, 86_400_000)),
    },
    nrl: {
      mode: read<'stub' | 'off'>('UCP_NRL', 'stub', oneOf(['stub', 'off'] as const)),
      custodianOdsCode: read('UCP_NRL_CUSTODIAN_ODS', 'DEMOUCP', (raw) =>
        /^[A-Z0-9]{3,10}$/.test(raw) ? raw : new Invalid('must be an ODS code'),
      ),
    },
  };
  if (config.aql.defaultFetch > config.aql.maxFetch && problems.length === 0) {
    problems.push('UCP_AQL_DEFAULT_FETCH must not be larger than UCP_AQL_MAX_FETCH');
  }
  config.bootstrapClient = readBootstrapClient(read, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads one variable: its fallback when unset or blank; a problem recorded (and the fallback) when invalid. */
type Read = <T>(name: string, fallback: T, parse: Parser<T>, options?: { secret?: boolean }) => T;

function reader(env: Env, problems: string[]): Read {
  return <T>(name: string, fallback: T, parse: Parser<T>, options: { secret?: boolean } = {}): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = parse(raw.trim());
    if (parsed instanceof Invalid) {
      problems.push(`${name} ${parsed.requirement}${options.secret ? '' : ` (got ${JSON.stringify(raw)})`}`);
      return fallback;
    }
    return parsed;
  };
}

function readAqlLimits(read: Read): AqlLimits {
  return {
    defaultFetch: read('UCP_AQL_DEFAULT_FETCH', DEFAULT_AQL_LIMITS.defaultFetch, integerBetween(1, 1_000_000)),
    maxFetch: read('UCP_AQL_MAX_FETCH', DEFAULT_AQL_LIMITS.maxFetch, integerBetween(1, 1_000_000)),
    timeoutMs: read('UCP_AQL_TIMEOUT_MS', DEFAULT_AQL_LIMITS.timeoutMs, integerBetween(10, 600_000)),
    maxConcurrent: read('UCP_AQL_MAX_CONCURRENT', DEFAULT_AQL_LIMITS.maxConcurrent, integerBetween(1, 500)),
    queueLength: read('UCP_AQL_QUEUE_LENGTH', DEFAULT_AQL_LIMITS.queueLength, integerBetween(0, 10_000)),
    queueWaitMs: read('UCP_AQL_QUEUE_WAIT_MS', DEFAULT_AQL_LIMITS.queueWaitMs, integerBetween(0, 600_000)),
    perCallerConcurrent: read('UCP_AQL_PER_CALLER_CONCURRENT', DEFAULT_AQL_LIMITS.perCallerConcurrent, integerBetween(1, 500)),
    perOrganisationConcurrent: read(
      'UCP_AQL_PER_ORGANISATION_CONCURRENT',
      DEFAULT_AQL_LIMITS.perOrganisationConcurrent,
      integerBetween(1, 5_000),
    ),
    perCallerMsPerMinute: read(
      'UCP_AQL_PER_CALLER_MS_PER_MINUTE',
      DEFAULT_AQL_LIMITS.perCallerMsPerMinute,
      integerBetween(100, 86_400_000),
    ),
    perOrganisationMsPerMinute: read(
      'UCP_AQL_PER_ORGANISATION_MS_PER_MINUTE',
      DEFAULT_AQL_LIMITS.perOrganisationMsPerMinute,
      integerBetween(100, 86_400_000),
    ),
  };
}

function readPdsConfig(read: Read): PdsConfig {
  return {
    url: read<string | undefined>('UCP_PDS_URL', undefined, httpUrl),
    accessToken: read<string | undefined>('UCP_PDS_ACCESS_TOKEN', undefined, (raw) => raw, { secret: true }),
    timeoutMs: read('UCP_PDS_TIMEOUT_MS', 5_000, integerBetween(100, 60_000)),
    maxAgeSeconds: read('UCP_PDS_MAX_AGE_SECONDS', 3_600, integerBetween(0, 30 * 86_400)),
    retryAfterSeconds: read('UCP_PDS_RETRY_AFTER_SECONDS', 30, integerBetween(0, 3_600)),
  };
}

/** Both or neither: an id without its secret (or the reverse) is a mistake worth stopping for. */
function readBootstrapClient(read: Read, problems: string[]): Config['bootstrapClient'] {
  const id = read<string | undefined>('UCP_BOOTSTRAP_CLIENT_ID', undefined, clientId);
  const secret = read<string | undefined>('UCP_BOOTSTRAP_CLIENT_SECRET', undefined, clientSecret, { secret: true });
  if ((id === undefined) !== (secret === undefined) && problems.length === 0) {
    problems.push('UCP_BOOTSTRAP_CLIENT_ID and UCP_BOOTSTRAP_CLIENT_SECRET must be set together');
  }
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
}

function integerBetween(min: number, max: number): Parser<number> {
  return (raw) => {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    return value >= min && value <= max ? value : new Invalid(`must be a whole number from ${min} to ${max}`);
  };
}

function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return (raw) => {
    const value = allowed.find((candidate) => candidate === raw.toLowerCase());
    return value ?? new Invalid(`must be one of ${allowed.join(', ')}`);
  };
}

function demoMode(raw: string): DemoMode | Invalid {
  const value = raw.toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(value)) return 'on';
  if (['0', 'false', 'off', 'no'].includes(value)) return 'off';
  if (value === 'auto') return 'auto';
  return new Invalid('must be on, off or auto');
}

function booleanFlag(raw: string): boolean | Invalid {
  const value = raw.toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(value)) return true;
  if (['0', 'false', 'off', 'no'].includes(value)) return false;
  return new Invalid('must be true or false');
}

function hostName(raw: string): string | Invalid {
  return /^[A-Za-z0-9.:-]+$/.test(raw) ? raw : new Invalid('must be a host name or IP address');
}

function httpUrl(raw: string): string | Invalid {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') return new Invalid('must be an http or https URL');
  return raw.replace(/\/+$/, '');
}

/** One server, or several as libpq writes them (`postgres://u@host1:5432,host2:5432/db`): the primary is found among them. */
function postgresUrl(raw: string): string | Invalid {
  try {
    postgresCandidates(raw);
    return raw;
  } catch {
    return new Invalid('must be a postgres:// or postgresql:// URL (several hosts separated by commas are allowed)');
  }
}

function originList(raw: string): string[] | Invalid {
  const origins = raw.split(/[\s,]+/).filter(Boolean);
  const valid = origins.every((origin) => {
    const url = URL.canParse(origin) ? new URL(origin) : undefined;
    return url !== undefined && (url.protocol === 'https:' || url.hostname === 'localhost') && url.origin === origin.replace(/\/$/, '');
  });
  return valid
    ? origins.map((origin) => origin.replace(/\/$/, ''))
    : new Invalid('must be https origins (scheme, host and port only), separated by spaces');
}

function hostList(raw: string): string[] | Invalid {
  const hosts = raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((host) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase());
  const valid = hosts.every(
    (host) => isIP(host) !== 0 || /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host),
  );
  return valid ? hosts : new Invalid('must be host names or IP addresses (no scheme or port), separated by spaces or commas');
}

function clientId(raw: string): string | Invalid {
  return /^[A-Za-z0-9._~-]{1,128}$/.test(raw) ? raw : new Invalid('must be 1 to 128 letters, digits, ".", "_", "~" or "-"');
}

function clientSecret(raw: string): string | Invalid {
  // It grants platform-admin rights: long enough that guessing is hopeless.
  return raw.length >= 24 ? raw : new Invalid('must be at least 24 characters');
}

function secretsKey(raw: string): Uint8Array | Invalid {
  return parseKeyEncryptionKey(raw) ?? new Invalid('must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)');
}

function systemId(raw: string): string | Invalid {
  // It appears inside version ids separated by '::', so it may not contain ':'.
  return /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(raw) ? raw : new Invalid('must be a domain-like name (letters, digits, dots, hyphens)');
}
