/**
 * The process's count of changes to who may do what: a session revoked, a user disabled, a
 * password changed, a membership or an organisation changed, a care relationship, a consent or
 * an EHR's subject recorded. Short-lived caches of what an access decision reads (the session's
 * caller, a person's access facts) keep an entry only while this count is the one they read it
 * under, so a change made through this process takes effect on its next request. A change made
 * by another server over the same database takes effect when the entry's time runs out.
 */
let generation = 0;

/** Call after (or as) a change that can alter an access decision is written. */
export function accessChanged(): void {
  generation += 1;
}

interface Entry<V> {
  value: V;
  readAt: number;
  generation: number;
}

/**
 * A cache of what access decisions read, each entry kept for at most `ttlMs` and only while no
 * change of access was made through this process since it was read. A value read while such a
 * change was made is not kept (it may predate the change). At most `maxEntries`, oldest out first.
 */
export class AccessCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  async read(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const startedUnder = generation;
    const hit = this.#entries.get(key);
    if (hit && hit.generation === startedUnder && performance.now() - hit.readAt < this.ttlMs) return hit.value;
    const readAt = performance.now();
    const value = await load();
    this.#entries.delete(key);
    if (value !== undefined && startedUnder === generation) {
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, { value, readAt, generation: startedUnder });
    }
    return value;
  }

  forget(key: string): void {
    this.#entries.delete(key);
  }
}

const caches = new WeakMap<object, Map<string, AccessCache<unknown>>>();

/** The cache called `name` of one database (each database its own, so tests over several never mix). */
export function accessCacheOf<V>(db: object, name: string, ttlMs: number, maxEntries: number): AccessCache<V> {
  let named = caches.get(db);
  if (!named) {
    named = new Map();
    caches.set(db, named);
  }
  let cache = named.get(name);
  if (!cache) {
    cache = new AccessCache<unknown>(ttlMs, maxEntries);
    named.set(name, cache);
  }
  return cache as AccessCache<V>;
}
