import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditContentText,
  auditHash,
  auditHashAtPosition,
  auditTextAroundPosition,
  auditTextAtPosition,
  GENESIS_HASH,
  type AuditContent,
} from './audit-hash.js';
import type { ReadonlyJsonValue } from '../shared/json.js';

const content: AuditContent = {
  seq: 7,
  recordedAt: '2026-11-25T10:15:30.123Z',
  action: 'read',
  outcome: 'success',
  actorId: 'user-ann-lee',
  actorKind: 'user',
  actorDisplayName: 'Dr Ann Lee',
  roles: ['clinician'],
  odsCode: 'RRU',
  purposeOfUse: 'direct-care',
  breakGlassReason: undefined,
  clientAddress: '10.1.2.3',
  nhsNumber: '9990001234',
  ehrId: '7d44b88c-4199-4bad-97dc-d78268e01398',
  resourceType: 'COMPOSITION',
  resourceId: '8849182c-82ad-4088-a07f-48ead4180515::ucp.local::1',
  detail: { status: 200 },
  prevHash: 'a'.repeat(64),
};

describe('audit row hash', () => {
  it('is SHA-256 in lower-case hex, and the same for the same content', () => {
    expect(auditHash(content)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash({ ...content })).toBe(auditHash(content));
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('covers every column, including the previous hash', () => {
    const changes: Partial<AuditContent>[] = [
      { seq: 8 },
      { recordedAt: '2026-11-25T10:15:30.124Z' },
      { action: 'update' },
      { outcome: 'denied' },
      { actorId: 'user-ann-lees' },
      { actorKind: 'client' },
      { actorDisplayName: 'Dr A Lee' },
      { roles: ['clinician', 'auditor'] },
      { odsCode: 'RRV' },
      { purposeOfUse: 'emergency-care' },
      { breakGlassReason: 'unconscious' },
      { clientAddress: '10.1.2.4' },
      { nhsNumber: '9990001235' },
      { ehrId: undefined },
      { resourceType: 'EHR_STATUS' },
      { resourceId: '8849182c-82ad-4088-a07f-48ead4180515::ucp.local::2' },
      { detail: { status: 201 } },
      { prevHash: 'b'.repeat(64) },
    ];
    const original = auditHash(content);
    const hashes = changes.map((change) => auditHash({ ...content, ...change }));
    for (const hash of hashes) expect(hash).not.toBe(original);
    expect(new Set(hashes).size).toBe(changes.length);
  });

  it('cannot be fooled by moving text between neighbouring fields', () => {
    const a = auditHash({ ...content, resourceType: 'COMP', resourceId: 'OSITION1' });
    const b = auditHash({ ...content, resourceType: 'COMPOSITION', resourceId: '1' });
    expect(a).not.toBe(b);
    const c = auditHash({ ...content, actorId: 'ann', actorDisplayName: undefined });
    const d = auditHash({ ...content, actorId: 'ann', actorDisplayName: '' });
    expect(c).not.toBe(d);
    expect(auditHash({ ...content, roles: ['a,b'] })).not.toBe(auditHash({ ...content, roles: ['a', 'b'] }));
    expect(auditHash({ ...content, odsCode: undefined, nhsNumber: 'RRU' })).not.toBe(
      auditHash({ ...content, odsCode: 'RRU', nhsNumber: undefined }),
    );
  });

  it('does not depend on the key order of the detail object', () => {
    const a = auditHash({ ...content, detail: { x: 1, y: { b: 2, a: 1 } } });
    const b = auditHash({ ...content, detail: { y: { a: 1, b: 2 }, x: 1 } });
    expect(a).toBe(b);
  });

  it('has a stable, documented text form', () => {
    expect(auditContentText(content)).toBe(
      '{"action":"read","actorDisplayName":"Dr Ann Lee","actorId":"user-ann-lee","actorKind":"user",' +
        '"breakGlassReason":null,"clientAddress":"10.1.2.3","detail":{"status":200},' +
        '"ehrId":"7d44b88c-4199-4bad-97dc-d78268e01398","format":"ucp-audit/1","nhsNumber":"9990001234",' +
        '"odsCode":"RRU","outcome":"success","prevHash":"' +
        'a'.repeat(64) +
        '","purposeOfUse":"direct-care","recordedAt":"2026-11-25T10:15:30.123Z",' +
        '"resourceId":"8849182c-82ad-4088-a07f-48ead4180515::ucp.local::1","resourceType":"COMPOSITION",' +
        '"roles":["clinician"],"seq":7}',
    );
  });

  it('leaves holes for the position and the time exactly where the canonical text has them', () => {
    const optional = fc.option(fc.string(), { nil: undefined });
    const json: fc.Arbitrary<ReadonlyJsonValue> = fc.jsonValue() as fc.Arbitrary<ReadonlyJsonValue>;
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          recordedAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          actorId: fc.string(),
          actorDisplayName: optional,
          roles: fc.array(fc.string()),
          resourceId: optional,
          // Text that looks like the holes' neighbours must not be taken for them.
          breakGlassReason: fc.constantFrom(undefined, '"seq":', '"recordedAt":"', '}'),
          detail: fc.dictionary(fc.string(), json),
        }),
        (varied) => {
          const row: AuditContent = { ...content, prevHash: undefined, ...varied };
          const text = auditTextAroundPosition(row);
          const filled = `${text.beforeRecordedAt}${JSON.stringify(row.recordedAt)}${text.beforeSeq}${row.seq}${text.after}`;
          expect(filled).toBe(auditContentText(row));
          expect(auditTextAtPosition(text, row.seq, row.recordedAt)).toBe(filled);
          expect(auditHashAtPosition(text, row.seq, row.recordedAt)).toBe(auditHash(row));
        },
      ),
    );
  });
});
