import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  value: unknown;
  expiresAt: number;
}

/** Tokens that belong to a grant, so that revoking the grant revokes them. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/** Enough for many concurrent demo sign-ins; the oldest entries go first when it is reached. */
const MAX_ENTRIES = 10_000;

/**
 * Storage for the development identity provider's sessions, interactions, codes and tokens, in
 * this process's memory: lost on restart and not shared between servers, which a dev IdP can
 * live with (its signing keys are per process too). Each provider gets its own store, unlike
 * oidc-provider's built-in one, which is shared by every provider in the process.
 */
export function memoryAdapterFactory(now: () => number = Date.now): (model: string) => Adapter {
  const store = new Map<string, Entry>();

  const get = (key: string): unknown => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      store.delete(key);
      return undefined;
    }
    return entry.value;
  };
  const set = (key: string, value: unknown, expiresInSeconds: number): void => {
    store.delete(key);
    store.set(key, { value, expiresAt: now() + expiresInSeconds * 1000 });
    if (store.size > MAX_ENTRIES) {
      const oldest = store.keys().next();
      if (!oldest.done) store.delete(oldest.value);
    }
  };

  return (model) => {
    const key = (id: string): string => `${model}:${id}`;
    const payload = (value: unknown): AdapterPayload | undefined =>
      typeof value === 'object' && value !== null ? (value as AdapterPayload) : undefined;
    const find = async (id: string): Promise<AdapterPayload | undefined> => payload(get(key(id)));
    const findByIndex = async (index: string): Promise<AdapterPayload | undefined> => {
      const id = get(index);
      return typeof id === 'string' ? find(id) : undefined;
    };
    return {
      async upsert(id, value, expiresIn) {
        if (model === 'Session' && typeof value.uid === 'string') set(`sessionUid:${value.uid}`, id, expiresIn);
        if (GRANTABLE.has(model) && typeof value.grantId === 'string') {
          const grantKey = `grant:${value.grantId}`;
          const members = get(grantKey);
          // The index must outlive the longest-lived token in it.
          const remaining = Math.max(0, ((store.get(grantKey)?.expiresAt ?? 0) - now()) / 1000);
          set(grantKey, [...(Array.isArray(members) ? members : []), key(id)], Math.max(expiresIn, remaining));
        }
        if (typeof value.userCode === 'string') set(`userCode:${value.userCode}`, id, expiresIn);
        set(key(id), value, expiresIn);
      },
      find,
      findByUid: (uid) => findByIndex(`sessionUid:${uid}`),
      findByUserCode: (userCode) => findByIndex(`userCode:${userCode}`),
      async consume(id) {
        const found = payload(get(key(id)));
        if (found) found.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        const grantKey = `grant:${grantId}`;
        const members = get(grantKey);
        if (Array.isArray(members)) for (const member of members) if (typeof member === 'string') store.delete(member);
        store.delete(grantKey);
      },
    };
  };
}
