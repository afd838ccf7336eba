import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clinician, gp } from '../../test/audit/audit-test-callers.js';
import { auditHash } from './audit-hash.js';
import { auditRecordFor, auditRecordForAnonymous, type AuditEntry, type AuditRecord } from './audit-record.js';
import { toFhirAuditEvent } from './fhir-audit-event.js';
import { storableAuditRecord } from './storable-audit-record.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../test/fixtures/fhir/hl7-r4-examples/${name}`, import.meta.url), 'utf8'));
}

function entry(record: AuditRecord, seq = 42): AuditEntry {
  const content = { ...storableAuditRecord(record), seq, recordedAt: '2026-11-25T10:15:30.123Z', prevHash: 'a'.repeat(64) };
  return { ...content, hash: auditHash(content) };
}

/** Every path in a JSON value (array positions as []) with the JSON type found there. */
function shapeOf(value: unknown, path = '', shape = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    shape.set(path, 'array');
    for (const item of value) shapeOf(item, `${path}[]`, shape);
  } else if (typeof value === 'object' && value !== null) {
    shape.set(path, 'object');
    for (const [key, member] of Object.entries(value)) shapeOf(member, path === '' ? key : `${path}.${key}`, shape);
  } else {
    shape.set(path, typeof value);
  }
  return shape;
}

/** R4 AuditEvent elements the examples do not happen to use, with their JSON types. */
const OTHER_R4_ELEMENTS: Readonly<Record<string, string>> = {
  outcomeDesc: 'string',
  'agent[].role': 'array',
  'agent[].role[]': 'object',
  'agent[].role[].text': 'string',
  'agent[].type.text': 'string',
  'agent[].who.display': 'string',
  'agent[].who.identifier.system': 'string',
  'agent[].purposeOfUse': 'array',
  'agent[].purposeOfUse[]': 'object',
  'agent[].purposeOfUse[].coding': 'array',
  'agent[].purposeOfUse[].coding[]': 'object',
  'agent[].purposeOfUse[].coding[].system': 'string',
  'agent[].purposeOfUse[].coding[].code': 'string',
  'agent[].purposeOfUse[].coding[].display': 'string',
  'agent[].purposeOfUse[].text': 'string',
  'entity[].what.identifier': 'object',
  'entity[].what.identifier.system': 'string',
  'entity[].what.identifier.value': 'string',
  'entity[].what.display': 'string',
  'entity[].name': 'string',
  'entity[].detail': 'array',
  'entity[].detail[]': 'object',
  'entity[].detail[].type': 'string',
  'entity[].detail[].valueString': 'string',
};

const NARRATIVE = /^(id|text|text\.)/;

