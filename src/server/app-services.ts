import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { createCompositionValidator } from '../openehr/service/composition-validator.js';
import { createOpenEhrServices, type OpenEhrServices } from '../openehr/service/openehr-services.js';

/** Every service of the application, made once per process over one database. */
export interface AppServices {
  openehr: OpenEhrServices;
}

export function createAppServices(db: Database, config: Config): AppServices {
  return {
    openehr: createOpenEhrServices(db, { systemId: config.systemId, createValidator: createCompositionValidator }),
  };
}
