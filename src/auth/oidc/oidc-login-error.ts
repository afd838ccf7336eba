/**
 * Why a single sign-on was refused. The code travels to the sign-in page as `?error=<code>`, so
 * the web app can say something useful; the detail stays in the server log with the request id.
 */
export const OIDC_LOGIN_ERROR_CODES = [
  /** No identity provider is configured under that id. */
  'unknown-provider',
  /** The callback's state is missing, unknown, used already, expired, or from another browser. */
  'state-mismatch',
  /** The identity provider answered with an error, or its tokens failed validation (nonce, signature, issuer). */
  'identity-provider-error',
  /** The identity provider could not be reached (discovery or token request failed at the network). */
  'identity-provider-unavailable',
  /** A claim the mapping needs (subject, name, email, NHS number for a patient) is missing or malformed. */
  'claims-missing',
  /** The organisation the claims name is not one this platform knows. */
  'unknown-organisation',
  /** None of the person's roles at the provider maps to a role here, or the roles cannot be combined. */
  'unmapped-role',
  /** The person has never signed in here and this provider does not create users. */
  'not-registered',
  /** The email address or NHS number belongs to another user who is not linked to this identity. */
  'account-conflict',
  /** The user is disabled. */
  'user-disabled',
  /** Anything unexpected; the log has the detail. */
  'internal',
] as const;

export type OidcLoginErrorCode = (typeof OIDC_LOGIN_ERROR_CODES)[number];

export class OidcLoginError extends Error {
  /** `<provider>/<subject>` once the identity provider has said who the person is, for the audit trail. */
  readonly claimedId: string | undefined;

  constructor(
    readonly code: OidcLoginErrorCode,
    readonly detail: string,
    options: { cause?: unknown; claimedId?: string } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'OidcLoginError';
    this.claimedId = options.claimedId;
  }
}

/** An error's message with its cause's, for a log line or an error detail. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
