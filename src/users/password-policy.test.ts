import { describe, expect, it } from 'vitest';
import { checkPassword, MAX_PASSWORD_LENGTH, type PasswordProblemCode } from './password-policy.js';

function codes(password: string, context: { username?: string; email?: string } = {}): PasswordProblemCode[] {
  return checkPassword(password, context).map((problem) => problem.code);
}

describe('password policy', () => {
  it('accepts long passphrases with no composition rules', () => {
    expect(codes('correct horse battery staple')).toEqual([]);
    expect(codes('all lower case words here')).toEqual([]);
    expect(codes('tea at four by the river')).toEqual([]);
    expect(codes('ünïcødé pässwörd ✓')).toEqual([]);
  });

  it('counts characters, not bytes or UTF-16 units, and measures the boundaries', () => {
    expect(codes('river-tea-4')).toEqual(['too-short']);
    expect(codes('river-tea-42')).toEqual([]);
    expect(codes('🦊🦊🦉🦉🐝🐝🦔🦔🐢🐢🐙')).toEqual(['too-short']);
    expect(codes('🦊🦊🦉🦉🐝🐝🦔🦔🐢🐢🐙🐙')).toEqual([]);
    expect(codes(`${'word '.repeat(51)}x`.slice(0, MAX_PASSWORD_LENGTH))).toEqual([]);
    expect(codes(`q${'word '.repeat(52)}`)).toEqual(['too-long']);
  });

  it('says how long the password is and how long it must be', () => {
    expect(checkPassword('short one')[0]?.message).toBe('Use at least 12 characters (this has 9).');
  });

  it('refuses control characters', () => {
    expect(codes('correct horse\tbattery')).toEqual(['control-character']);
  });

  it('refuses a password equal to or containing the username or the email name, whatever the case', () => {
    expect(codes('jsmith.ucp.01', { username: 'jsmith.ucp.01' })).toEqual(['contains-username']);
    expect(codes('my JSmith password', { username: 'jsmith' })).toEqual(['contains-username']);
    expect(codes('hello john.smith again', { email: 'John.Smith@nhs.net' })).toEqual(['contains-email-name']);
    expect(codes('jsmith and john.smith', { username: 'jsmith', email: 'john.smith@nhs.net' })).toEqual([
      'contains-username',
      'contains-email-name',
    ]);
    // Too short to be worth refusing inside a longer password.
    expect(codes('joyful river crossing', { username: 'jo', email: 'jo@nhs.net' })).toEqual([]);
  });

  it('refuses common passwords, also with case changed, spaces, and digits or symbols around them', () => {
    for (const password of ['123456789012', 'QwertyUiop', 'Password2024!', 'letmein123456', '!!welcome!!2025', 'pass word 1234 5678']) {
      expect(codes(password), password).toContain('common');
    }
    expect(codes('password is not my password')).toEqual([]);
  });

  it('refuses repeated and sequential characters', () => {
    for (const password of [
      'aaaaaaaaaaaa',
      'abcabcabcabc',
      'abababababab',
      'abcdefghijklm',
      '345678901234',
      'zyxwvutsrqpo',
      '987654321098',
    ]) {
      expect(codes(password), password).toEqual(['repetitive-or-sequential']);
    }
  });

  it('returns every reason at once', () => {
    expect(codes('letmein', { username: 'letmein' })).toEqual(['too-short', 'contains-username', 'common']);
    expect(codes('aaa', { username: 'aaa' })).toEqual(['too-short', 'contains-username', 'repetitive-or-sequential']);
  });
});
