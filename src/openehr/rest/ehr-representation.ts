import type { EhrView } from '../service/ehr-service.js';
import { dvDateTime, objectRef } from '../service/audit-representation.js';

/** The EHR resource of the openEHR REST API. */
export function ehrRepresentation(view: EhrView) {
  return {
    system_id: { _type: 'HIER_OBJECT_ID', value: view.ehr.systemId },
    ehr_id: { _type: 'HIER_OBJECT_ID', value: view.ehr.ehrId },
    ehr_status: objectRef(view.status.versionUid, 'EHR_STATUS', 'OBJECT_VERSION_ID'),
    ...(view.ehr.directoryUid ? { directory: objectRef(view.ehr.directoryUid, 'FOLDER', 'HIER_OBJECT_ID') } : {}),
    time_created: dvDateTime(view.ehr.timeCreated),
  };
}
