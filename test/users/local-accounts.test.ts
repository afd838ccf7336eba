import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { upsertOrganisation, type Organisation } from '../../src/organisations/organisation-store.js';
import { base32Decode } from '../../src/users/base32.js';
import {
  confirmTotp,
  createLocalAccount,
  enrolTotp,
  findLocalAccount,
  removeTotp,
  resetPasswordByOrgAdmin,
  setPassword,
  verifyLogin,
  type LoginOutcome,
} from '../../src/users/local-accounts.js';
import type * as PasswordHashing from '../../src/users/password-hashing.js';
import { decoyPasswordHash, PASSWORD_SCRYPT_PARAMETERS, verifyPassword } from '../../src/users/password-hashing.js';
import { totp } from '../../src/users/totp.js';
import { addMembership, callerForUser, createUser, disableUser } from '../../src/users/user-store.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testSecrets } from '../support/test-secrets.js';

// The real hashing, watched: the decoy path must do the same scrypt work as a known username.
vi.mock('../../src/users/password-hashing.js', async (importOriginal) => {
  const actual = await importOriginal<typeof PasswordHashing>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

const PASSWORD = 'tea at four by the river';
const MINUTE = 60_000;
const START = new Date('2025-03-03T09:00:00Z');

const ambulance: Organisation = {
  odsCode: 'RRU',
  name: 'London Ambulance Service',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
const practice: Organisation = {
  odsCode: 'F84001',
  name: 'Riverside Practice',
  kind: 'gp-practice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};

function later(base: Date, milliseconds: number): Date {
  return new Date(base.getTime() + milliseconds);
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe(`local accounts on ${backend}`, () => {
  let test: TestDatabase;
  let serial = 0;

  beforeAll(async () => {
    test = await createTestDatabase();
    await upsertOrganisation(test.db, ambulance);
    await upsertOrganisation(test.db, practice);
  });
  afterAll(() => test.drop());
  beforeEach(() => {
    vi.mocked(verifyPassword).mockClear();
  });

  /** A fresh user with a local account, a member of `odsCode` with `roles`. */
  async function account(odsCode = 'RRU', roles: string[] = ['clinician']): Promise<{ userId: string; username: string }> {
    serial++;
    const username = `user.${serial}`;
    const user = await createUser(test.db, { displayName: `User ${serial}`, email: `person${serial}@nhs.net` });
    await addMembership(test.db, user.id, odsCode, roles);
    await createLocalAccount(test.db, { userId: user.id, username, password: PASSWORD }, START);
    return { userId: user.id, username };
  }

  async function failTimes(username: string, times: number, at: Date): Promise<LoginOutcome[]> {
    const outcomes: LoginOutcome[] = [];
    for (let i = 0; i < times; i++)
      outcomes.push(await verifyLogin(test.db, testSecrets, username, 'not the password at all', undefined, at));
    return outcomes;
  }

  describe('creating accounts and setting passwords', () => {
    it('stores a scrypt hash at the password cost, never the password', async () => {
      const { userId } = await account();
      const { rows } = await test.db.query<{ password_hash: string }>('SELECT password_hash FROM local_credential WHERE user_id = $1', [
        userId,
      ]);
      const { N, r, p } = PASSWORD_SCRYPT_PARAMETERS;
      expect(rows[0]?.password_hash.startsWith(`scrypt$${N}$${r}$${p}$`)).toBe(true);
      expect(rows[0]?.password_hash).not.toContain(PASSWORD);
      expect(await findLocalAccount(test.db, userId)).toMatchObject({
        passwordChangedAt: START,
        mustChangePassword: false,
        failedAttempts: 0,
        lockedUntil: undefined,
        totpEnabled: false,
        totpEnrolmentPending: false,
      });
    });

    it('refuses a taken username in any case, a second account, a bad username, an unknown user and a weak password', async () => {
      const { userId, username } = await account();
      const other = await createUser(test.db, { displayName: 'Other', email: 'other.person@nhs.net' });
      expect(
        (await errorOf(createLocalAccount(test.db, { userId: other.id, username: username.toUpperCase(), password: PASSWORD }))).code,
      ).toBe('conflict');
      expect((await errorOf(createLocalAccount(test.db, { userId, username: 'fresh.name', password: PASSWORD }))).code).toBe('conflict');
      expect((await errorOf(createLocalAccount(test.db, { userId: other.id, username: 'has space', password: PASSWORD }))).code).toBe(
        'bad-request',
      );
      expect(
        (
          await errorOf(
            createLocalAccount(test.db, { userId: '00000000-0000-4000-8000-000000000000', username: 'ghost', password: PASSWORD }),
          )
        ).code,
      ).toBe('not-found');
      const weak = await errorOf(createLocalAccount(test.db, { userId: other.id, username: 'other.person', password: 'other.person1' }));
      expect(weak.code).toBe('unprocessable');
      expect(weak.issues.map((issue) => issue.path)).toEqual(['/password']);
      expect(weak.issues[0]?.message).toBe('Do not include your username.');
    });

    it('sets a new password: the policy applies, the same password is refused, the old one stops working', async () => {
      const { userId, username } = await account();
      const tooShort = await errorOf(setPassword(test.db, userId, 'short'));
      expect(tooShort.code).toBe('unprocessable');
      expect((await errorOf(setPassword(test.db, userId, PASSWORD))).code).toBe('unprocessable');
      const changedAt = later(START, 5 * MINUTE);
      await setPassword(test.db, userId, 'a new phrase for the spring', changedAt);
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, changedAt)).outcome).toBe('bad-credentials');
      expect((await verifyLogin(test.db, testSecrets, username, 'a new phrase for the spring', undefined, changedAt)).outcome).toBe('ok');
      expect((await findLocalAccount(test.db, userId))?.passwordChangedAt).toEqual(changedAt);
      expect((await errorOf(setPassword(test.db, '00000000-0000-4000-8000-000000000000', 'a new phrase for the spring'))).code).toBe(
        'not-found',
      );
    });
  });

  describe('signing in', () => {
    it('signs in with the right password, the username in any case, and returns the user', async () => {
      const { userId, username } = await account();
      const outcome = await verifyLogin(test.db, testSecrets, ` ${username.toUpperCase()} `, PASSWORD, undefined, START);
      expect(outcome).toMatchObject({ outcome: 'ok', user: { id: userId, displayName: expect.stringMatching(/^User /) } });
    });

    it('counts each wrong password', async () => {
      const { userId, username } = await account();
      expect(await failTimes(username, 2, START)).toEqual([
        { outcome: 'bad-credentials', userId, lockedUntil: undefined },
        { outcome: 'bad-credentials', userId, lockedUntil: undefined },
      ]);
      expect((await findLocalAccount(test.db, userId))?.failedAttempts).toBe(2);
    });

    it('locks for a minute at the fifth failure in a row, refuses even the right password meanwhile, and counts nothing while locked', async () => {
      const { userId, username } = await account();
      const outcomes = await failTimes(username, 5, START);
      expect(outcomes.slice(0, 4).map((outcome) => outcome.outcome === 'bad-credentials' && outcome.lockedUntil)).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      const until = later(START, MINUTE);
      expect(outcomes[4]).toEqual({ outcome: 'bad-credentials', userId, lockedUntil: until });
      expect(await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, later(START, 59_999))).toEqual({
        outcome: 'locked',
        userId,
        until,
      });
      expect(await verifyLogin(test.db, testSecrets, username, 'wrong again', undefined, later(START, 30_000))).toEqual({
        outcome: 'locked',
        userId,
        until,
      });
      expect(await findLocalAccount(test.db, userId)).toMatchObject({ failedAttempts: 5, lockedUntil: until });
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, until)).outcome).toBe('ok');
      expect(await findLocalAccount(test.db, userId)).toMatchObject({ failedAttempts: 0, lockedUntil: undefined });
    });

    it('doubles the lock with each further failure, up to an hour', async () => {
      const { username } = await account();
      let at = START;
      await failTimes(username, 4, at);
      const locks: number[] = [];
      for (let failure = 5; failure <= 12; failure++) {
        const [outcome] = await failTimes(username, 1, at);
        if (outcome?.outcome !== 'bad-credentials' || !outcome.lockedUntil)
          throw new Error(`failure ${failure} did not lock: ${JSON.stringify(outcome)}`);
        locks.push((outcome.lockedUntil.getTime() - at.getTime()) / MINUTE);
        at = outcome.lockedUntil;
      }
      expect(locks).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    });

    it('resets the count on success', async () => {
      const { userId, username } = await account();
      await failTimes(username, 4, START);
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, START)).outcome).toBe('ok');
      const outcomes = await failTimes(username, 4, START);
      expect(outcomes.every((outcome) => outcome.outcome === 'bad-credentials' && outcome.lockedUntil === undefined)).toBe(true);
      expect((await findLocalAccount(test.db, userId))?.failedAttempts).toBe(4);
    });

    it('checks an unknown username against a decoy hash at the password cost, as it would a real one', async () => {
      expect(await verifyLogin(test.db, testSecrets, 'nobody.here', PASSWORD, undefined, START)).toEqual({
        outcome: 'bad-credentials',
        userId: undefined,
        lockedUntil: undefined,
      });
      const decoy = await decoyPasswordHash();
      expect(vi.mocked(verifyPassword).mock.calls).toEqual([[PASSWORD, decoy]]);
      const { N, r, p } = PASSWORD_SCRYPT_PARAMETERS;
      expect(decoy.startsWith(`scrypt$${N}$${r}$${p}$`)).toBe(true);
      expect(await verifyPassword(PASSWORD, decoy)).toBe(false);

      vi.mocked(verifyPassword).mockClear();
      expect((await verifyLogin(test.db, testSecrets, 'not a username!', PASSWORD, undefined, START)).outcome).toBe('bad-credentials');
      expect(vi.mocked(verifyPassword).mock.calls).toEqual([[PASSWORD, decoy]]);
    });

    it('does the same hash work for a known username, a locked one and a disabled one', async () => {
      const { userId, username } = await account();
      await verifyLogin(test.db, testSecrets, username, 'wrong password here', undefined, START);
      expect(vi.mocked(verifyPassword)).toHaveBeenCalledTimes(1);
      await failTimes(username, 4, START);
      vi.mocked(verifyPassword).mockClear();
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, START)).outcome).toBe('locked');
      expect(vi.mocked(verifyPassword)).toHaveBeenCalledTimes(1);
      expect(vi.mocked(verifyPassword).mock.calls[0]?.[1]).not.toBe(await decoyPasswordHash());
      await disableUser(test.db, userId);
      vi.mocked(verifyPassword).mockClear();
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, later(START, MINUTE))).outcome).toBe('disabled');
      expect(vi.mocked(verifyPassword)).toHaveBeenCalledTimes(1);
    });

    it('says "disabled" only to someone who knows the password', async () => {
      const { userId, username } = await account();
      await disableUser(test.db, userId);
      expect(await verifyLogin(test.db, testSecrets, username, 'wrong password here', undefined, START)).toEqual({
        outcome: 'bad-credentials',
        userId,
        lockedUntil: undefined,
      });
      expect(await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, START)).toEqual({ outcome: 'disabled', userId });
    });
  });

  describe('TOTP', () => {
    it('enrols with a secret and an otpauth URI naming the account, and needs a confirming code before it applies', async () => {
      const { userId, username } = await account();
      const enrolment = await enrolTotp(test.db, testSecrets, userId);
      expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(enrolment.uri).toBe(
        `otpauth://totp/Urgent%20Care%20Plan:${username}?secret=${enrolment.secret}&issuer=Urgent%20Care%20Plan&algorithm=SHA1&digits=6&period=30`,
      );
      expect(await findLocalAccount(test.db, userId)).toMatchObject({ totpEnabled: false, totpEnrolmentPending: true });
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, START)).outcome).toBe('ok');

      const secret = base32Decode(enrolment.secret);
      const wrong = totp(secret, later(START, 10 * MINUTE));
      expect(await confirmTotp(test.db, testSecrets, userId, wrong, START)).toBe(false);
      expect(await confirmTotp(test.db, testSecrets, userId, totp(secret, START), START)).toBe(true);
      expect(await findLocalAccount(test.db, userId)).toMatchObject({ totpEnabled: true, totpEnrolmentPending: false });
      expect((await errorOf(confirmTotp(test.db, testSecrets, userId, totp(secret, START), START))).code).toBe('conflict');
      expect((await errorOf(enrolTotp(test.db, testSecrets, '00000000-0000-4000-8000-000000000000'))).code).toBe('not-found');
    });

    it('requires a code once enrolled, refuses a wrong one as a failure, and refuses a replayed one', async () => {
      const { userId, username } = await account();
      const secret = base32Decode((await enrolTotp(test.db, testSecrets, userId)).secret);
      await confirmTotp(test.db, testSecrets, userId, totp(secret, START), START);

      expect(await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, START)).toEqual({ outcome: 'totp-required', userId });
      expect(await verifyLogin(test.db, testSecrets, username, PASSWORD, ' ', START)).toEqual({ outcome: 'totp-required', userId });
      expect((await findLocalAccount(test.db, userId))?.failedAttempts).toBe(0);
      // A wrong password never reaches the code.
      expect((await verifyLogin(test.db, testSecrets, username, 'wrong password here', totp(secret, START), START)).outcome).toBe(
        'bad-credentials',
      );

      const next = later(START, 30_000);
      const farAway = totp(secret, later(START, 10 * MINUTE));
      expect(await verifyLogin(test.db, testSecrets, username, PASSWORD, farAway, next)).toEqual({
        outcome: 'totp-invalid',
        userId,
        replayed: false,
        lockedUntil: undefined,
      });
      expect((await findLocalAccount(test.db, userId))?.failedAttempts).toBe(2);

      // The code that confirmed enrolment is used up, even inside the window.
      expect(await verifyLogin(test.db, testSecrets, username, PASSWORD, totp(secret, START), next)).toMatchObject({
        outcome: 'totp-invalid',
        replayed: true,
      });
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, totp(secret, next), next)).outcome).toBe('ok');
      expect((await findLocalAccount(test.db, userId))?.failedAttempts).toBe(0);
      expect(await verifyLogin(test.db, testSecrets, username, PASSWORD, totp(secret, next), next)).toMatchObject({
        outcome: 'totp-invalid',
        replayed: true,
      });
      // One step of drift either way is accepted.
      const drifted = later(next, 60_000);
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, totp(secret, later(drifted, 30_000)), drifted)).outcome).toBe(
        'ok',
      );
    });

    it('locks after repeated wrong codes like wrong passwords', async () => {
      const { userId, username } = await account();
      const secret = base32Decode((await enrolTotp(test.db, testSecrets, userId)).secret);
      await confirmTotp(test.db, testSecrets, userId, totp(secret, START), START);
      const wrong = totp(secret, later(START, 10 * MINUTE));
      let last: LoginOutcome | undefined;
      for (let i = 0; i < 5; i++) last = await verifyLogin(test.db, testSecrets, username, PASSWORD, wrong, START);
      expect(last).toEqual({ outcome: 'totp-invalid', userId, replayed: false, lockedUntil: later(START, MINUTE) });
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, totp(secret, START), START)).outcome).toBe('locked');
    });

    it('keeps the active secret while a new enrolment is pending, and removes both', async () => {
      const { userId, username } = await account();
      const first = base32Decode((await enrolTotp(test.db, testSecrets, userId)).secret);
      await confirmTotp(test.db, testSecrets, userId, totp(first, START), START);
      await enrolTotp(test.db, testSecrets, userId, { issuer: 'UCP Demo' });
      const next = later(START, 30_000);
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, totp(first, next), next)).outcome).toBe('ok');
      expect(await removeTotp(test.db, userId)).toBe(true);
      expect(await findLocalAccount(test.db, userId)).toMatchObject({ totpEnabled: false, totpEnrolmentPending: false });
      expect((await verifyLogin(test.db, testSecrets, username, PASSWORD, undefined, next)).outcome).toBe('ok');
      expect(await removeTotp(test.db, userId)).toBe(false);
    });
  });

  describe('reset by an org-admin', () => {
    const TEMPORARY = 'temporary phrase 4 today';

    it('is allowed for a member of the same organisation: must change at next sign-in, lock-out cleared, second factor kept', async () => {
      const admin = await account('RRU', ['org-admin']);
      const target = await account('RRU', ['clinician']);
      const secret = base32Decode((await enrolTotp(test.db, testSecrets, target.userId)).secret);
      await confirmTotp(test.db, testSecrets, target.userId, totp(secret, START), START);
      await failTimes(target.username, 5, START);
      expect((await findLocalAccount(test.db, target.userId))?.lockedUntil).toEqual(later(START, MINUTE));

      const caller = await callerForUser(test.db, { id: admin.userId }, 'RRU');
      const resetAt = later(START, 10_000);
      await resetPasswordByOrgAdmin(test.db, caller, target.userId, TEMPORARY, resetAt);
      expect(await findLocalAccount(test.db, target.userId)).toMatchObject({
        mustChangePassword: true,
        failedAttempts: 0,
        lockedUntil: undefined,
        passwordChangedAt: resetAt,
        totpEnabled: true,
      });
      const next = later(START, 30_000);
      expect((await verifyLogin(test.db, testSecrets, target.username, TEMPORARY, undefined, next)).outcome).toBe('totp-required');
      expect(await verifyLogin(test.db, testSecrets, target.username, TEMPORARY, totp(secret, next), next)).toMatchObject({
        outcome: 'password-change-required',
        user: { id: target.userId },
      });
      await setPassword(test.db, target.userId, 'my own new passphrase', next);
      const after = later(next, 30_000);
      expect((await verifyLogin(test.db, testSecrets, target.username, 'my own new passphrase', totp(secret, after), after)).outcome).toBe(
        'ok',
      );
    });

    it('is forbidden across organisations, without org:manage-users, and for a platform admin target', async () => {
      const admin = await account('RRU', ['org-admin']);
      const elsewhere = await account('F84001', ['clinician']);
      const colleague = await account('RRU', ['viewer']);
      const platformAdmin = await account('RRU', ['platform-admin']);
      const asAdmin = await callerForUser(test.db, { id: admin.userId }, 'RRU');
      const asColleague = await callerForUser(test.db, { id: colleague.userId }, 'RRU');

      const across = await errorOf(resetPasswordByOrgAdmin(test.db, asAdmin, elsewhere.userId, TEMPORARY));
      expect(across.code).toBe('forbidden');
      expect(across.detail).toContain('is not a member of London Ambulance Service (RRU)');
      expect((await errorOf(resetPasswordByOrgAdmin(test.db, asColleague, admin.userId, TEMPORARY))).code).toBe('forbidden');
      expect((await errorOf(resetPasswordByOrgAdmin(test.db, asAdmin, platformAdmin.userId, TEMPORARY))).code).toBe('forbidden');
      expect((await errorOf(resetPasswordByOrgAdmin(test.db, asAdmin, 'nope', TEMPORARY))).code).toBe('forbidden');
      expect((await verifyLogin(test.db, testSecrets, elsewhere.username, PASSWORD, undefined, START)).outcome).toBe('ok');
      expect((await findLocalAccount(test.db, elsewhere.userId))?.mustChangePassword).toBe(false);
    });

    it('is refused to a platform admin outside their own organisation: they never sign in as someone else', async () => {
      const platformAdmin = await account('RRU', ['platform-admin']);
      const elsewhere = await account('F84001', ['clinician']);
      const caller = await callerForUser(test.db, { id: platformAdmin.userId }, 'RRU');
      const refused = await errorOf(resetPasswordByOrgAdmin(test.db, caller, elsewhere.userId, TEMPORARY));
      expect(refused).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('is not a member of') });
      expect((await verifyLogin(test.db, testSecrets, elsewhere.username, PASSWORD, undefined, START)).outcome).toBe('ok');
      expect((await errorOf(resetPasswordByOrgAdmin(test.db, caller, platformAdmin.userId, TEMPORARY))).code).toBe('forbidden');
    });

    it('is allowed to a platform admin within their own organisation, and applies the password policy', async () => {
      const platformAdmin = await account('RRU', ['platform-admin']);
      const colleague = await account('RRU', ['clinician']);
      const caller = await callerForUser(test.db, { id: platformAdmin.userId }, 'RRU');
      const weak = await errorOf(resetPasswordByOrgAdmin(test.db, caller, colleague.userId, 'Password2025!'));
      expect(weak).toMatchObject({ code: 'unprocessable' });
      await resetPasswordByOrgAdmin(test.db, caller, colleague.userId, TEMPORARY);
      expect((await verifyLogin(test.db, testSecrets, colleague.username, TEMPORARY)).outcome).toBe('password-change-required');
      expect((await errorOf(resetPasswordByOrgAdmin(test.db, caller, '00000000-0000-4000-8000-000000000000', TEMPORARY))).code).toBe(
        'forbidden',
      );
    });
  });
});
