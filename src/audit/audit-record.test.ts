import { describe, expect, it } from 'vitest';
import { clinician, systemCaller } from '../../test/audit/audit-test-callers.js';
import { auditRecordFor, auditRecordForAnonymous } from './audit-record.js';

describe('audit records', () => {
  it('take who, role, organisation, purpose and address from the caller', () => {
    const record = auditRecordFor(clinician({ breakGlassReason: 'patient unconscious, no plan shared' }), {
      action: 'read',
      nhsNumber: '9990001234',
      ehrId: 'e1',
      resource: { type: 'COMPOSITION', id: 'c1::ucp.local::1' },
      detail: { status: 200 },
    });
    expect(record).toEqual({
      action: 'read',
      outcome: 'success',
      actorId: 'user-ann-lee',
      actorKind: 'user',
      actorDisplayName: 'Dr Ann Lee',
      roles: ['clinician'],
      odsCode: 'RRU',
      purposeOfUse: 'direct-care',
      breakGlassReason: 'patient unconscious, no plan shared',
      clientAddress: '10.1.2.3',
      nhsNumber: '9990001234',
      ehrId: 'e1',
      resourceType: 'COMPOSITION',
      resourceId: 'c1::ucp.local::1',
      detail: { status: 200 },
    });
  });

  it("record a client's scopes and a system job without organisation", () => {
    const client = auditRecordFor(clinician({ kind: 'client', id: 'ehr-app', scopes: ['patient/*.read'] }), {
      action: 'query',
      outcome: 'denied',
    });
    expect(client).toMatchObject({ actorKind: 'client', outcome: 'denied', detail: { scopes: ['patient/*.read'] } });
    const job = auditRecordFor(systemCaller('seed'), { action: 'create' });
    expect(job).toMatchObject({ actorId: 'system:seed', actorKind: 'system', odsCode: undefined, roles: [] });
  });

  it('record a failed sign-in without an identified caller', () => {
    expect(
      auditRecordForAnonymous({ action: 'sign-in-failed', outcome: 'denied', claimedId: 'ann', clientAddress: '192.0.2.1' }),
    ).toMatchObject({ actorId: 'ann', actorKind: 'anonymous', roles: [], clientAddress: '192.0.2.1', detail: {} });
    expect(auditRecordForAnonymous({ action: 'sign-in-failed', outcome: 'denied' }).actorId).toBe('anonymous');
  });
});
