import { generateClientSecret, hashClientSecret, verifyClientSecret, type ScryptParameters } from '../auth/tokens/client-secrets.js';

/**
 * Passwords use the machine clients' self-describing scrypt format (`scrypt$N$r$p$salt$hash`),
 * with a higher cost: a person's password has far less entropy than a generated 256-bit client
 * secret. N = 2^15, r = 8, p = 3 is OWASP's equivalent of N = 2^17, p = 1 at a quarter of the
 * memory (32 MiB): about 180 ms on one core here, and many sign-ins at once do not exhaust memory.
 */
export const PASSWORD_SCRYPT_PARAMETERS: ScryptParameters = { N: 2 ** 15, r: 8, p: 3 };

export function hashPassword(password: string): Promise<string> {
  return hashClientSecret(password, PASSWORD_SCRYPT_PARAMETERS);
}

/** Uses the parameters stored in the hash, so passwords hashed at an older cost still verify. */
export function verifyPassword(password: string, encoded: string): Promise<boolean> {
  return verifyClientSecret(password, encoded);
}

let decoy: Promise<string> | undefined;

/**
 * A hash no password matches, at the password cost (the client module's decoy has the client
 * cost, which would make unknown usernames answer faster). Computed once.
 */
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword(generateClientSecret());
  return decoy;
}