describe('toFhirAuditEvent', () => {
  const source = { systemId: 'ucp.local' };

  it('maps a clinician reading a composition of a person', () => {
    const event = toFhirAuditEvent(
      entry(
        auditRecordFor(clinician(), {
          action: 'read',
          nhsNumber: '9990001234',
          ehrId: 'e1',
          resource: { type: 'COMPOSITION', id: 'c1::ucp.local::1' },
        }),
      ),
      source,
    );
    expect(event).toEqual({
      resourceType: 'AuditEvent',
      id: '42',
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read', display: 'read' }],
      action: 'R',
      recorded: '2026-11-25T10:15:30.123Z',
      outcome: '0',
      agent: [
        {
          type: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser', display: 'human user' },
            ],
          },
          role: [{ text: 'clinician' }],
          who: { identifier: { value: 'user-ann-lee' }, display: 'Dr Ann Lee' },
          name: 'Dr Ann Lee',
          requestor: true,
          network: { address: '10.1.2.3', type: '2' },
          purposeOfUse: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }] },
          ],
        },
        {
          type: { text: 'organisation acted for' },
          who: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RRU' } },
          requestor: false,
        },
      ],
      source: {
        observer: { identifier: { value: 'ucp.local' }, display: 'Urgent Care Plan' },
        type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
      },
      entity: [
        {
          what: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990001234' } },
          type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
          role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
          detail: [{ type: 'ehr_id', valueString: 'e1' }],
        },
        {
          what: { identifier: { value: 'c1::ucp.local::1' }, display: 'COMPOSITION c1::ucp.local::1' },
          type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
          name: 'COMPOSITION',
        },
      ],
    });
  });

  it.each([
    ['create', 'C', 'create'],
    ['update', 'U', 'update'],
    ['delete', 'D', 'delete'],
    ['query', 'E', 'search'],
  ] as const)('maps %s to action %s and RESTful interaction %s', (action, code, interaction) => {
    const event = toFhirAuditEvent(entry(auditRecordFor(clinician(), { action })), source);
    expect(event.action).toBe(code);
    expect(event.type.code).toBe('rest');
    expect(event.subtype).toEqual([{ system: 'http://hl7.org/fhir/restful-interaction', code: interaction, display: interaction }]);
  });

  it('maps sign-in, its failure and sign-out to DICOM user authentication events', () => {
    const signIn = toFhirAuditEvent(entry(auditRecordFor(clinician(), { action: 'sign-in' })), source);
    expect([signIn.type.code, signIn.subtype?.[0]?.code, signIn.action, signIn.outcome]).toEqual(['110114', '110122', 'E', '0']);
    const failed = toFhirAuditEvent(
      entry(
        auditRecordForAnonymous({
          action: 'sign-in-failed',
          outcome: 'denied',
          claimedId: 'ann',
          clientAddress: 'workstation-7.example',
          detail: { reason: 'wrong password' },
        }),
      ),
      source,
    );
    expect(failed).toMatchObject({ outcome: '4', outcomeDesc: 'wrong password', subtype: [{ code: '110122' }] });
    expect(failed.agent).toEqual([
      expect.objectContaining({ who: { identifier: { value: 'ann' } }, network: { address: 'workstation-7.example', type: '1' } }),
    ]);
    expect(failed.entity).toEqual([
      {
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '4', display: 'Other' },
        detail: [{ type: 'reason', valueString: 'wrong password' }],
      },
    ]);
    const signOut = toFhirAuditEvent(entry(auditRecordFor(clinician(), { action: 'sign-out' })), source);
    expect(signOut.subtype?.[0]?.code).toBe('110123');
  });

  it('maps a failure to outcome 8 and a denial to a security alert with outcome 4', () => {
    expect(toFhirAuditEvent(entry(auditRecordFor(clinician(), { action: 'read', outcome: 'failure' })), source).outcome).toBe('8');
    const denied = toFhirAuditEvent(
      entry(auditRecordFor(gp(), { action: 'access-denied', outcome: 'denied', nhsNumber: '9990001234' })),
      source,
    );
    expect(denied).toMatchObject({ type: { code: '110113', display: 'Security Alert' }, action: 'E', outcome: '4' });
    expect(denied.subtype).toBeUndefined();
  });

  it('records breaking the glass as emergency treatment with the reason given', () => {
    const reason = 'Unconscious at home; GP practice closed';
    const event = toFhirAuditEvent(
      entry(auditRecordFor(clinician({ breakGlassReason: reason }), { action: 'break-glass', nhsNumber: '9990001234' })),
      source,
    );
    expect(event.subtype).toEqual([
      { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110127', display: 'Emergency Override Started' },
    ]);
    expect(event.agent[0]?.purposeOfUse).toEqual([
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }] },
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'ETREAT', display: 'Emergency Treatment' }] },
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'BTG', display: 'break the glass' }], text: reason },
    ]);
    const emergency = toFhirAuditEvent(
      entry(auditRecordFor(clinician({ purposeOfUse: 'emergency-care', breakGlassReason: reason }), { action: 'read' })),
      source,
    );
    expect(emergency.agent[0]?.purposeOfUse?.map((concept) => concept.coding?.[0]?.code)).toEqual(['ETREAT', 'BTG']);
  });

  it('maps a system job as an application without organisation', () => {
    const event = toFhirAuditEvent(
      entry(
        auditRecordFor(
          { ...clinician(), kind: 'system', id: 'system:seed', roles: [], organisation: undefined, clientAddress: undefined },
          { action: 'create' },
        ),
      ),
      { systemId: 'ucp.local', site: 'London' },
    );
    expect(event.agent).toHaveLength(1);
    expect(event.agent[0]?.type?.coding).toEqual([
      { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' },
    ]);
    expect(event.agent[0]?.role).toBeUndefined();
    expect(event.source.site).toBe('London');
    expect(event.entity).toBeUndefined();
  });

  it('carries a query as base64 with the query role', () => {
    const aql = "SELECT c FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_status/subject/external_ref/id/value = '9990001234'";
    const event = toFhirAuditEvent(
      entry(auditRecordFor(clinician(), { action: 'query', resource: { type: 'AQL', id: 'ad-hoc' }, detail: { query: aql, rows: 3 } })),
      source,
    );
    const [touched] = event.entity ?? [];
    expect(touched?.role).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' });
    expect(Buffer.from(touched?.query ?? '', 'base64').toString('utf8')).toBe(aql);
    expect(touched?.detail).toEqual([
      { type: 'query', valueString: aql },
      { type: 'rows', valueString: '3' },
    ]);
  });

  const EXAMPLES = ['AuditEvent-example-rest.json', 'AuditEvent-example-search.json'];
  const ours = () => [
    toFhirAuditEvent(
      entry(
        auditRecordFor(clinician({ breakGlassReason: 'emergency' }), {
          action: 'query',
          nhsNumber: '9990001234',
          ehrId: 'e1',
          resource: { type: 'AQL', id: 'q' },
          detail: { query: 'SELECT 1' },
        }),
      ),
      { systemId: 'ucp.local', site: 'London' },
    ),
    toFhirAuditEvent(entry(auditRecordFor(gp(), { action: 'read', resource: { type: 'COMPOSITION', id: 'c1' } })), source),
  ];

  it("uses only the specification examples' elements, or other R4 AuditEvent elements, with the same JSON types", () => {
    const known = new Map(Object.entries(OTHER_R4_ELEMENTS));
    for (const name of EXAMPLES) for (const [path, type] of shapeOf(fixture(name))) known.set(path, type);
    for (const event of ours()) {
      for (const [path, type] of shapeOf(event)) {
        if (NARRATIVE.test(path)) continue;
        expect({ path, type: known.get(path) }).toEqual({ path, type });
      }
    }
  });

  it.each(EXAMPLES)('has every element that carries the meaning of %s, with its type', (name) => {
    const example = shapeOf(fixture(name));
    const [query] = ours();
    const shape = shapeOf(query);
    // Not ours to give: the touched object is an openEHR object named by identifier, not a FHIR
    // reference; no lifecycle stage is recorded; users have no alternative id.
    const meaningful = [...example.keys()].filter(
      (path) => !NARRATIVE.test(path) && !/^(entity\[\]\.(lifecycle|what\.reference)|agent\[\]\.altId)/.test(path),
    );
    expect(meaningful.length).toBeGreaterThan(20);
    for (const path of meaningful) expect({ path, type: shape.get(path) }).toEqual({ path, type: example.get(path) });
  });
});
