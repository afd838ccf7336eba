import type { Database } from '../../db/database.js';
import { CompositionService } from './composition-service.js';
import { ContributionService } from './contribution-service.js';
import { DirectoryService } from './directory-service.js';
import { EhrService } from './ehr-service.js';
import { QueryService } from './query-service.js';
import { TemplateService, type ValidatorFactory } from './template-service.js';

export interface OpenEhrServices {
  ehrs: EhrService;
  compositions: CompositionService;
  templates: TemplateService;
  contributions: ContributionService;
  directories: DirectoryService;
  queries: QueryService;
}

export function createOpenEhrServices(db: Database, options: { systemId: string; createValidator: ValidatorFactory }): OpenEhrServices {
  const ehrs = new EhrService(db, options.systemId);
  const templates = new TemplateService(db, options.createValidator);
  const compositions = new CompositionService(db, options.systemId, ehrs, templates);
  const contributions = new ContributionService(db, options.systemId, ehrs, compositions);
  const directories = new DirectoryService(db, options.systemId, ehrs);
  const queries = new QueryService(db);
  return { ehrs, compositions, templates, contributions, directories, queries };
}
