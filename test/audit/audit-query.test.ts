import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditNow } from '../../src/audit/audit-log.js';
import { queryAudit, type AuditQuery } from '../../src/audit/audit-query.js';
import { auditRecordFor, type AuditEntry } from '../../src/audit/audit-record.js';
import { AppError } from '../../src/errors/app-error.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { clinician, gp } from './audit-test-callers.js';

const ANN = clinician();
const RAJ = gp();
const PEOPLE = ['9990001234', '9990002345', '9990003456'] as const;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`auditor's queries on ${backend}`, () => {
  let test: TestDatabase;
  let all: AuditEntry[];
  beforeAll(async () => {
    test = await createTestDatabase();
    all = [];
    for (let index = 0; index < 18; index += 1) {
      const caller = index % 3 === 0 ? RAJ : ANN;
      all.push(
        await appendAuditNow(
          test.db,
          auditRecordFor(caller, {
            action: index % 4 === 0 ? 'update' : 'read',
            nhsNumber: PEOPLE[index % PEOPLE.length],
            detail: { index },
          }),
        ),
      );
      // Spread the rows over time, so that a time window cuts between them.
      if (index % 6 === 5) await delay(15);
    }
  });
  afterAll(() => test.drop());

  const newestFirst = (entries: AuditEntry[]) => [...entries].sort((a, b) => b.seq - a.seq);
  const seqs = (entries: AuditEntry[]) => entries.map((entry) => entry.seq);

  async function everyPage(query: Omit<AuditQuery, 'cursor'>): Promise<AuditEntry[][]> {
    const pages: AuditEntry[][] = [];
    let cursor: string | undefined;
    do {
      const page = await queryAudit(test.db, { ...query, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page.entries);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return pages;
  }

  it('finds everything that touched one person, newest first', async () => {
    const page = await queryAudit(test.db, { nhsNumber: PEOPLE[1], limit: 100 });
    expect(seqs(page.entries)).toEqual(seqs(newestFirst(all.filter((entry) => entry.nhsNumber === PEOPLE[1]))));
    expect(page.entries).toHaveLength(6);
    expect(page.nextCursor).toBeUndefined();
  });

  it('finds what one user did, and what one organisation did', async () => {
    const byUser = await queryAudit(test.db, { actorId: RAJ.id, limit: 100 });
    expect(seqs(byUser.entries)).toEqual(seqs(newestFirst(all.filter((entry) => entry.actorId === RAJ.id))));
    const byOrganisation = await queryAudit(test.db, { odsCode: 'RRU', limit: 100 });
    expect(seqs(byOrganisation.entries)).toEqual(seqs(newestFirst(all.filter((entry) => entry.odsCode === 'RRU'))));
    expect(byOrganisation.entries.every((entry) => entry.actorId === ANN.id)).toBe(true);
  });

  it('combines filters', async () => {
    const page = await queryAudit(test.db, { actorId: RAJ.id, nhsNumber: PEOPLE[0], action: 'update', limit: 100 });
    const expected = all.filter((e) => e.actorId === RAJ.id && e.nhsNumber === PEOPLE[0] && e.action === 'update');
    expect(expected.length).toBeGreaterThan(0);
    expect(seqs(page.entries)).toEqual(seqs(newestFirst(expected)));
  });

  it('finds the rows of a time window: from inclusive, to exclusive', async () => {
    const from = all[6]?.recordedAt ?? '';
    const to = all[12]?.recordedAt ?? '';
    expect(Date.parse(from)).toBeLessThan(Date.parse(to));
    const page = await queryAudit(test.db, { from: new Date(from), to: new Date(to), limit: 100 });
    const expected = all.filter((entry) => entry.recordedAt >= from && entry.recordedAt < to);
    expect(seqs(page.entries)).toEqual(seqs(newestFirst(expected)));
    expect(seqs(page.entries)).toContain(all[6]?.seq);
    expect(seqs(page.entries)).not.toContain(all[12]?.seq);
  });

  it('pages through with a cursor, without overlap or gap, while the log grows', async () => {
    const first = await queryAudit(test.db, { actorId: ANN.id, limit: 5 });
    expect(first.entries).toHaveLength(5);
    expect(first.nextCursor).toBe(String(first.entries[4]?.seq));
    await appendAuditNow(test.db, auditRecordFor(ANN, { action: 'read', nhsNumber: PEOPLE[0] }));
    const rest = await everyPage({ actorId: ANN.id, limit: 5 });
    const paged = [...first.entries, ...(await queryAudit(test.db, { actorId: ANN.id, limit: 100, cursor: first.nextCursor })).entries];
    expect(seqs(paged)).toEqual(seqs(newestFirst(all.filter((entry) => entry.actorId === ANN.id))));
    expect(rest.flat()).toHaveLength(all.filter((entry) => entry.actorId === ANN.id).length + 1);
    expect(rest.map((page) => page.length)).toEqual([5, 5, 3]);
  });

  it('refuses a bad limit, cursor or time', async () => {
    for (const query of [
      { limit: 0 },
      { limit: 1001 },
      { limit: 1.5 },
      { limit: 10, cursor: 'abc' },
      { limit: 10, cursor: '0' },
      { limit: 10, from: new Date('not a date') },
    ]) {
      const failure = await queryAudit(test.db, query).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe('bad-request');
    }
  });
});
