import { base32Encode } from './base32.js';
import { DEFAULT_TOTP_PARAMETERS, type TotpParameters } from './totp.js';

export interface OtpauthUriInput {
  secret: Uint8Array;
  /** The service, shown in the app above the account: "Urgent Care Plan". */
  issuer: string;
  /** Which account on that service: the username. */
  accountName: string;
  parameters?: TotpParameters;
}

/**
 * The `otpauth://totp/…` URI authenticator apps read from a QR code (the "Key Uri Format" that
 * Google Authenticator defined and other apps follow): label `issuer:account`, the secret in
 * unpadded base32, and the issuer repeated as a parameter, which newer apps prefer. Values are
 * percent-encoded (RFC 3986), spaces as %20, since some apps show a "+" literally.
 */
export function otpauthUri({ secret, issuer, accountName, parameters = DEFAULT_TOTP_PARAMETERS }: OtpauthUriInput): string {
  if (issuer.includes(':') || accountName.includes(':')) {
    throw new RangeError('neither the issuer nor the account name may contain a colon: it separates them in the label');
  }
  if (issuer.trim() === '' || accountName.trim() === '') throw new RangeError('the issuer and the account name must not be empty');
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = [
    ['secret', base32Encode(secret, { padding: false })],
    ['issuer', issuer],
    ['algorithm', 'SHA1'],
    ['digits', String(parameters.digits)],
    ['period', String(parameters.stepSeconds)],
  ]
    .map(([name, value]) => `${name}=${encodeURIComponent(value ?? '')}`)
    .join('&');
  return `otpauth://totp/${label}?${query}`;
}
