import { COMMON_PASSWORDS } from './common-passwords.js';

/**
 * What a new password must satisfy, after NCSC's password guidance and NIST SP 800-63B §5.1.1.2:
 * length matters and composition rules do not (no "one upper case, one digit, one symbol"), every
 * printable character and space is allowed, and passwords an attacker would try first are
 * refused. Pure: the same input always gives the same answer.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Identifiers shorter than this are not looked for inside a password: refusing every password
 * that contains "jo" would refuse good passwords without making any guess harder.
 */
const MIN_CONTAINED_IDENTIFIER = 3;

export type PasswordProblemCode =
  'too-short' | 'too-long' | 'control-character' | 'contains-username' | 'contains-email-name' | 'common' | 'repetitive-or-sequential';

export interface PasswordProblem {
  code: PasswordProblemCode;
  /** A sentence for the person choosing the password. */
  message: string;
}

export interface PasswordContext {
  username?: string | undefined;
  email?: string | undefined;
}

/** Every reason `password` is refused; empty when it is acceptable. */
export function checkPassword(password: string, context: PasswordContext = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const normalised = password.normalize('NFC');
  // NIST counts each Unicode code point as one character, so "é" is one however it was typed.
  const length = [...normalised].length;
  if (length < MIN_PASSWORD_LENGTH) {
    problems.push({ code: 'too-short', message: `Use at least ${MIN_PASSWORD_LENGTH} characters (this has ${length}).` });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    problems.push({ code: 'too-long', message: `Use at most ${MAX_PASSWORD_LENGTH} characters (this has ${length}).` });
  }
  if (/\p{Cc}/u.test(normalised)) {
    problems.push({
      code: 'control-character',
      message: 'Use printable characters only (no tabs, line breaks or other control characters).',
    });
  }
  const lower = normalised.toLowerCase();
  const username = context.username?.normalize('NFC').trim().toLowerCase() ?? '';
  if (username.length >= MIN_CONTAINED_IDENTIFIER && lower.includes(username)) {
    problems.push({ code: 'contains-username', message: 'Do not include your username.' });
  }
  const emailName = (context.email?.normalize('NFC').trim().toLowerCase() ?? '').split('@')[0] ?? '';
  if (emailName.length >= MIN_CONTAINED_IDENTIFIER && emailName !== username && lower.includes(emailName)) {
    problems.push({ code: 'contains-email-name', message: 'Do not include the name part of your email address.' });
  }
  if (isCommon(lower)) {
    problems.push({ code: 'common', message: 'This password is one of the first that attackers try; choose another.' });
  } else if (isRepetitiveOrSequential(normalised)) {
    problems.push({
      code: 'repetitive-or-sequential',
      message: 'Avoid repeated or sequential characters such as "aaaa…", "abcabc…" or "12345…".',
    });
  }
  return problems;
}

function isCommon(lower: string): boolean {
  const squashed = lower.replace(/\s+/g, '');
  const core = squashed.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return COMMON_PASSWORDS.has(squashed) || COMMON_PASSWORDS.has(core);
}

/** One short unit repeated ("aaaa…", "abcabc…"), or a run that climbs or falls by one ("abcd…", "9876…"). */
function isRepetitiveOrSequential(password: string): boolean {
  const characters = [...password.toLowerCase()];
  if (characters.length < 2) return false;
  for (let unit = 1; unit <= 4 && unit < characters.length; unit++) {
    if (characters.every((character, index) => character === characters[index % unit])) return true;
  }
  const codes = characters.map((character) => character.codePointAt(0) ?? 0);
  const stepsBy = (delta: number) =>
    codes.slice(1).every((code, index) => {
      const previous = codes[index] ?? 0;
      // Digits wrap round, as on a keyboard's top row: "…7890", "…2109".
      const wrapped = previous === 0x39 && delta === 1 ? 0x30 : previous === 0x30 && delta === -1 ? 0x39 : previous + delta;
      return code === previous + delta || code === wrapped;
    });
  return stepsBy(1) || stepsBy(-1);
}
