/**
 * What of an event's payload a stream passes on: identifiers only. Clients that learn of a change
 * fetch what changed through a read that is authorised and audited on its own; a stream must not
 * become a side door to clinical content (a CPR decision, a pathway that names a condition, a
 * place of death) however its writer filled the payload.
 */
export const STREAMED_PAYLOAD_FIELDS = [
  'ehrId',
  'nhsNumber',
  'planVersion',
  'revision',
  'contributionId',
  'timeCommitted',
  'versions',
  'modules',
] as const;

export function streamPayload(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return {};
  const source = payload as Record<string, unknown>;
  return Object.fromEntries(STREAMED_PAYLOAD_FIELDS.filter((field) => source[field] !== undefined).map((field) => [field, source[field]]));
}
