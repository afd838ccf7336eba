import type { Caller } from '../../access/caller.js';
import type { Repository } from '../../repository/repository.js';

/** What a query needs of the caller's repository: who asks, and the scope they were allowed (refused, audited, when none). */
type QueryScopeSource = Pick<Repository, 'caller' | 'queryScope'>;
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { AqlService } from '../../openehr/service/aql-service.js';
import type { StoredQueryService } from '../../openehr/service/stored-query-service.js';

/**
 * The questions the platform itself asks of the plans, written in AQL over the plans'
 * compositions — not over the projections — so that what a worklist or a report shows is what
 * any openEHR client would find, and each question is also a stored query integrators can run
 * (`GET /openehr/v1/query/{name}`).
 *
 * Every query reads the published header (`UCP - Plan.v1`: COMPOSITION.care_plan.v0 with
 * ADMIN_ENTRY.ucp_plan_status.v0); drafts are incomplete compositions, which AQL never returns as
 * current, and a closed or deleted plan's header is no longer "Published".
 */
const HEADER = 'COMPOSITION h[openEHR-EHR-COMPOSITION.care_plan.v0] CONTAINS ADMIN_ENTRY s[openEHR-EHR-ADMIN_ENTRY.ucp_plan_status.v0]';
const PUBLISHED = "s/data[at0001]/items[at0002]/value/defining_code/code_string = 'at0005'";
const REVIEW_DATE = 's/data[at0001]/items[at0010]/value/value';
const odsCodeOf = (role: 'Author' | 'Approver') =>
  `s/data[at0001]/items[openEHR-EHR-CLUSTER.person.v1, '${role}']/items[openEHR-EHR-CLUSTER.organisation.v1]/items[at0003, 'ODS code']/value/id`;
const CPR_DECISION = 'cpr/data[at0001]/items[at0003]/value';

export interface CarePlanQuery {
  readonly name: string;
  readonly version: string;
  readonly q: string;
}

export const CARE_PLAN_QUERIES = {
  /** Published plans an organisation authored or approved whose review date is on or before `$until`. */
  dueForReview: {
    name: 'org.ucp::care_plan.due_for_review',
    version: '1.0.0',
    q: `SELECT e/ehr_id/value AS ehr_id, ${REVIEW_DATE} AS review_date
FROM EHR e CONTAINS ${HEADER}
WHERE ${PUBLISHED} AND ${REVIEW_DATE} <= $until
  AND (${odsCodeOf('Author')} = $ods_code OR ${odsCodeOf('Approver')} = $ods_code)
ORDER BY ${REVIEW_DATE} ASC`,
  },
  /**
   * The current CPR recommendation of every published plan written or approved by one of
   * `$ods_codes` (the organisations of an integrated care system), filtered to the SNOMED CT
   * concepts in `$cpr_codes` (450476008 not for CPR, 450475007 for CPR).
   */
  cprRecommendations: {
    name: 'org.ucp::care_plan.cpr_recommendations',
    version: '1.0.0',
    q: `SELECT e/ehr_id/value AS ehr_id, ${CPR_DECISION}/value AS recommendation,
       ${CPR_DECISION}/mappings/target/code_string AS snomed_code, cpr/data[at0001]/items[at0002]/value/value AS decided_at
FROM EHR e CONTAINS ((${HEADER}) AND (COMPOSITION r CONTAINS EVALUATION cpr[openEHR-EHR-EVALUATION.cpr_decision_uk.v0]))
WHERE ${PUBLISHED} AND r/archetype_details/template_id/value = 'ReSPECT-3.v0'
  AND (${odsCodeOf('Author')} MATCHES {$ods_codes} OR ${odsCodeOf('Approver')} MATCHES {$ods_codes})
  AND ${CPR_DECISION}/mappings/target/code_string MATCHES {$cpr_codes}
ORDER BY e/ehr_id/value`,
  },
  /** How many published plans include each pathway (every plan includes the core pathway). */
  plansByPathway: {
    name: 'org.ucp::care_plan.plans_by_pathway',
    version: '1.0.0',
    q: `SELECT s/data[at0001]/items[at0008]/value/defining_code/code_string AS pathway, COUNT(e/ehr_id/value) AS plans
FROM EHR e CONTAINS ${HEADER}
WHERE ${PUBLISHED}`,
  },
} as const satisfies Record<string, CarePlanQuery>;

/** Makes the platform's queries available as stored queries; a version already stored is kept. */
export async function storeCarePlanQueries(storedQueries: StoredQueryService, caller: Caller): Promise<string[]> {
  const stored: string[] = [];
  for (const query of Object.values(CARE_PLAN_QUERIES)) {
    const existing = await storedQueries.list(query.name);
    if (existing.some((candidate) => candidate.version === query.version)) continue;
    try {
      await storedQueries.store(query.name, query.version, query.q, caller);
      stored.push(`${query.name}/${query.version}`);
    } catch (error) {
      // Another server stored it at the same moment.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  }
  return stored;
}

export interface ReviewDue {
  ehrId: string;
  reviewDate: string;
}

export interface CprRecommendation {
  ehrId: string;
  recommendation: string;
  snomedCode: string;
  decidedAt: string | null;
}

/**
 * Runs the platform's queries as the caller: in the caller's query scope (a clinician sees the
 * people related to their organisation, a population query needs `population:query`), within the
 * AQL limits, and audited with the people returned, exactly as an AQL request would be.
 */
export class CarePlanQueries {
  constructor(
    private readonly db: Database,
    private readonly aql: AqlService,
  ) {}

  async dueForReview(repository: QueryScopeSource, odsCode: string, until: string): Promise<ReviewDue[]> {
    const rows = await this.run(repository, CARE_PLAN_QUERIES.dueForReview, { ods_code: odsCode, until });
    return rows.map(([ehrId, reviewDate]) => ({ ehrId: String(ehrId), reviewDate: String(reviewDate) }));
  }

  async cprRecommendations(
    repository: QueryScopeSource,
    odsCodes: readonly string[],
    cprCodes: readonly string[],
  ): Promise<CprRecommendation[]> {
    if (odsCodes.length === 0) return [];
    const rows = await this.run(repository, CARE_PLAN_QUERIES.cprRecommendations, { ods_codes: [...odsCodes], cpr_codes: [...cprCodes] });
    return rows.map(([ehrId, recommendation, snomedCode, decidedAt]) => ({
      ehrId: String(ehrId),
      recommendation: String(recommendation),
      snomedCode: String(snomedCode),
      decidedAt: decidedAt === null || decidedAt === undefined ? null : String(decidedAt),
    }));
  }

  async plansByPathway(repository: QueryScopeSource): Promise<{ pathway: string; plans: number }[]> {
    const rows = await this.run(repository, CARE_PLAN_QUERIES.plansByPathway, {});
    return rows.map(([pathway, plans]) => ({ pathway: String(pathway), plans: Number(plans) }));
  }

  private async run(repository: QueryScopeSource, query: CarePlanQuery, parameters: Record<string, unknown>): Promise<unknown[][]> {
    const scope = await repository.queryScope({ name: query.name, version: query.version });
    const answer = await this.aql.run({
      caller: repository.caller,
      q: query.q,
      stored: { name: query.name, version: query.version },
      parameters,
      offset: undefined,
      fetch: undefined,
      scope,
      debug: false,
    });
    return answer.result.rows;
  }
}
