import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';

const API = '/openehr/v1';
/** A stand-in for clinical text: it must never appear in a log line. */
const CLINICAL_TEXT = 'Patient fears needles after sepsis admission';

/** Each input here answered 500 before the shared guards (issue #15); each must now be a 4xx that changes nothing. */
describe(`hostile input that used to answer 500, on ${backend}`, () => {
  let test: TestApp;
  let ehrId: string;
  let composition: Record<string, unknown>;
  let versionsBefore: number;

  beforeAll(async () => {
    test = await createTestApp();
    const opt = await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`);
    await test.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      payload: opt,
    });
    composition = await readOpenEhrJson(`${SDK}composition/canonical_json/minimal_evaluation.json`);
    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    ehrId = String(ehr.headers['location']).split('/ehr/')[1] ?? '';
    versionsBefore = await countVersions();
  });
  afterAll(() => test.close());

  const countVersions = async () =>
    Number((await test.database.db.query<{ n: number }>('SELECT count(*) AS n FROM object_version')).rows[0]?.n);

  /** The composition with `text` as its name (and so inside the stored jsonb). */
  const withName = (text: string) => JSON.stringify({ ...composition, name: { _type: 'DV_TEXT', value: text } });

  const commit = (payload: string, query = '') =>
    test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition${query}`,
      headers: { 'content-type': 'application/json' },
      payload,
    });

  it('refuses NUL in a composition with 400 in the openEHR format, and logs none of its text', async () => {
    const response = await commit(withName(`${CLINICAL_TEXT}\u0000`));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad-request', validationErrors: [expect.stringContaining('/name/value')] });
    expect(JSON.stringify(test.logLines)).not.toContain('sepsis');
  });

  it('refuses a lone UTF-16 surrogate', async () => {
    const response = await commit(withName(`${CLINICAL_TEXT} \ud800 alone`));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/surrogate/);
  });

  it('refuses JSON nested thousands deep', async () => {
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const response = await commit(deep);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/nested more than 100 levels/);
  });

  it('refuses a STRUCTURED composition nested thousands deep', async () => {
    const deep = `${'{"minimal":['.repeat(3_000)}1${']}'.repeat(3_000)}`;
    const response = await commit(deep, '?format=STRUCTURED&templateId=openEHR-EHR-COMPOSITION.minimal.v1');
    expect(response.statusCode).toBe(400);
  });

  it.each([
    ['sent as NUL', "'\u0000'"],
    ['written as an AQL escape', "'\\u0000'"],
  ])('refuses NUL in a stored query (%s)', async (_, literal) => {
    const response = await test.inject({
      method: 'PUT',
      url: `${API}/definition/query/org.example::nul/1.0.0`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ q: `SELECT e/ehr_id/value FROM EHR e WHERE e/ehr_id/value = ${literal}` }),
    });
    // AQL text with an escape is text like any other; it is running it that would put a NUL in a statement.
    if (literal.includes('\u0000')) expect(response.statusCode).toBe(400);
    else expect(response.statusCode).toBe(200);
    const run = await test.inject({
      method: 'POST',
      url: `${API}/query/aql`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ q: `SELECT e/ehr_id/value FROM EHR e WHERE e/ehr_id/value = ${literal}` }),
    });
    // A NUL is refused; an escape the lexer keeps as text matches nothing; neither is a server error.
    if (literal.includes('\u0000')) expect(run.statusCode).toBe(400);
    expect(run.statusCode).toBeLessThan(500);
  });

  it('refuses NUL in a query parameter', async () => {
    const response = await test.inject({ method: 'GET', url: `${API}/query/aql?q=SELECT%20e%2Fehr_id%2Fvalue%20FROM%20EHR%20e%00` });
    expect(response.statusCode).toBe(400);
  });

  it('answers an AQL query with ten thousand flat OR terms with 400, not a stack overflow', async () => {
    const terms = Array.from({ length: 10_000 }, (_, i) => `e/ehr_id/value = '${i}'`).join(' OR ');
    const response = await test.inject({
      method: 'POST',
      url: `${API}/query/aql`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ q: `SELECT e/ehr_id/value FROM EHR e WHERE ${terms}` }),
    });
    expect(response.statusCode).toBe(400);
  });

  it('wrote nothing for any of them', async () => {
    expect(await countVersions()).toBe(versionsBefore);
  });
});
