import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../access/roles.js';
import { newBrowserBinding, OIDC_ROUTE_PREFIX, type SmartLaunchRequest } from './oidc-login.js';
import { describeError, OidcLoginError, type OidcLoginErrorCode } from './oidc-login-error.js';
import type { OidcSignInService } from './oidc-sign-in-service.js';
import { ProviderListSchema } from './oidc-schemas.js';
import { safeReturnTo } from './safe-return-to.js';

/** What the session starter learns about a single sign-on, beyond the user and organisation. */
export interface SignInContext {
  method: 'oidc';
  /** The provider id from configuration. */
  provider: string;
  /** The user's roles in the organisation after this sign-in. */
  roles: readonly Role[];
  /** True when this sign-in created the user. */
  createdUser: boolean;
  clientAddress: string | undefined;
  userAgent: string | undefined;
  /** After an EHR launch from a record system: the person it has in context. */
  launchContextNhsNumber: string | undefined;
}

/**
 * Starts the web session once the person is known: creates it and sets its cookie on `reply`.
 * If it sends a response itself the routes leave it; otherwise they redirect to where the
 * sign-in was asked to return (default `/`).
 */
export type SignedInHandler = (reply: FastifyReply, userId: string, odsCode: string, context: SignInContext) => Promise<void>;

export interface OidcRoutesOptions {
  /** The providers, the login, the linked user and the audit. */
  signIns: OidcSignInService;
  onSignedIn: SignedInHandler;
  /** Where a refused sign-in is sent, with `?error=<code>&requestId=…`. Default `/sign-in`. */
  signInPath?: string;
}

/** Holds the browser binding between login and callback; scoped to the OIDC routes only. */
export const LOGIN_COOKIE = 'ucp_oidc_login';
const BINDING = /^[A-Za-z0-9_-]{43}$/;

const ProviderParams = Type.Object({ provider: Type.String({ description: 'The identity provider id from configuration' }) });

/**
 * Single sign-on with OpenID Connect (authorisation code flow with PKCE) for the web app.
 * These are browser navigations, so a refused sign-in is a redirect to the sign-in page with an
 * error code (see oidc-login-error.ts), not a problem+json body a person would see raw; the
 * detail is logged with the request id, which travels along.
 */
