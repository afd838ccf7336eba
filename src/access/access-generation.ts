/**
 * The process's count of changes to who may do what: a session revoked, a user disabled, a
 * password changed, a membership or an organisation changed, a care relationship or a consent
 * recorded. Short-lived caches of what an access decision reads (the session's caller, a
 * person's access facts) keep an entry only while this count is the one they read it under, so a
 * change made through this process takes effect on its next request. A change made by another
 * server over the same database takes effect when the entry's time runs out (each cache bounds it).
 */
let generation = 0;

/** Call after (or as) a change that can alter an access decision is written. */
export function accessChanged(): void {
  generation += 1;
}

export function accessGeneration(): number {
  return generation;
}
