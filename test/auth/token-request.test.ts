import { describe, expect, it } from 'vitest';
import { OAuth2Error } from '../../src/auth/tokens/oauth2-error.js';
import { clientCredentialsOf, parseTokenRequestForm } from '../../src/auth/tokens/token-request.js';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

function oauthError(work: () => unknown): { error: string; status: number } {
  try {
    work();
  } catch (error) {
    if (error instanceof OAuth2Error) return { error: error.error, status: error.status };
    throw error;
  }
  throw new Error('expected an OAuth2Error');
}

describe('token request form', () => {
  it('decodes parameters and treats empty ones as absent', () => {
    expect(parseTokenRequestForm('grant_type=client_credentials&scope=openehr%3Aread+aql%3Aquery&client_id=')).toEqual({
      grant_type: 'client_credentials',
      scope: 'openehr:read aql:query',
    });
  });

  it('refuses a repeated parameter', () => {
    expect(oauthError(() => parseTokenRequestForm('scope=a&scope=b'))).toEqual({ error: 'invalid_request', status: 400 });
  });

  it('keeps a parameter named __proto__ an ordinary value', () => {
    const parameters = parseTokenRequestForm('__proto__=x&grant_type=client_credentials');
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
    expect(parameters['grant_type']).toBe('client_credentials');
  });
});

describe('client credentials', () => {
  it('reads HTTP Basic, decoding each half as form data (RFC 6749 §2.3.1)', () => {
    expect(clientCredentialsOf(basic('my-client', 'p%40ss+word%3A1'), {})).toEqual({
      clientId: 'my-client',
      secret: 'p@ss word:1',
      method: 'client_secret_basic',
    });
  });

  it('reads client_id and client_secret from the body', () => {
    expect(clientCredentialsOf(undefined, { client_id: 'c', client_secret: 's' })).toEqual({
      clientId: 'c',
      secret: 's',
      method: 'client_secret_post',
    });
  });

  it('refuses two authentication methods at once', () => {
    expect(oauthError(() => clientCredentialsOf(basic('c', 's'), { client_secret: 's' }))).toEqual({
      error: 'invalid_request',
      status: 400,
    });
    expect(oauthError(() => clientCredentialsOf(basic('c', 's'), { client_id: 'other' }))).toEqual({
      error: 'invalid_request',
      status: 400,
    });
  });

  it('accepts a client_id in the body that repeats the Basic one', () => {
    expect(clientCredentialsOf(basic('c', 's'), { client_id: 'c' }).method).toBe('client_secret_basic');
  });

  it('answers invalid_client when the client did not authenticate or used another scheme', () => {
    expect(oauthError(() => clientCredentialsOf(undefined, {}))).toEqual({ error: 'invalid_client', status: 401 });
    expect(oauthError(() => clientCredentialsOf(undefined, { client_id: 'c' }))).toEqual({ error: 'invalid_client', status: 401 });
    expect(oauthError(() => clientCredentialsOf('Bearer abc', {}))).toEqual({ error: 'invalid_client', status: 401 });
    expect(oauthError(() => clientCredentialsOf(basic('', 's'), {}))).toEqual({ error: 'invalid_client', status: 401 });
  });

  it('answers invalid_request to Basic credentials that do not decode', () => {
    expect(oauthError(() => clientCredentialsOf('Basic ***', {}))).toEqual({ error: 'invalid_request', status: 400 });
    const noColon = `Basic ${Buffer.from('just-an-id').toString('base64')}`;
    expect(oauthError(() => clientCredentialsOf(noColon, {}))).toEqual({ error: 'invalid_request', status: 400 });
    expect(oauthError(() => clientCredentialsOf(basic('c', '%zz'), {}))).toEqual({ error: 'invalid_request', status: 400 });
  });
});
