import { describe, expect, it } from 'vitest';
import { memoryAdapterFactory } from './memory-adapter.js';

describe('the dev IdP memory adapter', () => {
  it('stores, expires, consumes and indexes by session uid', async () => {
    let now = 1_000_000;
    const adapter = memoryAdapterFactory(() => now);
    const sessions = adapter('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'viewer' }, 60);
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'viewer' });
    const codes = adapter('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBe(1000);
    expect(await adapter('AccessToken').find('c1')).toBeUndefined();
    now += 61_000;
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('revokes every token of a grant', async () => {
    const adapter = memoryAdapterFactory();
    await adapter('AuthorizationCode').upsert('c1', { grantId: 'g1' }, 60);
    await adapter('AccessToken').upsert('a1', { grantId: 'g1' }, 3600);
    await adapter('AccessToken').upsert('a2', { grantId: 'g2' }, 3600);
    await adapter('Grant').revokeByGrantId('g1');
    expect(await adapter('AuthorizationCode').find('c1')).toBeUndefined();
    expect(await adapter('AccessToken').find('a1')).toBeUndefined();
    expect(await adapter('AccessToken').find('a2')).toBeDefined();
  });

  it('keeps each provider’s store apart', async () => {
    await memoryAdapterFactory()('Session').upsert('s1', { uid: 'u1' }, 60);
    expect(await memoryAdapterFactory()('Session').find('s1')).toBeUndefined();
  });
});
