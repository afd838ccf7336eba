import { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import type { AuditAction, AuditEntry, AuditOutcome } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/** FHIR R4 Coding, CodeableConcept, Identifier and Reference, as far as an AuditEvent uses them. */
export interface FhirCoding {
  system: string;
  code: string;
  display?: string;
}
export interface FhirCodeableConcept {
  coding?: FhirCoding[];
  text?: string;
}
export interface FhirIdentifier {
  system?: string;
  value: string;
}
export interface FhirReference {
  identifier?: FhirIdentifier;
  display?: string;
}

export interface FhirAuditEventAgent {
  type?: FhirCodeableConcept;
  role?: FhirCodeableConcept[];
  who?: FhirReference;
  name?: string;
  requestor: boolean;
  network?: { address: string; type: '1' | '2' };
  purposeOfUse?: FhirCodeableConcept[];
}

export interface FhirAuditEventEntity {
  what?: FhirReference;
  type?: FhirCoding;
  role?: FhirCoding;
  name?: string;
  query?: string;
  detail?: { type: string; valueString: string }[];
}

/** A FHIR R4 AuditEvent resource. */
export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: FhirCoding;
  subtype?: FhirCoding[];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  recorded: string;
  outcome: '0' | '4' | '8';
  outcomeDesc?: string;
  agent: FhirAuditEventAgent[];
  source: { site?: string; observer: FhirReference; type: FhirCoding[] };
  entity?: FhirAuditEventEntity[];
}

export interface FhirAuditSource {
  /** This installation's system id (UCP_SYSTEM_ID): the observer that recorded the event. */
  systemId: string;
  site?: string;
}

const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';
const SECURITY_ROLE_TYPE = 'http://terminology.hl7.org/CodeSystem/extra-security-role-type';
const SECURITY_SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
/** In R4 the v3 PurposeOfUse value set draws its codes from ActReason. */
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ODS_ORGANISATION_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';

const REST: FhirCoding = { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'Restful Operation' };
const USER_AUTHENTICATION: FhirCoding = { system: DICOM, code: '110114', display: 'User Authentication' };
const SECURITY_ALERT: FhirCoding = { system: DICOM, code: '110113', display: 'Security Alert' };

const interaction = (code: string): FhirCoding => ({ system: RESTFUL_INTERACTION, code, display: code });

const EVENT_CODES: Readonly<Record<AuditAction, { type: FhirCoding; subtype?: FhirCoding; action: FhirAuditEvent['action'] }>> = {
  read: { type: REST, subtype: interaction('read'), action: 'R' },
  create: { type: REST, subtype: interaction('create'), action: 'C' },
  update: { type: REST, subtype: interaction('update'), action: 'U' },
  delete: { type: REST, subtype: interaction('delete'), action: 'D' },
  query: { type: REST, subtype: interaction('search'), action: 'E' },
  'sign-in': { type: USER_AUTHENTICATION, subtype: { system: DICOM, code: '110122', display: 'Login' }, action: 'E' },
  'sign-in-failed': { type: USER_AUTHENTICATION, subtype: { system: DICOM, code: '110122', display: 'Login' }, action: 'E' },
  'sign-out': { type: USER_AUTHENTICATION, subtype: { system: DICOM, code: '110123', display: 'Logout' }, action: 'E' },
  'access-denied': { type: SECURITY_ALERT, action: 'E' },
  'break-glass': {
    type: SECURITY_ALERT,
    subtype: { system: DICOM, code: '110127', display: 'Emergency Override Started' },
    action: 'E',
  },
  // A care-team membership the organisation declared for itself: a change of who may see the record.
  'relationship-declared': { type: REST, subtype: interaction('create'), action: 'C' },
};

/** 0 success, 4 minor failure (refused as it should be), 8 serious failure (could not be done). */
const OUTCOME_CODES: Readonly<Record<AuditOutcome, FhirAuditEvent['outcome']>> = { success: '0', denied: '4', failure: '8' };

