import { describe, expect, it } from 'vitest';
import { PLAIN_COOKIE_NAME, sessionSettings, TLS_COOKIE_NAME } from './session-settings.js';

describe('session settings', () => {
  it('defaults to a 15-minute idle and 12-hour absolute timeout, TLS from the URL scheme', () => {
    const settings = sessionSettings({ publicUrl: 'https://ucp.example.nhs.uk/' });
    expect(settings).toMatchObject({
      publicOrigin: 'https://ucp.example.nhs.uk',
      idleTimeoutMs: 15 * 60_000,
      absoluteTimeoutMs: 12 * 3_600_000,
      tls: true,
      cookieName: TLS_COOKIE_NAME,
    });
    expect(settings.clock()).toBeInstanceOf(Date);
    expect(sessionSettings({ publicUrl: 'http://localhost:8080' })).toMatchObject({ tls: false, cookieName: PLAIN_COOKIE_NAME });
  });

  it('takes the origin only, as browsers write it, whatever path or case the URL has', () => {
    expect(sessionSettings({ publicUrl: 'HTTPS://UCP.Example:443/app/' }).publicOrigin).toBe('https://ucp.example');
    expect(sessionSettings({ publicUrl: 'http://127.0.0.1:8080/base' }).publicOrigin).toBe('http://127.0.0.1:8080');
  });

  it('lets the installation say it is behind TLS (or not) whatever the URL says', () => {
    expect(sessionSettings({ publicUrl: 'http://ucp.internal', tls: true })).toMatchObject({ tls: true, cookieName: TLS_COOKIE_NAME });
    expect(sessionSettings({ publicUrl: 'https://ucp.example', tls: false })).toMatchObject({ tls: false, cookieName: PLAIN_COOKIE_NAME });
  });

  it('accepts chosen timeouts and the clock', () => {
    const clock = () => new Date('2030-01-01T00:00:00Z');
    const settings = sessionSettings({ publicUrl: 'https://ucp.example', idleTimeoutMinutes: 30, absoluteTimeoutHours: 8, clock });
    expect(settings).toMatchObject({ idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 8 * 3_600_000 });
    expect(settings.clock()).toEqual(new Date('2030-01-01T00:00:00Z'));
  });

  it('refuses a URL that is not http(s), and timeouts out of range', () => {
    expect(() => sessionSettings({ publicUrl: 'ftp://ucp.example' })).toThrow(/http or https URL/);
    expect(() => sessionSettings({ publicUrl: 'not a url' })).toThrow(/http or https URL/);
    const base = { publicUrl: 'https://ucp.example' };
    expect(() => sessionSettings({ ...base, idleTimeoutMinutes: 0 })).toThrow(/idle session timeout/);
    expect(() => sessionSettings({ ...base, idleTimeoutMinutes: Number.NaN })).toThrow(/idle session timeout/);
    expect(() => sessionSettings({ ...base, idleTimeoutMinutes: 90, absoluteTimeoutHours: 1 })).toThrow(/no longer than the absolute/);
    expect(() => sessionSettings({ ...base, absoluteTimeoutHours: 0 })).toThrow(/absolute session timeout/);
    expect(() => sessionSettings({ ...base, absoluteTimeoutHours: 24 * 31 })).toThrow(/absolute session timeout/);
  });
});
