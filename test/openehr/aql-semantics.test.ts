import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenEhrServices } from '../../src/openehr/service/openehr-services.js';
import type { QueryResult } from '../../src/openehr/service/query-service.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { AUDIT, aqlServices, createAqlEhr, readAqlComposition, uploadAqlTemplate } from './aql-test-data.js';
import { objectIdOf } from '../support/version-uid.js';

type Json = Record<string, unknown>;

const OBSERVATION = 'openEHR-EHR-OBSERVATION.conformance_observation.v0';
const EVENTS = `o/data[at0001]/events[at0002]/data[at0003]`;

/** The conformance composition with our own values in its observation's three events. */
async function compositionWith(events: readonly { duration: string; dateTime: string; date: string }[], name: string): Promise<Json> {
  const composition = await readAqlComposition('conformance_ehrbase.de.v0_max_v2.json');
  (composition.name as Json).value = name;
  const section = (composition.content as Json[])[0] as Json;
  const observation = (section.items as Json[]).find((item) => item.archetype_node_id === OBSERVATION) as Json;
  const written = ((observation.data as Json).events as Json[]).map((event) => (event.data as Json).items as Json[]);
  expect(written).toHaveLength(events.length);
  written.forEach((items, index) => {
    const values = events[index];
    if (!values) return;
    const element = (id: string) => (items.find((item) => item.archetype_node_id === id) as Json).value as Json;
    element('at0018').value = values.duration;
    element('at0011').value = values.dateTime;
    element('at0013').value = values.date;
  });
  return composition;
}

