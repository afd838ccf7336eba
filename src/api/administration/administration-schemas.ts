import { Type } from 'typebox';
import { ORGANISATION_KINDS } from '../../access/caller.js';
import { ROLES } from '../../access/roles.js';

export const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

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
