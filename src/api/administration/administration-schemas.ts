import { Type } from 'typebox';
import { literals } from '../../http/schemas.js';
import { ORGANISATION_KINDS } from '../../access/caller.js';
import { ROLES } from '../../access/roles.js';
import { CLIENT_ROLES } from '../../auth/tokens/client-roles.js';
import { SCOPES } from '../../auth/tokens/scopes.js';

export const ODS_CODE_PATTERN = '^[A-Z0-9]{3,10}$';

export const OrganisationSchema = Type.Object(
  {
    odsCode: Type.String({ pattern: ODS_CODE_PATTERN }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: literals(ORGANISATION_KINDS),
    // Any integrated care system: the register is the list, so any region of England can take part.
    ics: Type.String({ minLength: 1, maxLength: 100 }),
    dataSecurityStatus: literals(['standards-met', 'approaching-standards', 'standards-not-met'] as const),
  },
  { additionalProperties: false },
);

export const RoleGrantSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  odsCode: Type.String(),
  role: Type.String(),
  requestedBy: Type.Optional(Type.String()),
  requestedAt: Type.Optional(Type.String()),
});

export const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });

export const UserSummarySchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  professionalRegistrationId: Type.Optional(Type.String()),
  status: literals(['active', 'disabled', 'locked'] as const),
  disabledAt: Type.Optional(Type.String({ format: 'date-time' })),
  lockedUntil: Type.Optional(Type.String({ format: 'date-time' })),
  localAccount: Type.Optional(
    Type.Object({
      username: Type.String(),
      mustChangePassword: Type.Boolean(),
      secondFactor: literals(['enrolled', 'pending', 'none'] as const),
    }),
  ),
  memberships: Type.Array(Type.Object({ odsCode: Type.String(), organisationName: Type.String(), roles: Type.Array(literals(ROLES)) })),
  pendingRoles: Type.Array(Type.Object({ id: Type.String(), odsCode: Type.String(), role: literals(ROLES) })),
});

/** Users (user-routes.ts, user-role-routes.ts): a new user, the list, the created user, roles given. */
export const NewUserSchema = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 3, maxLength: 254 }),
    professionalRegistrationId: Type.Optional(Type.String({ maxLength: 50 })),
    roles: Type.Array(literals(ROLES.filter((role) => role !== 'platform-admin')), { minItems: 1 }),
    username: Type.String({ minLength: 3, maxLength: 254 }),
    temporaryPassword: Type.String({ minLength: 1, maxLength: 1024, description: 'to be changed at first sign-in' }),
  },
  { additionalProperties: false },
);

export const UserListSchema = Type.Object({ users: Type.Array(UserSummarySchema), total: Type.Integer() });

export const CreatedUserSchema = Type.Object({
  id: Type.String(),
  odsCode: Type.String(),
  roles: Type.Array(Type.String({ description: 'held now' })),
  pendingRoles: Type.Array(RoleGrantSchema, { description: 'privileged roles waiting for a second administrator' }),
});

export const RolesOutcomeSchema = Type.Object({ roles: Type.Array(Type.String()), pendingRoles: Type.Array(RoleGrantSchema) });

/** Machine clients (client-routes.ts). */
export const CLIENT_ID_PATTERN = '^[A-Za-z0-9._~-]{1,128}$';
/** `platform-admin` is the installation's to give, to clients as to people. */
const GRANTABLE_ROLES = CLIENT_ROLES.filter((role) => role !== 'platform-admin');

export const ClientSchema = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  organisation: Type.Optional(Type.String({ description: 'ODS code of the organisation it acts for; none for platform-wide clients' })),
  roles: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  createdAt: Type.String({ format: 'date-time' }),
  disabledAt: Type.Optional(Type.String({ format: 'date-time' })),
  bootstrap: Type.Boolean({ description: 'defined by UCP_BOOTSTRAP_CLIENT_ID: its secret and status are changed there' }),
});

export const WithSecretSchema = Type.Object({
  client: ClientSchema,
  secret: Type.String({ description: 'shown this once: only its hash is stored' }),
});

export const NewClientSchema = Type.Object(
  {
    clientId: Type.Optional(Type.String({ pattern: CLIENT_ID_PATTERN, description: 'generated when left out' })),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'who or what uses it' }),
    organisation: Type.String({ pattern: ODS_CODE_PATTERN, description: 'ODS code of the organisation it acts for' }),
    roles: Type.Array(literals(GRANTABLE_ROLES), { minItems: 1, uniqueItems: true }),
    scopes: Type.Array(literals(SCOPES), { minItems: 1, uniqueItems: true, description: 'the most its tokens may carry' }),
  },
  { additionalProperties: false },
);

/** The identity providers configured, as an administrator sees them (identity-provider-routes.ts). */
export const IdentityProviderSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  clientAuthentication: literals(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const),
  scopes: Type.Array(Type.String()),
  loginPath: Type.String({ description: 'where the web app sends people to sign in with it' }),
  createUsers: Type.Boolean(),
  linkByVerifiedEmail: Type.Boolean(),
  userInfo: Type.Boolean(),
  allowInsecureHttp: Type.Boolean({ description: 'development only' }),
  organisationFrom: Type.String({ description: 'where the organisation comes from: a claim, fixed, or NHS RBAC' }),
  rolesFrom: Type.String({ description: 'where the roles come from: a claim, a table, NHS RBAC, or this platform' }),
  roleTable: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'external value to roles' })),
});
