import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import { checkEndpoint, isInternalAddress } from './endpoint-policy.js';

const dns: Readonly<Record<string, string[]>> = {
  'hooks.example.org': ['93.184.215.14'],
  'dual.example.org': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', '10.1.2.3'],
  'metadata.example.org': ['169.254.169.254'],
};
const resolve = async (host: string) => dns[host] ?? [];

async function refusal(endpoint: string, allowedHosts: string[] = []): Promise<string> {
  try {
    await checkEndpoint(endpoint, { allowedHosts, resolve });
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return error.detail;
    throw error;
  }
  return 'accepted';
}

describe('the rest-hook endpoint policy', () => {
  it('tells internal addresses from public ones, IPv4 written as IPv6 included', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.5',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.1.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd12::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  it('accepts https to a public address, normalised', async () => {
    await expect(checkEndpoint('https://HOOKS.example.org/notify', { allowedHosts: [], resolve })).resolves.toBe(
      'https://hooks.example.org/notify',
    );
  });

  it('refuses http, internal addresses (any of a name’s addresses), names that do not resolve, and credentials in the URL', async () => {
    expect(await refusal('http://hooks.example.org/notify')).toMatch(/not https/);
    expect(await refusal('https://127.0.0.1/notify')).toMatch(/127\.0\.0\.1, an address on this machine/);
    expect(await refusal('https://[::1]:8443/notify')).toMatch(/::1/);
    expect(await refusal('https://dual.example.org/notify')).toMatch(/10\.1\.2\.3/);
    expect(await refusal('https://metadata.example.org/latest')).toMatch(/169\.254\.169\.254/);
    expect(await refusal('https://nowhere.example.org/')).toMatch(/does not resolve/);
    expect(await refusal('https://user:secret@hooks.example.org/')).toMatch(/without user name or password/);
    expect(await refusal('ftp://hooks.example.org/')).toMatch(/not an https URL/);
    expect(await refusal('not a url')).toMatch(/not an https URL/);
  });

  it('lets an operator allow a host, over http too, and only that host', async () => {
    expect(await refusal('http://127.0.0.1:9000/hook', ['127.0.0.1'])).toBe('accepted');
    expect(await refusal('http://LOCALHOST:9000/hook', ['localhost'])).toBe('accepted');
    expect(await refusal('http://[::1]:9000/hook', ['::1'])).toBe('accepted');
    expect(await refusal('http://127.0.0.2:9000/hook', ['127.0.0.1'])).toMatch(/not https/);
    expect(await refusal('https://metadata.example.org/', ['127.0.0.1'])).toMatch(/169\.254/);
  });
});
