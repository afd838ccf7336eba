import type { Role } from '../../access/roles.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { findOrganisation } from '../../organisations/organisation-store.js';
import { addMembership, createUser, findUser, findUserByEmail, membershipsOf, type User } from '../../users/user-store.js';
import type { MappedIdentity } from './claim-mapping.js';
import { OidcLoginError } from './oidc-login-error.js';
import type { OidcProviderConfig } from './provider-config.js';

export interface LinkedUser {
  user: User;
  /** True when this sign-in created the user. */
  created: boolean;
  odsCode: string;
  /** The user's roles in that organisation after this sign-in. */
  roles: readonly Role[];
}

export type LinkingPolicy = Pick<OidcProviderConfig, 'id' | 'createUsers' | 'linkByVerifiedEmail'>;

/** Two first sign-ins of one person raced; the loser starts again and finds the winner's link. */
class LinkRaced extends Error {}

/**
 * Finds the user an external identity belongs to (table `external_identity`), creating and
 * linking one at a first sign-in when the provider allows it, then brings their membership of
 * the asserted organisation in line with the asserted roles. One transaction: a sign-in refused
 * half-way (unknown organisation, unmapped role) leaves no user or link behind.
 */
export async function linkExternalUser(db: Database, policy: LinkingPolicy, identity: MappedIdentity): Promise<LinkedUser> {
  try {
    return await db.transaction((tx) => linkInTransaction(tx, policy, identity));
  } catch (error) {
    if (!(error instanceof LinkRaced)) throw error;
    return db.transaction((tx) => linkInTransaction(tx, policy, identity));
  }
}

async function linkInTransaction(tx: Queryable, policy: LinkingPolicy, identity: MappedIdentity): Promise<LinkedUser> {
  const organisation = await findOrganisation(tx, identity.odsCode);
  if (!organisation) {
    throw new OidcLoginError(
      'unknown-organisation',
      `the identity provider names the organisation ${identity.odsCode}, which is not known here`,
    );
  }
  const { user, created } = await findOrCreateUser(tx, policy, identity);
  if (user.disabledAt !== undefined) throw new OidcLoginError('user-disabled', `the user ${user.id} is disabled`);

  if (identity.roles === 'platform') {
    const membership = (await membershipsOf(tx, user.id)).find((candidate) => candidate.organisation.odsCode === identity.odsCode);
    if (!membership || membership.roles.length === 0) {
      throw new OidcLoginError(
        'unmapped-role',
        `the user ${user.id} has no roles at ${identity.odsCode} here, and this provider does not assert any`,
      );
    }
    return { user, created, odsCode: identity.odsCode, roles: membership.roles };
  }
  try {
    const membership = await addMembership(tx, user.id, identity.odsCode, identity.roles);
    return { user, created, odsCode: identity.odsCode, roles: membership.roles };
  } catch (error) {
    if (error instanceof AppError && error.code === 'bad-request')
      throw new OidcLoginError('unmapped-role', error.detail, { cause: error });
    throw error;
  }
}

async function findOrCreateUser(tx: Queryable, policy: LinkingPolicy, identity: MappedIdentity): Promise<{ user: User; created: boolean }> {
  const { rows } = await tx.query<{ user_id: string }>('SELECT user_id FROM external_identity WHERE provider = $1 AND subject = $2', [
    policy.id,
    identity.subject,
  ]);
  const linkedId = rows[0]?.user_id;
  if (linkedId !== undefined) {
    const user = await findUser(tx, linkedId);
    if (!user) throw new Error(`external identity ${policy.id}/${identity.subject} points at a missing user`);
    return { user, created: false };
  }

  const sameEmail = await findUserByEmail(tx, identity.email);
  if (sameEmail) {
    if (!policy.linkByVerifiedEmail || identity.emailVerified !== true) {
      throw new OidcLoginError(
        'account-conflict',
        `the email address ${identity.email} belongs to the user ${sameEmail.id}, who is not linked to ${policy.id}/${identity.subject}`,
      );
    }
    await link(tx, policy.id, identity.subject, sameEmail.id);
    return { user: sameEmail, created: false };
  }
  if (!policy.createUsers) {
    throw new OidcLoginError(
      'not-registered',
      `${policy.id}/${identity.subject} is not linked to a user and ${policy.id} does not create users`,
    );
  }
  // Checked before inserting: inside a PostgreSQL transaction a unique violation would abort it.
  if (identity.nhsNumber !== undefined) {
    const taken = await tx.query('SELECT 1 FROM app_user WHERE nhs_number = $1', [identity.nhsNumber]);
    if (taken.rows.length > 0) throw new OidcLoginError('account-conflict', 'the NHS number in the claims belongs to another user');
  }
  const user = await createUser(tx, {
    displayName: identity.displayName,
    email: identity.email,
    professionalRegistrationId: identity.professionalRegistrationId,
    nhsNumber: identity.nhsNumber,
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'bad-request')
      throw new OidcLoginError('claims-missing', error.detail, { cause: error });
    if (error instanceof AppError && error.code === 'conflict')
      throw new OidcLoginError('account-conflict', error.detail, { cause: error });
    throw error;
  });
  await link(tx, policy.id, identity.subject, user.id);
  return { user, created: true };
}

async function link(tx: Queryable, provider: string, subject: string, userId: string): Promise<void> {
  const { rowCount } = await tx.query(
    'INSERT INTO external_identity (provider, subject, user_id) VALUES ($1, $2, $3) ON CONFLICT (provider, subject) DO NOTHING',
    [provider, subject, userId],
  );
  if (rowCount === 0) throw new LinkRaced(`${provider}/${subject} was linked by a concurrent sign-in`);
}
