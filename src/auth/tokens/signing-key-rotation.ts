import type { Logger } from 'pino';
import { systemCaller, type Caller } from '../../access/caller.js';
import type { Database } from '../../db/database.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { listSigningKeys, rotateSigningKey, type Rotation, type SigningKeys, type SigningKeyStatus } from './signing-keys.js';

const DAY_MS = 86_400_000;

/** The SMART authorization server's ID tokens live five minutes (src/smart/smart-provider.ts). */
const ID_TOKEN_LIFETIME_SECONDS = 300;

/** The longest a token signed with the platform's keys lives: access tokens, or SMART ID tokens. */
export function maxTokenLifetimeSeconds(config: { accessTokenLifetimeSeconds: number }): number {
  return Math.max(config.accessTokenLifetimeSeconds, ID_TOKEN_LIFETIME_SECONDS);
}

export interface RotationSchedule {
  /** Days a key signs before a successor is introduced; 0: never by itself. */
  periodDays: number;
  maxTokenLifetimeSeconds: number;
}

/**
 * Introduces a successor when the signing key has signed for the whole period and no successor
 * is waiting already. Safe on every server at once: the rotation takes the key lock and refuses
 * a second one while a new key waits to activate.
 */
export async function rotateIfDue(
  db: Database,
  box: SecretBox,
  schedule: RotationSchedule,
  now: Date = new Date(),
): Promise<Rotation | undefined> {
  if (schedule.periodDays === 0) return undefined;
  const keys = await listSigningKeys(db, now);
  if (keys.some((key) => key.state === 'pending')) return undefined;
  const signing = keys.find((key) => key.state === 'signing');
  if (!signing || now.getTime() - Date.parse(signing.activatesAt) < schedule.periodDays * DAY_MS) return undefined;
  return rotateSigningKey(
    db,
    box,
    { maxTokenLifetimeSeconds: schedule.maxTokenLifetimeSeconds },
    { caller: systemCaller('signing-key-rotation'), reason: `scheduled: the key had signed for ${schedule.periodDays} days` },
    now,
  );
}

/** Checks at start and then hourly whether the signing key is due for rotation. */
export class SigningKeyRotationJob {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly keys: SigningKeys,
    private readonly schedule: RotationSchedule,
    private readonly logger: Logger,
    private readonly intervalMs = 3_600_000,
  ) {}

  start(): void {
    if (this.schedule.periodDays === 0 || this.#timer) return;
    this.#check();
    this.#timer = setInterval(() => this.#check(), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #check(): void {
    this.#running ??= rotateIfDue(this.db, this.box, this.schedule)
      .then((rotation) => {
        if (!rotation) return;
        this.keys.refresh();
        this.logger.info({ kid: rotation.introduced.kid, activatesAt: rotation.introduced.activatesAt }, 'signing key rotated (scheduled)');
      })
      .catch((error: unknown) => this.logger.error({ err: error }, 'signing key rotation check failed'))
      .finally(() => {
        this.#running = undefined;
      });
  }
}

/**
 * The signing keys as platform administrators see and change them: their states (never a private
 * half), and a rotation by hand with its reason (audited by `rotateSigningKey`), which this
 * server's key cache sees at once.
 */
export class SigningKeyAdministration {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly keys: SigningKeys,
    private readonly settings: { maxTokenLifetimeSeconds: number },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  list(): Promise<SigningKeyStatus[]> {
    return listSigningKeys(this.db, this.clock());
  }

  /** The rotation made, or undefined when a new key is already waiting to begin signing. */
  async rotate(caller: Caller, reason: string): Promise<Rotation | undefined> {
    const rotation = await rotateSigningKey(this.db, this.box, this.settings, { caller, reason }, this.clock());
    if (rotation) this.keys.refresh();
    return rotation;
  }
}
