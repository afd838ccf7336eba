import { Type } from 'typebox';
import { CSRF_HEADER } from './csrf-check.js';

/** TypeBox schemas of the session endpoints (session-routes.ts): validation, serialisation and OpenAPI from one place. */

const DateTime = (description: string) => Type.String({ format: 'date-time', description });

export const CurrentSessionSchema = Type.Object(
  {
    sessionId: Type.String({ description: 'Identifies the session in the list of sessions and in the audit trail' }),
    user: Type.Object({ id: Type.String(), displayName: Type.String() }),
    organisation: Type.Object({ odsCode: Type.String(), name: Type.String() }, { description: 'The organisation acted for' }),
    roles: Type.Array(Type.String(), { description: 'The roles in that organisation' }),
    purposeOfUse: Type.String(),
    launchContextNhsNumber: Type.Optional(Type.String({ description: 'The person in context, when launched from a record system' })),
    ownNhsNumber: Type.Optional(Type.String({ description: 'A patient’s own NHS number: the plan they may read' })),
    csrfToken: Type.String({ description: `Send it in the ${CSRF_HEADER} header of every POST, PUT, PATCH and DELETE` }),
    csrfHeader: Type.Literal(CSRF_HEADER),
    idleExpiresAt: DateTime('When the session ends unless another request comes first'),
    absoluteExpiresAt: DateTime('When the session ends however active it is'),
  },
  { title: 'Current session' },
);

export const SessionListSchema = Type.Object({
  sessions: Type.Array(
    Type.Object({
      id: Type.String(),
      current: Type.Boolean({ description: 'True for the session this request is signed in with' }),
      odsCode: Type.String(),
      createdAt: DateTime('Sign-in'),
      lastSeenAt: DateTime('Last activity (to the minute)'),
      idleExpiresAt: DateTime('Ends unless active before'),
      absoluteExpiresAt: DateTime('Ends at the latest'),
      clientAddress: Type.Optional(Type.String()),
      userAgent: Type.Optional(Type.String()),
    }),
  ),
});
