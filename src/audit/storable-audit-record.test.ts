import { describe, expect, it } from 'vitest';
import { auditRecordForAnonymous, type AuditRecord } from './audit-record.js';
import { storableAuditRecord } from './storable-audit-record.js';

const base: AuditRecord = auditRecordForAnonymous({ action: 'sign-in-failed', outcome: 'denied' });

describe('storableAuditRecord', () => {
  it('replaces characters PostgreSQL cannot store or UTF-8 cannot carry', () => {
    const stored = storableAuditRecord({
      ...base,
      actorId: 'ann\0lee',
      breakGlassReason: 'lone \uD800 surrogate, pair \uD83D\uDE91 kept',
      detail: { 'k\0': 'v\uDC00' },
    });
    expect(stored.actorId).toBe('ann\uFFFDlee');
    expect(stored.breakGlassReason).toBe('lone \uFFFD surrogate, pair \uD83D\uDE91 kept');
    expect(stored.detail).toEqual({ 'k\uFFFD': 'v\uFFFD' });
  });

  it('gives detail the form jsonb will give back', () => {
    // As a caller's loosely typed object could be: undefined inside an array, non-finite numbers.
    const loose = { gone: undefined, list: [1, undefined, Number.NaN], nested: { inf: Number.POSITIVE_INFINITY } };
    const stored = storableAuditRecord({ ...base, detail: loose as unknown as AuditRecord['detail'] });
    expect(stored.detail).toEqual({ list: [1, null, null], nested: { inf: null } });
    expect(JSON.parse(JSON.stringify(stored.detail))).toEqual(stored.detail);
  });

  it('refuses detail that is not JSON', () => {
    const notJson = { when: new Date() } as unknown as AuditRecord['detail'];
    expect(() => storableAuditRecord({ ...base, detail: notJson })).toThrow(/only JSON values/);
  });
});
