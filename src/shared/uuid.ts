const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are checked before they reach a `uuid` column, where a malformed one is a database error, not "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
