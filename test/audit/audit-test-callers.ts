import { systemCaller, type Caller } from '../../src/access/caller.js';
import { permissionsOf, type Role } from '../../src/access/roles.js';

/** Synthetic callers; NHS numbers used with them are from the 999 test range. */
export function clinician(overrides: Partial<Caller> = {}): Caller {
  const roles: Role[] = ['clinician'];
  return {
    kind: 'user',
    id: 'user-ann-lee',
    displayName: 'Dr Ann Lee',
    organisation: {
      odsCode: 'RRU',
      name: 'London Ambulance Service',
      kind: 'ambulance-service',
      ics: 'NCL',
      dataSecurityStatus: 'standards-met',
    },
    roles,
    permissions: permissionsOf(roles),
    scopes: undefined,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    breakGlassReason: undefined,
    purposeOfUse: 'direct-care',
    clientAddress: '10.1.2.3',
    sessionId: 'session-1',
    ...overrides,
  };
}

export function gp(overrides: Partial<Caller> = {}): Caller {
  return clinician({
    id: 'user-raj-patel',
    displayName: 'Dr Raj Patel',
    organisation: {
      odsCode: 'F84003',
      name: 'Lower Clapton Group Practice',
      kind: 'gp-practice',
      ics: 'NEL',
      dataSecurityStatus: 'standards-met',
    },
    clientAddress: '10.9.8.7',
    ...overrides,
  });
}

export { systemCaller };
