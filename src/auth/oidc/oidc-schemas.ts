import { Type } from 'typebox';

/** TypeBox schemas of the single sign-on routes (oidc-routes.ts) that answer JSON. */

/** The identity providers to offer on the sign-in page. */
export const ProviderListSchema = Type.Object({
  providers: Type.Array(
    Type.Object({
      id: Type.String(),
      displayName: Type.String(),
      loginUrl: Type.String({ description: 'Send the browser here to sign in with this provider' }),
    }),
  ),
});
