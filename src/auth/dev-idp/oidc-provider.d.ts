/**
 * The part of `oidc-provider` v8 that the embedded development identity provider uses. The
 * package ships no type declarations and `@types/oidc-provider` is not installed; this file
 * describes only what `dev-idp-provider.ts` and `dev-idp-plugin.ts` call, as the library's
 * source (lib/provider.js, lib/models/grant.js, lib/helpers/defaults.js) defines it.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The Koa context, reduced to what an error page or account lookup needs. */
  export interface KoaContextWithOIDC {
    type: string;
    body: unknown;
    status: number;
    path: string;
    method: string;
  }

  export type UnknownObject = Record<string, unknown>;

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: UnknownObject, rejected: string[]): Promise<UnknownObject> | UnknownObject;
  }

  export interface AdapterPayload extends UnknownObject {
    uid?: string;
    grantId?: string;
    userCode?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata extends UnknownObject {
    client_id: string;
    client_secret?: string;
    redirect_uris: string[];
    response_types?: string[];
    grant_types?: string[];
    token_endpoint_auth_method?: string;
    id_token_signed_response_alg?: string;
    client_name?: string;
    jwks?: { keys: UnknownObject[] };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: UnknownObject };
    params: UnknownObject;
    session?: { accountId?: string; uid?: string };
    grantId?: string;
    returnTo: string;
  }

  export type TtlValue = number | ((...args: never[]) => number);

  export interface Configuration {
    adapter?: (model: string) => Adapter;
    clients?: ClientMetadata[];
    claims?: Record<string, string[] | null>;
    conformIdTokenClaims?: boolean;
    cookies?: {
      names?: Record<string, string>;
      long?: UnknownObject;
      short?: UnknownObject;
      keys?: string[];
    };
    features?: Record<string, UnknownObject>;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
    interactions?: { url?: (ctx: KoaContextWithOIDC, interaction: InteractionDetails) => Promise<string> | string };
    jwks?: { keys: UnknownObject[] };
    pkce?: { methods?: string[]; required?: () => boolean };
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: unknown) => Promise<void> | void;
    routes?: Record<string, string>;
    scopes?: string[];
    ttl?: Record<string, TtlValue>;
    /** Authorization request parameters beyond the standard ones (SMART's `launch`, `aud`). */
    extraParams?: string[];
    /** Claims added to access tokens, e.g. the SMART launch context. */
    extraTokenClaims?: (
      ctx: KoaContextWithOIDC,
      token: { grantId?: string; accountId?: string; kind: string },
    ) => Promise<UnknownObject | undefined> | UnknownObject | undefined;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: unknown) => boolean;
    responseTypes?: string[];
    clientAuthMethods?: string[];
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    static find(id: string): Promise<Grant | undefined>;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: typeof Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Adds Koa middleware around the provider's own (to amend a response after it is made). */
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
  }
}
