import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { readOpenEhrFixture, SDK } from '../support/fixtures.js';
import { FUZZ_RUNS, fuzzParameters, mutationsOf, nastyJsonText, nastyString } from './hostile-arbitraries.js';

const API = '/openehr/v1';

/**
 * The public HTTP entries under hostile bodies, query strings and headers: every answer is below
 * 500, in the API's own format, and every refusal leaves the store as it was. The HTTP targets
 * are slower than the parsers, so they run a tenth of FUZZ_RUNS (10,000 under `npm run fuzz`).
 */
const HTTP_RUNS = Math.max(25, Math.floor(FUZZ_RUNS / 10));

function isHeaderCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code === 9 || (code >= 0x20 && code <= 0xff && code !== 0x7f);
}

/**
 * Percent-encodes any JavaScript string, lone surrogates included: those go as the bytes a
 * careless client would send for them (generalised UTF-8, not valid UTF-8), which is exactly the
 * kind of query string the server must answer clearly. encodeURIComponent refuses them.
 */
function percentEncodeAnything(text: string): string {
  let encoded = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      encoded += encodeURIComponent(character);
    }
  }
  return encoded;
}

describe(`hostile requests to the public entries on ${backend}`, () => {
  let test: TestApp;
  let ehrId: string;
  let optText: string;

  beforeAll(async () => {
    test = await createTestApp();
    optText = await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`);
    await test.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      payload: optText,
    });
    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    ehrId = String(ehr.headers['location']).split('/ehr/')[1] ?? '';
  });
  afterAll(() => test.close());

  /** Rows of everything a request could write (the audit trail grows with refusals by design). */
  async function storeState(): Promise<string> {
    const { rows } = await test.database.db.query(
      `SELECT (SELECT count(*) FROM object_version) AS versions, (SELECT count(*) FROM ehr) AS ehrs,
              (SELECT count(*) FROM template) AS templates, (SELECT count(*) FROM stored_query) AS queries,
              (SELECT count(*) FROM app_user) AS users, (SELECT count(*) FROM user_session) AS sessions`,
    );
    return JSON.stringify(rows[0]);
  }

  async function expectClearAnswer(request: Parameters<TestApp['inject']>[0]): Promise<void> {
    const before = await storeState();
    const response = await test.inject(request);
    if (response.statusCode >= 500)
      throw new Error(
        `${request.method} ${String(request.url).slice(0, 80)} answered ${response.statusCode}: ${response.body.slice(0, 300)}`,
      );
    if (response.statusCode >= 400) {
      expect(String(response.headers['content-type'])).toMatch(/^application\/(problem\+)?json/);
      expect(await storeState()).toBe(before);
    }
  }

  const jsonPost = (url: string) =>
    fc.asyncProperty(nastyJsonText, (payload) =>
      expectClearAnswer({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload }),
    );

  it('composition commits in canonical JSON', async () => {
    await fc.assert(jsonPost(`${API}/ehr/${ehrId}/composition`), fuzzParameters(HTTP_RUNS));
  });

  it('composition commits in FLAT and STRUCTURED', async () => {
    const template = 'openEHR-EHR-COMPOSITION.minimal.v1';
    await fc.assert(jsonPost(`${API}/ehr/${ehrId}/composition?format=FLAT&templateId=${template}`), fuzzParameters(HTTP_RUNS));
    await fc.assert(jsonPost(`${API}/ehr/${ehrId}/composition?format=STRUCTURED&templateId=${template}`), fuzzParameters(HTTP_RUNS));
  });

  it('AQL queries, by body and by query string', async () => {
    await fc.assert(
      fc.asyncProperty(nastyString, fc.boolean(), async (q, byGet) => {
        const text = `SELECT e/ehr_id/value FROM EHR e WHERE e/ehr_id/value = '${q.slice(0, 2_000)}'`;
        await expectClearAnswer(
          byGet
            ? { method: 'GET', url: `${API}/query/aql?q=${percentEncodeAnything(q.slice(0, 4_000))}` }
            : {
                method: 'POST',
                url: `${API}/query/aql`,
                headers: { 'content-type': 'application/json' },
                payload: JSON.stringify({ q: text }),
              },
        );
      }),
      fuzzParameters(HTTP_RUNS),
    );
    await fc.assert(jsonPost(`${API}/query/aql`), fuzzParameters(HTTP_RUNS));
  });

  it('template uploads (OPT XML)', async () => {
    await fc.assert(
      fc.asyncProperty(mutationsOf(optText, ['<!DOCTYPE t [<!ENTITY x "y">]>', '&x;', '<template_id><value>', '\u0000']), (xml) =>
        expectClearAnswer({
          method: 'POST',
          url: `${API}/definition/template/adl1.4`,
          headers: { 'content-type': 'application/xml' },
          payload: xml,
        }),
      ),
      fuzzParameters(HTTP_RUNS),
    );
  });

  it('sign-in and user administration', async () => {
    await fc.assert(jsonPost('/auth/sign-in'), fuzzParameters(HTTP_RUNS));
    await fc.assert(jsonPost('/api/users'), fuzzParameters(HTTP_RUNS));
  });

  it('request headers: audit details, preferences, versions, break-glass reasons, credentials', async () => {
    // What Node's HTTP layer lets through as a header value: tab and visible Latin-1, no other controls.
    const headerValue = nastyString.map((value) => [...value].filter(isHeaderCharacter).join('').slice(0, 4_000));
    const name = fc.constantFrom(
      'openehr-audit_details.committer',
      'openehr-audit_details.description',
      'openehr-version.lifecycle_state',
      'openehr-audit_details.change_type',
      'prefer',
      'if-match',
      'x-ucp-break-glass-reason',
      'authorization',
      'accept',
      'cookie',
    );
    await fc.assert(
      fc.asyncProperty(name, headerValue, (header, value) =>
        expectClearAnswer({
          method: 'POST',
          url: `${API}/ehr/${ehrId}/composition`,
          headers: { 'content-type': 'application/json', [header]: value },
          payload: '{}',
        }),
      ),
      fuzzParameters(HTTP_RUNS),
    );
  });
});
