import { describe, expect, it } from 'vitest';
import { decidePersonAccess, type PersonAccessFacts } from './access-policy.js';
import type { Caller, CallerOrganisation } from './caller.js';
import { permissionsOf, type Role } from './roles.js';

const gp: CallerOrganisation = {
  odsCode: 'F84001',
  name: 'Riverside Practice',
  kind: 'gp-practice',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
const ambulance: CallerOrganisation = {
  odsCode: 'RRU',
  name: 'London Ambulance Service',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
const hospice: CallerOrganisation = {
  odsCode: 'HOSP1',
  name: 'St Elsewhere Hospice',
  kind: 'hospice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};
const careHome: CallerOrganisation = {
  odsCode: 'CH001',
  name: 'Maple Care Home',
  kind: 'care-home',
  ics: 'North West London',
  dataSecurityStatus: 'approaching-standards',
};

function caller(roles: Role[], organisation: CallerOrganisation | undefined, extra: Partial<Caller> = {}): Caller {
  return {
    kind: 'user',
    id: 'user-1',
    displayName: 'Test User',
    organisation,
    roles,
    permissions: permissionsOf(roles),
    scopes: undefined,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    breakGlassReason: undefined,
    purposeOfUse: 'direct-care',
    clientAddress: undefined,
    sessionId: undefined,
    ...extra,
  };
}

const person: PersonAccessFacts = {
  nhsNumber: '9990000018',
  careTeamOdsCodes: new Set(['HOSP1']),
  registeredGpOdsCode: 'F84001',
  consentToShare: true,
};

describe('decidePersonAccess', () => {
  it('lets the care team and the registered GP read and write', () => {
    expect(decidePersonAccess(caller(['clinician'], hospice), 'write-clinical', person)).toMatchObject({
      allowed: true,
      basis: 'care-team',
    });
    expect(decidePersonAccess(caller(['viewer'], gp), 'read', person)).toMatchObject({ allowed: true, basis: 'registered-gp' });
  });

  it('gives urgent care services standing access to read, not to write', () => {
    expect(decidePersonAccess(caller(['viewer'], ambulance), 'read', person)).toMatchObject({ allowed: true, basis: 'emergency-access' });
    expect(decidePersonAccess(caller(['clinician'], ambulance), 'write-clinical', person)).toMatchObject({
      allowed: false,
      breakGlassPossible: false,
    });
  });

  it("accepts a launch in the person's context from a trusted record system", () => {
    const other = { ...hospice, odsCode: 'X99' };
    expect(
      decidePersonAccess(caller(['clinician'], other, { launchContextNhsNumber: '9990000018' }), 'write-clinical', person),
    ).toMatchObject({ allowed: true, basis: 'launch-context' });
    expect(decidePersonAccess(caller(['clinician'], other, { launchContextNhsNumber: '9990000026' }), 'read', person)).toMatchObject({
      allowed: false,
    });
  });

  it('limits an embedded session to its person, whatever other relationship or reason the caller has', () => {
    const embedded = (nhsNumber: string, extra: Partial<Caller> = {}) =>
      caller(['clinician'], gp, { launchContextNhsNumber: nhsNumber, embeddedNhsNumber: nhsNumber, ...extra });
    expect(decidePersonAccess(embedded('9990000018'), 'read', person)).toMatchObject({ allowed: true, basis: 'registered-gp' });
    // The GP is this person's registered practice too, and the glass is broken: still refused.
    const elsewhere = decidePersonAccess(
      embedded('9990000026', { breakGlassReason: 'emergency-treatment: collapsed at home, plan needed now' }),
      'read',
      person,
    );
    expect(elsewhere).toMatchObject({ allowed: false, breakGlassPossible: false });
  });

  it('refuses a reader with no relationship until they break the glass with a real reason', () => {
    const stranger = { ...hospice, odsCode: 'X99' };
    expect(decidePersonAccess(caller(['viewer'], stranger), 'read', person)).toMatchObject({ allowed: false, breakGlassPossible: true });
    expect(decidePersonAccess(caller(['viewer'], stranger, { breakGlassReason: 'urgent' }), 'read', person)).toMatchObject({
      allowed: false,
    });
    expect(
      decidePersonAccess(
        caller(['viewer'], stranger, { breakGlassReason: 'unable-to-consent: Patient collapsed in our clinic, unconscious' }),
        'read',
        person,
      ),
    ).toMatchObject({
      allowed: true,
      basis: 'break-glass',
      explanation: expect.stringContaining('collapsed'),
    });
    expect(
      decidePersonAccess(
        caller(['clinician'], stranger, { breakGlassReason: 'emergency-treatment: Patient collapsed in our clinic' }),
        'write-clinical',
        person,
      ),
    ).toMatchObject({ allowed: false });
  });

  it('checks the permission of the role before anything else', () => {
    expect(decidePersonAccess(caller(['viewer'], hospice), 'write-non-clinical', person)).toMatchObject({
      allowed: false,
      explanation: expect.stringContaining('plan:write-non-clinical'),
    });
    expect(decidePersonAccess(caller(['contributor'], hospice), 'write-non-clinical', person)).toMatchObject({ allowed: true });
    expect(decidePersonAccess(caller(['clinician'], hospice), 'approve', person)).toMatchObject({
      allowed: false,
      explanation: expect.stringContaining('plan:approve'),
    });
    expect(decidePersonAccess(caller(['senior-clinician'], hospice), 'approve', person)).toMatchObject({ allowed: true });
    expect(decidePersonAccess(caller(['org-admin', 'auditor'], hospice), 'read', person)).toMatchObject({ allowed: false });
  });

  it('refuses organisations that do not meet the data security standards, whatever the relationship', () => {
    const facts = { ...person, careTeamOdsCodes: new Set(['CH001']) };
    expect(decidePersonAccess(caller(['clinician'], careHome), 'read', facts)).toMatchObject({
      allowed: false,
      explanation: expect.stringContaining('data security'),
    });
  });

  it('keeps the plan within the care team when consent is withdrawn, even against break-glass', () => {
    const withdrawn = { ...person, consentToShare: false };
    expect(decidePersonAccess(caller(['clinician'], hospice), 'read', withdrawn)).toMatchObject({ allowed: true, basis: 'care-team' });
    expect(decidePersonAccess(caller(['viewer'], ambulance), 'read', withdrawn)).toMatchObject({
      allowed: false,
      breakGlassPossible: false,
    });
    expect(
      decidePersonAccess(
        caller(['viewer'], { ...hospice, odsCode: 'X99' }, { breakGlassReason: 'emergency-treatment: Patient collapsed in our clinic' }),
        'read',
        withdrawn,
      ),
    ).toMatchObject({ allowed: false });
  });

  it('lets a person read their own plan, and nothing else', () => {
    const self = caller(['patient'], undefined, { ownNhsNumber: '9990000018' });
    expect(decidePersonAccess(self, 'read', person)).toMatchObject({ allowed: true, basis: 'self' });
    expect(decidePersonAccess(self, 'write-non-clinical', person)).toMatchObject({ allowed: false });
    expect(decidePersonAccess(self, 'read', { ...person, nhsNumber: '9990000026' })).toMatchObject({ allowed: false });
  });

  it('lets a person propose changes to their own plan, and a professional who may write non-clinical sections hold a draft of their own', () => {
    const self = caller(['patient'], undefined, { ownNhsNumber: '9990000018' });
    expect(decidePersonAccess(self, 'propose', person)).toMatchObject({ allowed: true, basis: 'self' });
    expect(decidePersonAccess(self, 'propose', { ...person, nhsNumber: '9990000026' })).toMatchObject({ allowed: false });
    expect(decidePersonAccess(caller(['contributor'], gp), 'propose', person)).toMatchObject({ allowed: true });
    expect(decidePersonAccess(caller(['viewer'], gp), 'propose', person)).toMatchObject({ allowed: false });
  });

  it('lets an integration client administer any record, and names it so the audit shows it; never a person', () => {
    expect(
      decidePersonAccess(caller(['platform-admin'], undefined, { kind: 'client' }), 'write-clinical', { ...person, consentToShare: false }),
    ).toMatchObject({
      allowed: true,
      basis: 'administration',
    });
    expect(decidePersonAccess(caller(['platform-admin'], gp), 'read', { ...person, registeredGpOdsCode: undefined })).toMatchObject({
      allowed: false,
    });
  });

  it('refuses a caller without an organisation', () => {
    expect(decidePersonAccess(caller(['clinician'], undefined), 'read', person)).toMatchObject({ allowed: false });
  });
});