const EMERGENCY_TREATMENT: FhirCoding = { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' };
const PURPOSE_CODES: Readonly<Record<string, FhirCoding>> = {
  'direct-care': { system: ACT_REASON, code: 'TREAT', display: 'treatment' },
  'emergency-care': EMERGENCY_TREATMENT,
  audit: { system: ACT_REASON, code: 'HCOMPL', display: 'health compliance' },
  administration: { system: ACT_REASON, code: 'HSYSADMIN', display: 'health system administration' },
  self: { system: ACT_REASON, code: 'PATRQT', display: 'patient requested' },
};
const BREAK_THE_GLASS: FhirCoding = { system: ACT_REASON, code: 'BTG', display: 'break the glass' };

/**
 * One audit log row as a FHIR R4 AuditEvent, for auditors' exports. The row's seq is its id;
 * the acting user (with their roles, network address and purpose of use, and the break-glass
 * reason when they broke the glass) and the organisation they acted for are agents; the person
 * (by NHS number) and the touched resource are entities.
 */
export function toFhirAuditEvent(entry: AuditEntry, source: FhirAuditSource): FhirAuditEvent {
  const codes = EVENT_CODES[entry.action];
  const reason = entry.detail['reason'];
  const touched = entities(entry);
  return {
    resourceType: 'AuditEvent',
    id: String(entry.seq),
    type: codes.type,
    ...(codes.subtype ? { subtype: [codes.subtype] } : {}),
    action: codes.action,
    recorded: entry.recordedAt,
    outcome: OUTCOME_CODES[entry.outcome],
    ...(entry.outcome !== 'success' && typeof reason === 'string' ? { outcomeDesc: reason } : {}),
    agent: agents(entry),
    source: {
      ...(source.site === undefined ? {} : { site: source.site }),
      observer: { identifier: { value: source.systemId }, display: 'Urgent Care Plan' },
      type: [{ system: SECURITY_SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    // FHIR allows no empty arrays.
    ...(touched.length > 0 ? { entity: touched } : {}),
  };
}

function agents(entry: AuditEntry): FhirAuditEventAgent[] {
  const human = entry.actorKind === 'user' || entry.actorKind === 'anonymous';
  const actor: FhirAuditEventAgent = {
    type: {
      coding: [
        human
          ? { system: SECURITY_ROLE_TYPE, code: 'humanuser', display: 'human user' }
          : { system: DICOM, code: '110150', display: 'Application' },
      ],
    },
    ...(entry.roles.length > 0 ? { role: entry.roles.map((role) => ({ text: role })) } : {}),
    who: {
      identifier: { value: entry.actorId },
      ...(entry.actorDisplayName === undefined ? {} : { display: entry.actorDisplayName }),
    },
    ...(entry.actorDisplayName === undefined ? {} : { name: entry.actorDisplayName }),
    requestor: true,
    ...(entry.clientAddress === undefined
      ? {}
      : { network: { address: entry.clientAddress, type: isIpAddress(entry.clientAddress) ? '2' : '1' } }),
  };
  const purposes = purposesOfUse(entry);
  if (purposes.length > 0) actor.purposeOfUse = purposes;
  if (entry.odsCode === undefined) return [actor];
  const organisation: FhirAuditEventAgent = {
    type: { text: 'organisation acted for' },
    who: { identifier: { system: ODS_ORGANISATION_CODE, value: entry.odsCode } },
    requestor: false,
  };
  return [actor, organisation];
}

function purposesOfUse(entry: AuditEntry): FhirCodeableConcept[] {
  const purpose = entry.purposeOfUse === undefined ? undefined : PURPOSE_CODES[entry.purposeOfUse];
  const concepts: FhirCodeableConcept[] = [];
  if (purpose) concepts.push({ coding: [purpose] });
  else if (entry.purposeOfUse !== undefined) concepts.push({ text: entry.purposeOfUse });
  if (entry.breakGlassReason !== undefined) {
    // Breaking the glass is emergency access whatever purpose the session declared.
    if (purpose !== EMERGENCY_TREATMENT) concepts.push({ coding: [EMERGENCY_TREATMENT] });
    concepts.push({ coding: [BREAK_THE_GLASS], text: entry.breakGlassReason });
  }
  return concepts;
}

function entities(entry: AuditEntry): FhirAuditEventEntity[] {
  const result: FhirAuditEventEntity[] = [];
  if (entry.nhsNumber !== undefined) {
    result.push({
      what: { identifier: { system: NHS_NUMBER_SYSTEM, value: entry.nhsNumber } },
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
      ...(entry.ehrId === undefined ? {} : { detail: [{ type: 'ehr_id', valueString: entry.ehrId }] }),
    });
  }
  const details = Object.entries(entry.detail).map(([type, value]) => ({
    type,
    valueString: typeof value === 'string' ? value : canonicalJson(value),
  }));
  const query = entry.detail['query'];
  if (entry.resourceType !== undefined || entry.resourceId !== undefined) {
    result.push({
      what: {
        ...(entry.resourceId === undefined ? {} : { identifier: { value: entry.resourceId } }),
        display: [entry.resourceType, entry.resourceId].filter((part) => part !== undefined).join(' '),
      },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      ...(entry.action === 'query' ? { role: { system: OBJECT_ROLE, code: '24', display: 'Query' } } : {}),
      ...(entry.resourceType === undefined ? {} : { name: entry.resourceType }),
      ...(entry.action === 'query' && typeof query === 'string' ? { query: Buffer.from(query, 'utf8').toString('base64') } : {}),
      ...(details.length > 0 ? { detail: details } : {}),
    });
  } else if (details.length > 0) {
    result.push({ type: { system: ENTITY_TYPE, code: '4', display: 'Other' }, detail: details });
  }
  return result;
}

function isIpAddress(address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) || (address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address));
}
