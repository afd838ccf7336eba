/** RFC 6749 §5.2 error codes of the token endpoint. */
export const OAUTH2_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
] as const;
export type OAuth2ErrorCode = (typeof OAUTH2_ERROR_CODES)[number];

/**
 * A refusal by the token endpoint, answered in the OAuth 2.0 format OAuth client libraries
 * read (`error`, `error_description`) rather than as problem+json.
 */
export class OAuth2Error extends Error {
  constructor(
    readonly error: OAuth2ErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuth2Error';
  }

  /** RFC 6749 §5.2: 401 when client authentication failed, 400 for everything else. */
  get status(): 400 | 401 {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}
