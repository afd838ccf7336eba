import { describe, expect, it } from 'vitest';
import type { Caller } from '../access/caller.js';
import { permissionsOf, type Role } from '../access/roles.js';
import { decideUserAdministration, type UserAdministrationAction } from './user-administration-policy.js';

function admin(roles: Role[], odsCode: string | undefined, id = 'admin-1'): Caller {
  return {
    kind: 'user',
    id,
    displayName: 'Admin',
    organisation: odsCode
      ? { odsCode, name: odsCode, kind: 'gp-practice', ics: 'North East London', dataSecurityStatus: 'standards-met' }
      : undefined,
    roles,
    permissions: permissionsOf(roles),
    scopes: undefined,
    launchContextNhsNumber: undefined,
    ownNhsNumber: undefined,
    breakGlassReason: undefined,
    purposeOfUse: 'administration',
    clientAddress: undefined,
    sessionId: undefined,
  };
}

const member = (id: string, odsCode: string, roles: Role[] = ['clinician']) => ({ id, memberships: [{ odsCode, roles }] });
const ACTIONS: UserAdministrationAction[] = ['disable', 'enable', 'unlock', 'reset-second-factor', 'remove-role'];

describe('who may administer whose account', () => {
  it("lets an organisation's administrator act on its members, and nobody else's", () => {
    for (const action of ACTIONS) {
      expect(decideUserAdministration(admin(['org-admin'], 'GP1'), member('u', 'GP1'), action)).toEqual({ allowed: true });
      expect(decideUserAdministration(admin(['org-admin'], 'GP1'), member('u', 'GP2'), action)).toMatchObject({
        allowed: false,
        explanation: expect.stringContaining('not a member of GP1'),
      });
    }
  });

  it('refuses every change to your own account, but lets you see it', () => {
    for (const action of ACTIONS) {
      expect(decideUserAdministration(admin(['platform-admin'], 'GP1', 'me'), member('me', 'GP1'), action)).toMatchObject({
        allowed: false,
        explanation: expect.stringContaining('nobody changes their own account'),
      });
    }
    expect(decideUserAdministration(admin(['org-admin'], 'GP1', 'me'), member('me', 'GP1'), 'view')).toEqual({ allowed: true });
  });

  it("keeps platform administrators' accounts to platform administrators", () => {
    const operator = member('op', 'GP1', ['platform-admin']);
    expect(decideUserAdministration(admin(['org-admin'], 'GP1'), operator, 'disable')).toMatchObject({ allowed: false });
    expect(decideUserAdministration(admin(['platform-admin'], 'GP1'), operator, 'disable')).toEqual({ allowed: true });
  });

  it('lets a platform administrator act on anyone, but remove roles only where they act', () => {
    const platform = admin(['platform-admin'], 'UCP');
    expect(decideUserAdministration(platform, member('u', 'GP2'), 'disable')).toEqual({ allowed: true });
    expect(decideUserAdministration(platform, member('u', 'GP2'), 'remove-role')).toMatchObject({ allowed: false });
  });

  it('refuses callers without org:manage-users, and administrators acting for no organisation', () => {
    expect(decideUserAdministration(admin(['clinician'], 'GP1'), member('u', 'GP1'), 'view')).toMatchObject({
      allowed: false,
      explanation: expect.stringContaining('org:manage-users'),
    });
    expect(decideUserAdministration(admin(['org-admin'], undefined), member('u', 'GP1'), 'unlock')).toMatchObject({ allowed: false });
  });
});
