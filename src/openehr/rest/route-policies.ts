import type { RoutePolicy } from '../../http/route-policy.js';

/** Reading one person's record: the access decision for `read`. */
export const PERSON_READ: RoutePolicy = { kind: 'person', action: 'read', scope: 'openehr:read' };

/**
 * Writing one person's record through the openEHR API. The API cannot tell clinical from
 * non-clinical content, so it asks for the clinical permission.
 */
export const PERSON_WRITE: RoutePolicy = { kind: 'person', action: 'write-clinical', scope: 'openehr:write' };

/** Creating a person's EHR: a clinician, or an integration administering records. */
export const ADMIN_OR_CLINICIAN_WRITE: RoutePolicy = {
  kind: 'permission',
  permission: ['plan:write-clinical', 'records:administer'],
  scope: 'openehr:write',
};

/** Reading definitions (templates): anyone authenticated for the openEHR API. */
export const DEFINITION_READ: RoutePolicy = { kind: 'authenticated', scope: 'openehr:read' };
