import { Type } from 'typebox';

/** TypeBox schemas of the local sign-in (local-sign-in-routes.ts). */

export const SignInBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    totp: Type.Optional(Type.String({ maxLength: 16, description: 'one-time code, when the account has a second factor' })),
    organisation: Type.Optional(Type.String({ description: 'ODS code to act for, when the user belongs to several' })),
    newPassword: Type.Optional(Type.String({ maxLength: 1024, description: 'required when the password must be changed' })),
  },
  { additionalProperties: false },
);

export const SignedIn = Type.Object({
  displayName: Type.String(),
  organisation: Type.Object({ odsCode: Type.String(), name: Type.String() }),
  roles: Type.Array(Type.String()),
  csrfToken: Type.String({ description: 'send as x-csrf-token on every state-changing request' }),
  expiresAt: Type.String(),
});
