import type { Database } from '../../db/database.js';
import { CompositionService } from './composition-service.js';
import { ContributionService } from './contribution-service.js';
import { DirectoryService } from './directory-service.js';
import { EhrService } from './ehr-service.js';
import { AqlService } from './aql-service.js';
import { QueryLimiter } from './query-limiter.js';
import { QueryShares } from './query-shares.js';
import { QueryService } from './query-service.js';
import { StoredQueryService } from './stored-query-service.js';
import { DEFAULT_AQL_LIMITS, type AqlLimits } from '../../config/config.js';
import { TemplateService, type ValidatorFactory } from './template-service.js';
import { VersionService } from './version-service.js';

export interface OpenEhrServices {
  ehrs: EhrService;
  compositions: CompositionService;
  templates: TemplateService;
  contributions: ContributionService;
  directories: DirectoryService;
  queries: QueryService;
  /** AQL for the API: limits, scope and audit around `queries`. */
  aql: AqlService;
  storedQueries: StoredQueryService;
  /** Versions read and written in a caller's transaction (the care plan), under the same rules. */
  versions: VersionService;
}

export function createOpenEhrServices(
  db: Database,
  options: { systemId: string; createValidator: ValidatorFactory; aqlLimits?: AqlLimits },
): OpenEhrServices {
  const ehrs = new EhrService(db, options.systemId);
  const templates = new TemplateService(db, options.createValidator);
  const compositions = new CompositionService(db, options.systemId, ehrs, templates);
  const contributions = new ContributionService(db, options.systemId, ehrs, compositions);
  const directories = new DirectoryService(db, options.systemId, ehrs);
  // AQL only reads: a replica takes it when one is configured and has caught up.
  const queries = new QueryService(db.reader);
  // One limiter per process: it bounds the queries this server runs at once.
  const aqlLimits = options.aqlLimits ?? DEFAULT_AQL_LIMITS;
  // Shares per caller and organisation, counted in the database: they hold across servers.
  const aql = new AqlService(db, queries, new QueryLimiter(aqlLimits), aqlLimits, new QueryShares(db, aqlLimits));
  const storedQueries = new StoredQueryService(db);
  const versions = new VersionService(options.systemId);
  return { ehrs, compositions, templates, contributions, directories, queries, aql, storedQueries, versions };
}