describe(`AQL answers that are always right, on ${backend}`, () => {
  let test: TestDatabase;
  let services: OpenEhrServices;
  let ehr: string;

  const run = (query: string): Promise<QueryResult> =>
    services.queries.execute({ query, parameters: {}, ehrScope: { kind: 'all' }, timeoutMs: 20_000 });
  const column = async (query: string) => (await run(query)).rows.map((row) => row[0]);

  beforeAll(async () => {
    test = await createTestDatabase();
    services = aqlServices(test.db);
    await uploadAqlTemplate(services, 'conformance_ehrbase.de.v0.opt');
    ehr = await createAqlEhr(services, `98${String(Date.now()).slice(-8)}`);
    const first = await compositionWith(
      [
        { duration: 'P2DT11H33M', dateTime: '2022-02-03T04:05:06', date: '2022-02-03' },
        { duration: 'PT1H', dateTime: '2022-03-03T23:30:00-05:00', date: '2022-03-03' },
        { duration: 'PT59H33M', dateTime: '2023-02-03T04:05:06+01:00', date: '2023-02' },
      ],
      'first',
    );
    await services.compositions.create(ehr, first, AUDIT);
    const second = await readAqlComposition('conformance_ehrbase.de.v0_max_v2.json');
    (second.name as Json).value = 'second';
    await services.compositions.create(ehr, second, AUDIT);
  }, 120_000);
  afterAll(() => test.drop());

  describe('durations compare and sort by their length', () => {
    const durations = `SELECT ${EVENTS}/items[at0018]/value/value FROM COMPOSITION c[openEHR-EHR-COMPOSITION.conformance_composition_.v0] CONTAINS OBSERVATION o[${OBSERVATION}]`;

    it('P2DT11H33M is longer than PT1H, and PT59H33M is as long as it', async () => {
      const where = (condition: string) => column(`${durations} WHERE c/name/value = 'first' AND ${condition}`);
      expect((await where(`${EVENTS}/items[at0018]/value > 'PT1H'`)).sort()).toEqual(['P2DT11H33M', 'PT59H33M']);
      expect((await where(`${EVENTS}/items[at0018]/value = 'P2DT11H33M'`)).sort()).toEqual(['P2DT11H33M', 'PT59H33M']);
      expect(await where(`${EVENTS}/items[at0018]/value/value < 'P1D'`)).toEqual(['PT1H']);
      expect(await where(`${EVENTS}/items[at0018]/value <= 'PT3600S'`)).toEqual(['PT1H']);
    });

    it('ORDER BY puts PT1H first, though its text sorts after P2DT11H33M', async () => {
      const rows = await column(`${durations} WHERE c/name/value = 'first' ORDER BY ${EVENTS}/items[at0018]/value ASC`);
      expect(rows[0]).toBe('PT1H');
      expect(rows.slice(1).sort()).toEqual(['P2DT11H33M', 'PT59H33M']);
      const descending = await column(`${durations} WHERE c/name/value = 'first' ORDER BY ${EVENTS}/items[at0018]/value/value DESC`);
      expect(descending[2]).toBe('PT1H');
    });

    it('MAX picks the longest duration', async () => {
      const [max] = await column(
        `SELECT MAX(${EVENTS}/items[at0018]/value) FROM COMPOSITION c CONTAINS OBSERVATION o[${OBSERVATION}] WHERE c/name/value = 'first' AND ${EVENTS}/items[at0018]/value < 'P2DT12H'`,
      );
      expect(max).toMatchObject({ _type: 'DV_DURATION' });
      expect(['P2DT11H33M', 'PT59H33M']).toContain((max as Json).value);
    });
  });

  describe('dates and date-times compare at the coarser granularity', () => {
    const dateTimes = `SELECT ${EVENTS}/items[at0011]/value/value FROM COMPOSITION c CONTAINS OBSERVATION o[${OBSERVATION}]`;
    const where = (condition: string) => column(`${dateTimes} WHERE c/name/value = 'first' AND ${condition}`);

    it('a DV_DATE_TIME against a date-only literal compares its day', async () => {
      expect(await where(`${EVENTS}/items[at0011]/value = '2022-02-03'`)).toEqual(['2022-02-03T04:05:06']);
      // 23:30 at -05:00 is the next day in UTC; its own calendar day is the 3rd.
      expect(await where(`${EVENTS}/items[at0011]/value = '2022-03-03'`)).toEqual(['2022-03-03T23:30:00-05:00']);
      expect(await where(`${EVENTS}/items[at0011]/value > '2022-02-03'`)).toHaveLength(2);
      expect(await where(`${EVENTS}/items[at0011]/value >= '2022-02-03'`)).toHaveLength(3);
    });

    it('a year or a month literal compares at its own granularity', async () => {
      expect((await where(`${EVENTS}/items[at0011]/value = '2022'`)).sort()).toEqual(['2022-02-03T04:05:06', '2022-03-03T23:30:00-05:00']);
      expect(await where(`${EVENTS}/items[at0011]/value > '2022-12'`)).toEqual(['2023-02-03T04:05:06+01:00']);
    });

    it('a DV_DATE, partial or complete, against a date-time literal compares at the date', async () => {
      const dates = `SELECT ${EVENTS}/items[at0013]/value/value FROM COMPOSITION c CONTAINS OBSERVATION o[${OBSERVATION}] WHERE c/name/value = 'first' AND`;
      expect(await column(`${dates} ${EVENTS}/items[at0013]/value < '2022-03-03T00:00:00Z'`)).toEqual(['2022-02-03']);
      expect(await column(`${dates} ${EVENTS}/items[at0013]/value = '2023-02-17T10:00:00Z'`)).toEqual(['2023-02']);
    });

    it('date-times with offsets still compare by instant', async () => {
      // 23:30 -05:00 is 04:30 UTC on the 4th: after 2022-03-04T01:00Z.
      expect(
        await where(`${EVENTS}/items[at0011]/value > '2022-03-04T01:00:00Z' AND ${EVENTS}/items[at0011]/value < '2023-01-01T00:00:00Z'`),
      ).toEqual(['2022-03-03T23:30:00-05:00']);
    });
  });

  describe('OR in a containment: a union across documents, the rows where either is present within one', () => {
    it('never pairs the matches of one composition with those of another', async () => {
      // Within one composition its action and its evaluation belong together: one row holds both.
      const within = await run(
        "SELECT a/name/value, v/name/value FROM COMPOSITION c CONTAINS (ACTION a OR EVALUATION v) WHERE c/name/value = 'first'",
      );
      expect(within.rows).toHaveLength(1);
      expect(within.rows[0]?.every((value) => value !== null)).toBe(true);
      const across = await run('SELECT a/name/value, v/name/value FROM EHR e CONTAINS (ACTION a OR EVALUATION v)');
      expect(across.rows.filter((row) => row[0] !== null && row[1] !== null)).toEqual([]);
      expect(across.rows.filter((row) => row[0] !== null)).toHaveLength(2);
      expect(across.rows.filter((row) => row[1] !== null)).toHaveLength(2);
      // A side without a variable only asks whether the EHR holds such a document: no row per document.
      const filtered = await column(
        'SELECT a/name/value FROM EHR e CONTAINS (ACTION a OR EVALUATION[openEHR-EHR-EVALUATION.conformance_evaluation.v0])',
      );
      expect(filtered).toHaveLength(2);
    });

    it('two compositions under OR give one row per composition, not every pair', async () => {
      const result = await run(
        'SELECT c1/name/value, c2/name/value FROM EHR e CONTAINS (COMPOSITION c1[openEHR-EHR-COMPOSITION.conformance_composition_.v0] OR COMPOSITION c2[openEHR-EHR-COMPOSITION.conformance_composition_.v0])',
      );
      expect(result.rows).toHaveLength(4);
      expect(result.rows.filter((row) => row[0] !== null && row[1] !== null)).toEqual([]);
      expect(result.ehrIds).toEqual([ehr]);
    });

    it('nested ORs stay a union at every depth', async () => {
      const result = await run(
        'SELECT a/name/value, v/name/value, i/name/value FROM EHR e CONTAINS (ACTION a OR (EVALUATION v OR INSTRUCTION i))',
      );
      expect(result.rows).toHaveLength(6);
      for (const row of result.rows) expect(row.filter((value) => value !== null)).toHaveLength(1);
    });
  });

  it('matches c/uid/value against the object id the REST API hands out', async () => {
    const [uid] = await column("SELECT c/uid/value FROM COMPOSITION c WHERE c/name/value = 'first'");
    const objectId = objectIdOf(uid);
    expect(await column(`SELECT c/uid/value FROM COMPOSITION c WHERE c/uid/value = '${objectId}'`)).toEqual([uid]);
    expect(await column(`SELECT c/uid/value FROM COMPOSITION c WHERE c/uid/value != '${objectId}'`)).not.toContain(uid);
    expect(await column(`SELECT c/uid/value FROM COMPOSITION c WHERE c/uid/value = '${String(uid)}'`)).toEqual([uid]);
  });
});
