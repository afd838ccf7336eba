import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash } from '../../src/audit/audit-hash.js';
import { appendAuditNow } from '../../src/audit/audit-log.js';
import { auditRecordFor, auditRecordForAnonymous, type AuditEntry } from '../../src/audit/audit-record.js';
import { AUDIT_COLUMNS, auditEntryFromRow, type AuditRow } from '../../src/audit/audit-row.js';
import { sealAuditRows } from '../../src/audit/audit-seal.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asTamperer } from './audit-tamper.js';
import { clinician, gp } from './audit-test-callers.js';

const ROWS = 12;
/** Rows 1–SEALED are sealed (two seals); the rest are in the window before sealing. */
const SEALED = 8;

describe(`audit chain verification on ${backend}`, () => {
  let test: TestDatabase;
  let entries: AuditEntry[];
  beforeAll(async () => {
    test = await createTestDatabase();
    entries = [];
    for (let index = 0; index < ROWS; index += 1) {
      const caller = index % 2 === 0 ? clinician() : gp({ breakGlassReason: 'no answer from GP surgery' });
      entries.push(
        await appendAuditNow(
          test.db,
          auditRecordFor(caller, {
            action: index % 3 === 0 ? 'update' : 'read',
            nhsNumber: '9990001234',
            resource: { type: 'COMPOSITION', id: `c${index}::ucp.local::1` },
            detail: { index, tags: ['a', 'b'] },
          }),
        ),
      );
    }
    await sealAuditRows(test.db, 4);
    await sealAuditRows(test.db, SEALED);
  });
  afterAll(() => test.drop());

  it('finds an empty log intact', async () => {
    const empty = await createTestDatabase();
    try {
      expect(await verifyAuditChain(empty.db)).toEqual({
        ok: true,
        checked: 0,
        head: undefined,
        seals: 0,
        sealHead: undefined,
        unsealed: 0,
      });
    } finally {
      await empty.drop();
    }
  });

  it('proves an untouched chain, batch by batch, and names its head', async () => {
    const last = entries.at(-1);
    for (const batchSize of [1, 5, 1000]) {
      expect(await verifyAuditChain(test.db, { batchSize })).toMatchObject({
        ok: true,
        checked: ROWS,
        head: { seq: last?.seq, hash: last?.hash },
        seals: 2,
        sealHead: { sealNo: 2, toSeq: SEALED },
        unsealed: ROWS - SEALED,
      });
    }
    expect(await verifyAuditChain(test.db, { fromSeq: 9, batchSize: 2 })).toMatchObject({ ok: true, checked: ROWS - 8 });
  });

  it.each([
    ['client_address', "client_address = '10.66.66.66'"],
    ['nhs_number', "nhs_number = '9990009999'"],
    ['actor_id', "actor_id = 'someone-else'"],
    ['outcome', "outcome = 'denied'"],
    ['roles', "roles = ARRAY['auditor']"],
    ['break_glass_reason', "break_glass_reason = 'invented afterwards'"],
    ['recorded_at', "recorded_at = recorded_at + interval '1 millisecond'"],
    ['detail', `detail = jsonb_set(detail, '{index}', '99')`],
  ])('names the row whose %s was changed', async (_column, assignment) => {
    const result = await asTamperer(test.db, async (tx) => {
      await tx.query(`UPDATE audit_log SET ${assignment} WHERE seq = 5`);
      return verifyAuditChain(tx, { batchSize: 4 });
    });
    expect(result).toMatchObject({ ok: false, seq: 5, problem: 'content-altered', checked: 4 });
    if (!result.ok) expect(result.message).toMatch(/^row 5 was changed/);
    expect((await verifyAuditChain(test.db)).ok).toBe(true);
  });

  it('finds a changed row even when its hash was recomputed to match', async () => {
    const result = await asTamperer(test.db, async (tx) => {
      const { rows } = await tx.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq = 7`);
      const row = rows[0];
      if (!row) throw new Error('row 7 is missing');
      const { hash: _old, ...content } = { ...auditEntryFromRow(row), actorId: 'someone-else' };
      await tx.query('UPDATE audit_log SET actor_id = $1, hash = $2 WHERE seq = 7', [content.actorId, auditHash(content)]);
      return verifyAuditChain(tx);
    });
    expect(result).toMatchObject({ ok: false, seq: 5, problem: 'seal-mismatch' });
  });

  it('finds a row slipped into a sealed range', async () => {
    const result = await asTamperer(test.db, async (tx) => {
      const { rows } = await tx.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq = 2`);
      const row = rows[0];
      if (!row) throw new Error('row 2 is missing');
      // Make room at seq 2 (as a rolled-back append leaves a hole), then fill it with a forged row.
      await tx.query('DELETE FROM audit_log WHERE seq = 2');
      const { hash: _old, ...content } = { ...auditEntryFromRow(row), actorId: 'forger' };
      // A forged row with a hash that matches its content: only the seal shows it does not belong.
      await tx.query(
        `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (2, $1::timestamptz, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, NULL, $17)`,
        [
          content.recordedAt,
          content.action,
          content.outcome,
          content.actorId,
          content.actorKind,
          content.actorDisplayName ?? null,
          content.roles,
          content.odsCode ?? null,
          content.purposeOfUse ?? null,
          content.breakGlassReason ?? null,
          content.clientAddress ?? null,
          content.nhsNumber ?? null,
          content.ehrId ?? null,
          content.resourceType ?? null,
          content.resourceId ?? null,
          JSON.stringify(content.detail),
          auditHash(content),
        ],
      );
      return verifyAuditChain(tx);
    });
    expect(result).toMatchObject({ ok: false, seq: 1, problem: 'seal-mismatch' });
  });

  it('finds a changed seal, and a removed one', async () => {
    const changed = await asTamperer(test.db, async (tx) => {
      await tx.exec('ALTER TABLE audit_seal DISABLE TRIGGER USER');
      await tx.query('UPDATE audit_seal SET tree_head = $1 WHERE seal_no = 1', ['e'.repeat(64)]);
      return verifyAuditChain(tx);
    });
    expect(changed).toMatchObject({ ok: false, seq: 1, problem: 'seal-broken' });
    const removed = await asTamperer(test.db, async (tx) => {
      await tx.exec('ALTER TABLE audit_seal DISABLE TRIGGER USER');
      await tx.query('DELETE FROM audit_seal WHERE seal_no = 1');
      return verifyAuditChain(tx);
    });
    expect(removed).toMatchObject({ ok: false, problem: 'seal-broken' });
  });

  it('finds a deleted row', async () => {
    const result = await asTamperer(test.db, async (tx) => {
      await tx.query('DELETE FROM audit_log WHERE seq = 3');
      return verifyAuditChain(tx);
    });
    expect(result).toMatchObject({ ok: false, seq: 1, problem: 'seal-mismatch', checked: 3 });
    if (!result.ok) expect(result.message).toMatch(/^the rows 1–4 are not those seal 1 sealed \(3 rows now, 4 sealed\)/);
  });

  it('finds rows renumbered to hide a deletion', async () => {
    const result = await asTamperer(test.db, async (tx) => {
      await tx.query('DELETE FROM audit_log WHERE seq = 3');
      await tx.query('UPDATE audit_log SET seq = seq - 1 WHERE seq > 3');
      return verifyAuditChain(tx);
    });
    // Positions are part of a sealed row's content: a renumbered row no longer gives its hash.
    expect(result).toMatchObject({ ok: false, seq: 3, problem: 'content-altered' });
  });

  it('finds the newest rows removed only against a kept anchor', async () => {
    const head = entries.at(-1);
    if (!head) throw new Error('no rows');
    const anchor = { seq: head.seq, hash: head.hash };
    const [withoutAnchor, withAnchor] = await asTamperer(test.db, async (tx) => {
      await tx.query('DELETE FROM audit_log WHERE seq >= $1', [head.seq - 1]);
      return Promise.all([verifyAuditChain(tx), verifyAuditChain(tx, { anchor })]);
    });
    expect(withoutAnchor).toMatchObject({ ok: true, checked: ROWS - 2 });
    expect(withAnchor).toMatchObject({ ok: false, seq: head.seq, problem: 'anchor-mismatch' });
    expect(await verifyAuditChain(test.db, { anchor })).toMatchObject({ ok: true });
    expect(await verifyAuditChain(test.db, { anchor: { seq: head.seq, hash: 'e'.repeat(64) } })).toMatchObject({
      ok: false,
      problem: 'anchor-mismatch',
    });
  });

  it('reports a row that cannot be read as an entry', async () => {
    const result = await asTamperer(test.db, async (tx) => {
      await tx.query(`UPDATE audit_log SET detail = '[1, 2]' WHERE seq = 2`);
      return verifyAuditChain(tx);
    });
    expect(result).toMatchObject({ ok: false, seq: 2, problem: 'unreadable' });
  });

  it('goes on verifying rows appended after tampering was looked for', async () => {
    await appendAuditNow(test.db, auditRecordForAnonymous({ action: 'sign-in-failed', outcome: 'denied', claimedId: 'x' }));
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: true, checked: ROWS + 1 });
  });
});
