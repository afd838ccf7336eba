import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../careplan/care-plan-service.js';
import type { PlanRevision } from '../../careplan/care-plan-store.js';
import type { EmergencySummary } from '../../careplan/summary/emergency-summary.js';
import { toFhirAuditEvent } from '../../audit/fhir-audit-event.js';
import { expectValidFhir } from '../../../test/support/fhir-validation.js';
import { toCarePlan, labelFromPath } from './care-plan.js';
import { toCareTeam } from './care-team.js';
import { toConsent } from './consent.js';
import { toDocumentReference } from './document-reference.js';
import { cprFlag, planFlag } from './flag.js';
import { toPatient, type PersonDemographics } from './patient.js';
import { toProvenance } from './provenance.js';
import { toRelatedPersons } from './related-person.js';

const EHR_ID = '7d3c3a4e-1f52-4bb5-9a0e-2f1f0f7f6a11';
const HOSPICE = { id: '0b6f1a52-7c1e-4a53-9d4f-8f3a2c1b0e9d', name: 'Dr Ada Okafor', odsCode: 'CPHOS1', organisation: 'Thames Hospice' };

const plan: PlanView = {
  ehrId: EHR_ID,
  nhsNumber: '9990000018',
  status: 'published',
  draftState: null,
  revision: 6,
  planVersion: 2,
  pathways: ['sickle-cell'],
  reviewDate: '2027-03-01',
  latestReviewDate: '2027-06-07',
  header: {
    status: 'published',
    pathways: ['sickle-cell'],
    changeSummary: 'Ceiling of treatment agreed',
    author: HOSPICE,
    approver: HOSPICE,
    approvedAt: '2026-12-01T10:00:00.000Z',
    reviewDate: '2027-03-01',
    consent: { toShare: true, route: 'explicit' },
    death: undefined,
    deletion: undefined,
  },
  modules: [
    {
      moduleId: 'respect',
      title: 'ReSPECT',
      pathwayId: 'core',
      templateId: 'respect-3',
      kind: 'core',
      seniorDecision: true,
      source: 'published',
      versionUid: `x::ucp.local::2`,
      committedAt: '2026-12-01T10:00:00.000Z',
      committer: 'Dr Ada Okafor',
      flat: {
        'respect-3/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision|value': 'CPR attempts not recommended',
        'respect-3/respect_headings/a4._clinical_recommendations/recommendation/clinical_focus':
          'Prioritise comfort <script>alert(1)</script> & dignity',
      },
    },
    {
      moduleId: 'contacts',
      title: 'Contacts',
      pathwayId: 'core',
      templateId: 't',
      kind: 'core',
      seniorDecision: false,
      source: 'empty',
      versionUid: null,
      committedAt: null,
      committer: null,
      flat: null,
    },
  ] as unknown as PlanView['modules'],
  updatedAt: '2026-12-01T10:00:01.000Z',
};

const summary = {
  ehrId: EHR_ID,
  status: 'published',
  planVersion: 2,
  lastUpdated: plan.updatedAt,
  reviewDate: '2027-03-01',
  reviewOverdue: false,
  approvedBy: 'Dr Ada Okafor',
  death: null,
  cpr: { recommendation: 'CPR attempts not recommended', code: '450476008', notForCpr: true, decidedOn: '2026-11-30' },
  focusOfCare: 'Prioritise comfort',
  ceilingOfTreatment: 'Ward-based care',
  advanceDecisions: [],
  legalProxies: [],
  whatMattersMost: [],
  whoToCallFirst: [
    { name: 'Joy Smith', relationship: 'Daughter', telephone: '01632 960587', nextOfKin: true },
    { name: 'Sam Brown', relationship: null, telephone: null, nextOfKin: false },
  ],
  homeAccess: [],
  anticipatoryMedicines: [],
  preferredPlaces: [],
  diagnoses: ['Sickle cell anaemia'],
  allergies: [{ substance: 'Penicillin', reaction: 'Rash', criticality: null }],
  noKnownAllergies: false,
  pathwayHighlights: [],
  sections: [],
} satisfies EmergencySummary;

const person: PersonDemographics = {
  nhsNumber: '9990000018',
  verification: 'verified',
  restricted: false,
  name: { prefix: ['Mrs'], given: ['Jane', 'Ann'], family: 'Smith', text: 'Mrs Jane Ann SMITH' },
  birthDate: '1941-03-02',
  gender: 'female',
  address: { lines: ['1 Trevelyan Square', 'Boar Lane'], city: 'Leeds', postalCode: 'LS1 6AE' },
  telecom: [{ system: 'phone', use: 'home', value: '01632960587' }],
  registeredGp: { odsCode: 'Y12345', name: 'The Example Practice' },
  deceased: null,
  supersededBy: null,
  source: 'pds',
  retrievedAt: '2026-12-07T10:00:00Z',
  version: 3,
};