export const oidcRoutes: FastifyPluginAsyncTypebox<OidcRoutesOptions> = async (app, options) => {
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  const { signIns } = options;
  const signInPath = options.signInPath ?? '/sign-in';
  const secureCookie = signIns.publicUrl.startsWith('https:');

  app.get(
    `${OIDC_ROUTE_PREFIX}/providers`,
    {
      schema: {
        tags: ['authentication'],
        summary: 'Identity providers a person can sign in with',
        response: { 200: ProviderListSchema },
      },
    },
    async () => ({
      providers: signIns.providers().map((provider) => ({
        id: provider.id,
        displayName: provider.displayName,
        loginUrl: `${OIDC_ROUTE_PREFIX}/${provider.id}/login`,
      })),
    }),
  );

  app.get(
    `${OIDC_ROUTE_PREFIX}/:provider/login`,
    {
      schema: {
        tags: ['authentication'],
        summary: 'Sign in with an identity provider (browser redirect)',
        description:
          'Redirects (303) to the identity provider with an OpenID Connect authorisation request (code flow, PKCE S256, ' +
          'state, nonce). A refusal redirects to the sign-in page with ?error=<code>.',
        params: ProviderParams,
        querystring: Type.Object({
          returnTo: Type.Optional(Type.String({ description: 'A path on this server to land on after signing in; default /' })),
        }),
      },
    },
    async (request, reply) => {
      try {
        return await redirectToProvider(request, reply, request.params.provider, safeReturnTo(request.query.returnTo));
      } catch (error) {
        return refuse(request, reply, error, request.params.provider);
      }
    },
  );

  app.get(
    `${OIDC_ROUTE_PREFIX}/launch`,
    {
      schema: {
        tags: ['authentication'],
        summary: 'Launch the web app from a record system (SMART App Launch 2, EHR launch)',
        description:
          'Register this URL as the launch URL at the record system. `iss` must be the FHIR server of a configured identity provider ' +
          '(`smartLaunch.fhirBaseUrl`); the browser is redirected (303) to its authorization server with `launch` and `aud`, and after ' +
          'the callback lands on the page of the patient the record system has in context. A refusal redirects to the sign-in page.',
        querystring: Type.Object({
          iss: Type.String({ minLength: 1, maxLength: 512, description: 'The record system’s FHIR base URL' }),
          launch: Type.String({ minLength: 1, maxLength: 2048, description: 'The record system’s opaque launch context' }),
        }),
      },
    },
    async (request, reply) => {
      const launch: SmartLaunchRequest = { fhirBaseUrl: request.query.iss, launch: request.query.launch };
      try {
        const provider = signIns.providerLaunchingFrom(launch.fhirBaseUrl);
        return await redirectToProvider(request, reply, provider.id, '/', launch);
      } catch (error) {
        return refuse(request, reply, error, 'smart-launch');
      }
    },
  );

  async function redirectToProvider(
    request: FastifyRequest,
    reply: FastifyReply,
    providerId: string,
    returnTo: string,
    launch?: SmartLaunchRequest,
  ): Promise<FastifyReply> {
    const existing = request.cookies[LOGIN_COOKIE];
    // One binding per browser, reused, so that sign-ins started in two tabs both complete.
    const browserBinding = existing !== undefined && BINDING.test(existing) ? existing : newBrowserBinding();
    const url = await signIns.begin(providerId, { browserBinding, returnTo, ...(launch ? { launch } : {}) });
    reply.setCookie(LOGIN_COOKIE, browserBinding, {
      path: `${OIDC_ROUTE_PREFIX}/`,
      httpOnly: true,
      secure: secureCookie,
      // Lax: the callback is a top-level GET navigation from the identity provider's site.
      sameSite: 'lax',
      maxAge: signIns.loginTimeoutSeconds,
    });
    return reply.header('cache-control', 'no-store').redirect(url.href, 303);
  }

  app.get(
    `${OIDC_ROUTE_PREFIX}/:provider/callback`,
    {
      schema: {
        tags: ['authentication'],
        summary: 'Where the identity provider returns the browser (redirect URI)',
        description:
          'Register this URL at the identity provider. On success the session starts and the browser is redirected (303) ' +
          'to the page the sign-in was started for; on refusal to the sign-in page with ?error=<code>.',
        params: ProviderParams,
      },
    },
    async (request, reply) => {
      try {
        const parameters = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
        const done = await signIns.complete(request.params.provider, parameters, request.cookies[LOGIN_COOKIE]);
        const { user, odsCode, roles, created } = done.linked;
        request.log.info(
          {
            provider: done.provider.id,
            userId: user.id,
            odsCode,
            roles,
            createdUser: created,
            ignoredRoleValues: done.identity.ignoredRoleValues,
          },
          'signed in with OpenID Connect',
        );
        // Recorded before the session starts, failing closed: no sign-in without its audit record.
        const nhsNumber = done.launchContextNhsNumber;
        await signIns.recordSignIn(done, request.ip);
        reply.clearCookie(LOGIN_COOKIE, { path: `${OIDC_ROUTE_PREFIX}/` });
        reply.header('cache-control', 'no-store');
        await options.onSignedIn(reply, user.id, odsCode, {
          method: 'oidc',
          provider: done.provider.id,
          roles,
          createdUser: created,
          clientAddress: request.ip,
          userAgent: request.headers['user-agent'],
          launchContextNhsNumber: nhsNumber,
        });
        if (reply.sent) return reply;
        return reply.redirect(nhsNumber === undefined ? done.returnTo : `/people/${nhsNumber}`, 303);
      } catch (error) {
        await auditRefusal(request, error, request.params.provider);
        return refuse(request, reply, error, request.params.provider);
      }
    },
  );

  /** A refused callback is a failed sign-in; one the audit log cannot take is still refused. */
  async function auditRefusal(request: FastifyRequest, error: unknown, provider: string): Promise<void> {
    const code: OidcLoginErrorCode = error instanceof OidcLoginError ? error.code : 'internal';
    const event = {
      action: 'sign-in-failed',
      outcome: code === 'internal' || code === 'identity-provider-unavailable' ? 'failure' : 'denied',
      claimedId: error instanceof OidcLoginError ? error.claimedId : undefined,
      clientAddress: request.ip,
      // The provider comes from the URL: bounded, as anyone can put anything there.
      detail: { method: 'oidc', provider: provider.slice(0, 64), reason: code },
    } as const;
    try {
      await signIns.recordRefusal(event);
    } catch (auditError) {
      request.log.error({ err: auditError }, 'could not audit a refused single sign-on');
    }
  }

  function refuse(request: FastifyRequest, reply: FastifyReply, error: unknown, provider: string): FastifyReply {
    const code: OidcLoginErrorCode = error instanceof OidcLoginError ? error.code : 'internal';
    if (code === 'internal') request.log.error({ err: error, provider }, 'single sign-on failed');
    else request.log.warn({ code, provider, detail: describeError(error) }, 'single sign-on refused');
    const location = `${signInPath}?${new URLSearchParams({ error: code, requestId: request.id }).toString()}`;
    return reply.header('cache-control', 'no-store').redirect(location, 303);
  }
};
