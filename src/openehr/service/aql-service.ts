import { randomUUID } from 'node:crypto';
import type { Caller } from '../../access/caller.js';
import type { AllowedQueryScope } from '../../access/query-scope.js';
import { appendAuditRecords } from '../../audit/audit-log.js';
import { auditRecordFor, type AuditRecord } from '../../audit/audit-record.js';
import type { ReadonlyJsonValue } from '../../shared/json.js';
import type { AqlLimits } from '../../config/config.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { isUuid } from '../../shared/uuid.js';
import { toAqlAppError } from './aql-errors.js';
import type { QueryLimiter } from './query-limiter.js';
import type { QueryShares } from './query-shares.js';
import { ehrScopeFor } from './ehr-scope.js';
import type { QueryResult, QueryService } from './query-service.js';

export interface AqlRequest {
  caller: Caller;
  q: string;
  /** Set when the query is a stored one. */
  stored?: { name: string; version: string };
  parameters: Record<string, unknown>;
  offset: number | undefined;
  fetch: number | undefined;
  /**
   * Whose records the query may range over: the typed decision of the access policy. It becomes
   * a condition inside the compiled statement only here, at the bottom (ehr-scope.ts).
   */
  scope: AllowedQueryScope;
  /** Also return the SQL, its parameters and the plan (the caller must be allowed to see them). */
  debug: boolean;
}

export interface AqlAnswer {
  result: QueryResult;
  offset: number;
  fetch: number;
}

/** Longest AQL text kept in an audit record; a longer one is cut, its length noted. */
const MAX_AUDITED_QUERY = 8_000;

/**
 * Runs AQL for the API: within the limits (fetch, time, concurrency), in the caller's scope, and
 * audited. The audit is written — and committed — before the answer is returned; if it cannot be
 * written the query fails (fail closed).
 *
 * Audit design: one summary record per query (who, the AQL or stored name and version, the
 * parameters, row and person counts), plus one record per person the result came from, carrying
 * that person's NHS number and EHR id. A person's access report reads audit_log by nhs_number
 * through the existing index (audit_log_by_person), so it stays one index range scan however many
 * people a query returned, and needs no special case for queries; the cost is paid once, at query
 * time, in one statement (appendAuditRecords), bounded by the largest fetch.
 * The records of one query share a `queryId` (indexed, migration 0010) to find them together.
 */
export class AqlService {
  constructor(
    private readonly db: Database,
    private readonly queries: QueryService,
    /** Public so that operations (and tests) can see how busy querying is. */
    readonly limiter: QueryLimiter,
    private readonly limits: AqlLimits,
    /** Per-caller and per-organisation shares across servers; checked before the process-wide limiter. */
    private readonly shares?: QueryShares,
  ) {}

  async run(request: AqlRequest): Promise<AqlAnswer> {
    const fetch = request.fetch ?? this.limits.defaultFetch;
    if (fetch > this.limits.maxFetch) {
      throw new AppError(
        'bad-request',
        `fetch ${fetch} is more than the ${this.limits.maxFetch} rows a query may return at once; page with offset and fetch.`,
      );
    }
    const offset = request.offset ?? 0;
    const queryId = randomUUID();
    const summary = (outcome: 'success' | 'failure', extra: Record<string, ReadonlyJsonValue | undefined>): AuditRecord =>
      auditRecordFor(request.caller, {
        action: 'query',
        outcome,
        resource: request.stored
          ? { type: 'stored-query', id: `${request.stored.name}/${request.stored.version}` }
          : { type: 'aql', id: 'ad-hoc' },
        detail: { queryId, ...this.#describe(request), offset, fetch, scope: request.scope.explanation, ...extra },
      });

    let result: QueryResult;
    try {
      const execute = () =>
        this.limiter.run(() =>
          this.queries.execute({
            query: request.q,
            parameters: request.parameters,
            offset,
            fetch,
            ehrScope: ehrScopeFor(request.scope),
            timeoutMs: this.limits.timeoutMs,
            explain: request.debug,
          }),
        );
      result = await (this.shares ? this.shares.run(request.caller, execute) : execute());
    } catch (caught) {
      const error = toAqlAppError(caught);
      // A query that did not run is audited too (who tried what); the audit failing here does not hide the error.
      const message = error instanceof Error ? error.message : String(error);
      await this.db
        .transaction((tx) => appendAuditRecords(tx, [summary('failure', { error: message.slice(0, 1000) })]))
        .catch(() => undefined);
      throw error;
    }

    const people = await this.#peopleOf(result.ehrIds);
    const records = [
      summary('success', { rowCount: result.rows.length, peopleCount: people.length }),
      ...people.map((person) =>
        auditRecordFor(request.caller, {
          action: 'query',
          ehrId: person.ehrId,
          ...(person.nhsNumber ? { nhsNumber: person.nhsNumber } : {}),
          resource: request.stored
            ? { type: 'stored-query', id: `${request.stored.name}/${request.stored.version}` }
            : { type: 'aql', id: 'ad-hoc' },
          detail: { queryId, ...this.#describe(request), scope: request.scope.explanation },
        }),
      ),
    ];
    await this.db.transaction((tx) => appendAuditRecords(tx, records));
    return { result, offset, fetch };
  }

  #describe(request: AqlRequest): Record<string, ReadonlyJsonValue> {
    const q =
      request.q.length > MAX_AUDITED_QUERY ? `${request.q.slice(0, MAX_AUDITED_QUERY)}… (${request.q.length} characters)` : request.q;
    return {
      q,
      ...(request.stored ? { storedQuery: request.stored.name, storedQueryVersion: request.stored.version } : {}),
      parameters: JSON.parse(JSON.stringify(request.parameters)) as ReadonlyJsonValue,
    };
  }

  /** The people behind the EHRs a result came from: their NHS number (EHR subject), where known. */
  async #peopleOf(ehrIds: readonly string[]): Promise<{ ehrId: string; nhsNumber: string | undefined }[]> {
    if (ehrIds.length === 0) return [];
    const { rows } = await this.db.query<{ ehr_id: string; subject_id: string | null }>(
      'SELECT ehr_id::text AS ehr_id, subject_id FROM ehr WHERE ehr_id = ANY($1::uuid[]) ORDER BY ehr_id',
      [[...new Set(ehrIds.map((id) => id.toLowerCase()).filter(isUuid))]],
    );
    return rows.map((row) => ({ ehrId: row.ehr_id, nhsNumber: row.subject_id ?? undefined }));
  }
}