describe('FHIR resources from the platform domain', () => {
  it('maps a person to a UK Core Patient with a verified NHS number, and withholds a restricted person’s contact details', () => {
    const patient = toPatient(person);
    expectValidFhir(patient, { mustSupport: true });
    expect(patient.identifier?.[0]?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('01');
    const restricted = toPatient({ ...person, restricted: true, verification: 'unverified', supersededBy: '9990000026' });
    expectValidFhir(restricted, { mustSupport: true });
    expect(restricted).not.toHaveProperty('address');
    expect(restricted).not.toHaveProperty('telecom');
    expect(restricted).toMatchObject({ active: false, meta: { security: [{ code: 'R' }] }, link: [{ type: 'replaced-by' }] });
  });

  it('flags that a plan exists and its CPR recommendation, and nothing for a plan never published', () => {
    const flags = [planFlag(plan), cprFlag(plan, summary)];
    for (const flag of flags) expectValidFhir(flag, { mustSupport: true });
    expect(flags.map((flag) => [flag?.status, flag?.code.coding?.[0]?.code])).toEqual([
      ['active', '734163000'],
      ['active', '450476008'],
    ]);
    expect(
      planFlag({
        ...plan,
        status: 'closed',
        header: { ...plan.header, death: { date: '2026-12-05', place: 'home', placeDiffersReason: undefined, recordedBy: HOSPICE } },
      }),
    ).toMatchObject({
      status: 'inactive',
      period: { start: plan.header.approvedAt, end: '2026-12-05' },
    });
    expect(planFlag({ ...plan, status: 'draft', planVersion: 0 })).toBeUndefined();
    expect(cprFlag(plan, { ...summary, cpr: null })).toBeUndefined();
  });

  it('writes the whole plan as a CarePlan with escaped XHTML narrative', () => {
    const carePlan = toCarePlan({ plan, summary, pathwayTitles: { 'sickle-cell': 'Sickle cell' }, labelOf: labelFromPath });
    expectValidFhir(carePlan, { mustSupport: true });
    expect(carePlan).toMatchObject({
      status: 'active',
      intent: 'plan',
      description: 'Prioritise comfort',
      careTeam: [{ reference: `CareTeam/${EHR_ID}` }],
    });
    expect(carePlan.category?.[1]?.coding?.[0]).toMatchObject({ code: 'sickle-cell', display: 'Sickle cell' });
    expect(carePlan.activity?.[0]?.detail?.scheduledPeriod?.start).toBe('2027-03-01');
    const div = carePlan.text?.div ?? '';
    expect(div).toContain('Clinical focus');
    expect(div).toContain('&#60;script&#62;');
    expect(div).not.toContain('<script>');
    expect(div).toContain('Joy Smith, Daughter, 01632 960587');
  });

  it('maps consent, contacts, care team, revisions, the PDF and the audit log, each valid', () => {
    const consent = toConsent(plan);
    expectValidFhir(consent, { mustSupport: true });
    expect(consent?.provision?.type).toBe('permit');
    expect(toConsent({ ...plan, header: { ...plan.header, consent: { toShare: false, route: 'withdrawn' } } })?.provision?.type).toBe(
      'deny',
    );
    const contacts = toRelatedPersons(plan, summary);
    for (const contact of contacts) expectValidFhir(contact, { mustSupport: true });
    expect(contacts.map((contact) => contact.relationship?.[0]?.coding?.[0]?.code ?? contact.relationship?.[0]?.text)).toEqual([
      'NOK',
      'Contact named in the urgent care plan',
    ]);
    expectValidFhir(toCareTeam(plan, [{ odsCode: 'CPHOS1', name: 'Thames Hospice' }, { odsCode: 'Y12345' }]));
    const revision: PlanRevision = {
      revision: 6,
      planVersion: 2,
      event: 'published',
      status: 'published',
      modules: {},
      headerVersionUid: null,
      header: plan.header,
      actor: HOSPICE,
      changeSummary: 'Ceiling of treatment agreed',
      recordedAt: plan.updatedAt,
    };
    const provenance = toProvenance(EHR_ID, revision);
    expectValidFhir(provenance);
    expect(provenance.target[0]?.reference).toBe(`CarePlan/${EHR_ID}/_history/6`);
    expectValidFhir(toDocumentReference(plan, { url: `https://ucp.example/api/care-plans/${EHR_ID}/pdf`, title: 'Urgent care plan' }));
    const auditEvent = toFhirAuditEvent(
      {
        seq: 7,
        recordedAt: '2026-12-07T10:00:00.000Z',
        action: 'read',
        outcome: 'success',
        actorId: HOSPICE.id,
        actorKind: 'user',
        actorDisplayName: HOSPICE.name,
        roles: ['clinician'],
        odsCode: 'CPHOS1',
        purposeOfUse: 'direct-care',
        breakGlassReason: undefined,
        clientAddress: '10.0.0.1',
        nhsNumber: '9990000018',
        ehrId: EHR_ID,
        resourceType: 'CarePlan',
        resourceId: EHR_ID,
        detail: { basis: 'care-team' },
        prevHash: '',
        hash: '',
      },
      { systemId: 'ucp.local' },
    );
    expectValidFhir(auditEvent);
  });
});
