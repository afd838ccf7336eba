import { readFile } from 'node:fs/promises';
import type { Database } from '../../src/db/database.js';
import { createCompositionValidator } from '../../src/openehr/service/composition-validator.js';
import { createOpenEhrServices, type OpenEhrServices } from '../../src/openehr/service/openehr-services.js';
import type { CommitAudit } from '../../src/openehr/store/version-store.js';

const DATA_LOAD = new URL('../fixtures/openehr/ehrbase-integration-tests/test_data_sets/aql/data_load/', import.meta.url);

export const AUDIT: CommitAudit = { committer: { _type: 'PARTY_IDENTIFIED', name: 'AQL test' } as CommitAudit['committer'] };

export function aqlServices(db: Database): OpenEhrServices {
  return createOpenEhrServices(db, { systemId: 'ucp.local', createValidator: createCompositionValidator });
}

/** Uploads an OPT of EHRbase's AQL data set (path under data_load/opts/). */
export async function uploadAqlTemplate(services: OpenEhrServices, name: string): Promise<void> {
  await services.templates.upload(await readFile(new URL(`opts/${name}`, DATA_LOAD), 'utf8'));
}

/** A composition of EHRbase's AQL data set (path under data_load/compositions/), canonical JSON. */
export async function readAqlComposition(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL(`compositions/${name}`, DATA_LOAD), 'utf8')) as Record<string, unknown>;
}

export async function createAqlEhr(services: OpenEhrServices, subjectId?: string): Promise<string> {
  const status =
    subjectId === undefined
      ? undefined
      : {
          _type: 'EHR_STATUS',
          archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
          name: { _type: 'DV_TEXT', value: 'EHR Status' },
          subject: {
            _type: 'PARTY_SELF',
            external_ref: {
              _type: 'PARTY_REF',
              namespace: 'https://fhir.nhs.uk/Id/nhs-number',
              type: 'PERSON',
              id: { _type: 'GENERIC_ID', value: subjectId, scheme: 'nhs-number' },
            },
          },
          is_queryable: true,
          is_modifiable: true,
        };
  const ehr = await services.ehrs.create(status === undefined ? {} : { status }, AUDIT);
  return ehr.ehr.ehrId;
}
