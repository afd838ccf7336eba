import type { Caller } from '../../access/caller.js';
import { appendAuditNow } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { confirmIdentity, confirmTotp, enrolTotp, removeTotp, type TotpEnrolment } from '../../users/local-accounts.js';

/** The proof asked for before the second factor changes: the password, and a code while one is active. */
export interface IdentityProof {
  password: string;
  code?: string | undefined;
}

/**
 * A signed-in person's own second factor (TOTP): enrol, confirm with a first code, remove. Each
 * change asks for proof of identity and is audited.
 */
export class TotpService {
  constructor(
    private readonly db: Database,
    /** Seals and opens the stored second-factor secrets. */
    private readonly secrets: SecretBox,
  ) {}

  /** A new secret, active once a code from it is confirmed. */
  async enrol(caller: Caller, proof: IdentityProof): Promise<TotpEnrolment> {
    await this.#requireIdentity(caller, proof);
    const enrolment = await enrolTotp(this.db, this.secrets, caller.id);
    await this.#audit(caller, 'totp-enrolment-started');
    return enrolment;
  }

  /** From now on sign-in asks for a code. */
  async confirm(caller: Caller, code: string): Promise<void> {
    if (!(await confirmTotp(this.db, this.secrets, caller.id, code))) {
      throw new AppError('bad-request', 'That code does not match the authenticator being enrolled; check the app and try again.');
    }
    await this.#audit(caller, 'totp-enabled');
  }

  async remove(caller: Caller, proof: IdentityProof): Promise<void> {
    await this.#requireIdentity(caller, proof);
    await removeTotp(this.db, caller.id);
    await this.#audit(caller, 'totp-removed');
  }

  async #requireIdentity(caller: Caller, proof: IdentityProof): Promise<void> {
    if (!(await confirmIdentity(this.db, this.secrets, caller.id, proof.password, proof.code))) {
      throw new AppError(
        'unauthenticated',
        'Changing the second factor needs your password and, while one is active, a current code from it.',
        {
          issues: [{ path: 'password', message: 'wrong, or the code is missing, wrong or used already' }],
        },
      );
    }
  }

  async #audit(caller: Caller, change: string): Promise<void> {
    await appendAuditNow(
      this.db,
      auditRecordFor(caller, { action: 'update', resource: { type: 'user', id: caller.id }, detail: { change } }),
    );
  }
}
