import { describe, expect, it } from 'vitest';
import type { Caller, CallerOrganisation } from './caller.js';
import { decideQueryScope } from './query-scope.js';
import { permissionsOf, ROLES, type Role } from './roles.js';

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

describe('decideQueryScope', () => {
  it('limits a patient to their own record', () => {
    expect(decideQueryScope(caller(['patient'], undefined, { ownNhsNumber: '9990000018' }))).toEqual({
      allowed: true,
      kind: 'self',
      nhsNumber: '9990000018',
      explanation: 'a person querying their own record',
    });
  });

  it('refuses a person with an own record but no right to read it, whatever else they hold', () => {
    expect(decideQueryScope(caller(['platform-admin'], undefined, { ownNhsNumber: '9990000018' }))).toMatchObject({ allowed: false });
  });

  it('lets a platform admin (population:query) query everyone, naming the purpose', () => {
    const scope = decideQueryScope(caller(['platform-admin'], undefined, { purposeOfUse: 'administration' }));
    expect(scope).toMatchObject({ allowed: true, kind: 'all', basis: 'population-query' });
    expect(scope.explanation).toContain('administration');
  });

  it('lets a machine client administering records query everyone', () => {
    const client = caller([], undefined, { kind: 'client', permissions: new Set(['records:administer']) });
    expect(decideQueryScope(client)).toMatchObject({ allowed: true, kind: 'all', basis: 'administration' });
  });

  it('does not let a person with records:administer (which only clients use) query everyone', () => {
    const person = caller(['viewer'], gp, { permissions: new Set(['records:administer', 'plan:read']) });
    expect(decideQueryScope(person)).toMatchObject({ allowed: true, kind: 'related', odsCode: 'F84001' });
  });

  it.each(['viewer', 'contributor', 'clinician', 'senior-clinician'] as const)(
    'limits a %s to the people related to their organisation',
    (role) => {
      expect(decideQueryScope(caller([role], gp))).toEqual({
        allowed: true,
        kind: 'related',
        odsCode: 'F84001',
        launchNhsNumber: undefined,
        explanation: 'people in a care-team or registered-GP relationship with F84001',
      });
    },
  );

  it('adds the person in launch context', () => {
    expect(decideQueryScope(caller(['clinician'], gp, { launchContextNhsNumber: '9990000026' }))).toMatchObject({
      kind: 'related',
      launchNhsNumber: '9990000026',
    });
  });

  it('gives an ambulance service only its relationships: standing emergency access is not a population', () => {
    expect(decideQueryScope(caller(['viewer'], ambulance))).toMatchObject({ allowed: true, kind: 'related', odsCode: 'RRU' });
  });

  it('refuses a care role in an organisation below the data-security standards, or in none', () => {
    expect(decideQueryScope(caller(['clinician'], careHome))).toEqual({
      allowed: false,
      explanation: 'Maple Care Home (CH001) does not meet the data security standards (approaching-standards)',
    });
    expect(decideQueryScope(caller(['clinician'], undefined))).toEqual({
      allowed: false,
      explanation: 'the caller acts for no organisation',
    });
  });

  it.each(['org-admin', 'auditor'] as const)('refuses an %s', (role) => {
    expect(decideQueryScope(caller([role], gp))).toEqual({
      allowed: false,
      explanation: `the role(s) ${role} grant neither plan:read nor population:query`,
    });
  });

  it('decides for every role', () => {
    for (const role of ROLES) {
      const scope = decideQueryScope(caller([role], gp, role === 'patient' ? { ownNhsNumber: '9990000018' } : {}));
      expect(scope.explanation.length, role).toBeGreaterThan(10);
    }
  });
});
