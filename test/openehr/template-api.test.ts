import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';
import { readOpenEhrFixture, readOpenEhrJson, SDK } from '../support/fixtures.js';

const API = '/openehr/v1';
const TEMPLATES = `${API}/definition/template/adl1.4`;

describe(`openEHR templates on ${backend}`, () => {
  let test: TestApp;
  let minimalOpt: string;
  const upload = (xml: string) =>
    test.inject({ method: 'POST', url: TEMPLATES, headers: { 'content-type': 'application/xml' }, payload: xml });

  beforeAll(async () => {
    test = await createTestApp({ env: { UCP_MAX_BODY_BYTES: String(10 * 1024 * 1024) } });
    minimalOpt = await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`);
  });
  afterAll(() => test.close());

  it('uploads a template, lists it, and serves it as OPT and as web template', async () => {
    const created = await upload(minimalOpt);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ template_id: 'minimal_evaluation.en.v1', version: 1 });
    expect(created.headers['location']).toMatch(/\/definition\/template\/adl1\.4\/minimal_evaluation\.en\.v1$/);

    const list = await test.inject({ method: 'GET', url: TEMPLATES });
    expect(list.json()).toContainEqual(expect.objectContaining({ template_id: 'minimal_evaluation.en.v1', concept: 'Minimal evaluation' }));

    const asOpt = await test.inject({
      method: 'GET',
      url: `${TEMPLATES}/minimal_evaluation.en.v1`,
      headers: { accept: 'application/xml' },
    });
    expect(asOpt.headers['content-type']).toMatch(/application\/xml/);
    expect(asOpt.body).toBe(minimalOpt);

    const asWebTemplate = await test.inject({
      method: 'GET',
      url: `${TEMPLATES}/minimal_evaluation.en.v1`,
      headers: { accept: 'application/openehr.wt+json' },
    });
    expect(asWebTemplate.headers['content-type']).toMatch(/application\/openehr\.wt\+json/);
    expect(asWebTemplate.json()).toMatchObject({ templateId: 'minimal_evaluation.en.v1', tree: { rmType: 'COMPOSITION' } });
  });

  it('offers an example composition in each format, which commits as it is', async () => {
    const url = `${TEMPLATES}/minimal_evaluation.en.v1/example`;
    const canonical = await test.inject({ method: 'GET', url });
    expect(canonical.statusCode).toBe(200);
    expect(canonical.json()).toMatchObject({
      _type: 'COMPOSITION',
      archetype_details: { template_id: { value: 'minimal_evaluation.en.v1' } },
    });
    const flat = await test.inject({ method: 'GET', url: `${url}?format=FLAT` });
    expect(Object.keys(flat.json<object>()).some((key) => key.startsWith('minimal/'))).toBe(true);
    const xml = await test.inject({ method: 'GET', url, headers: { accept: 'application/xml' } });
    expect(xml.body).toContain('<composition');
    const structured = await test.inject({ method: 'GET', url: `${url}?format=STRUCTURED` });
    expect(structured.json()).toHaveProperty('minimal');

    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    const ehrId = String(ehr.headers['location']).split('/ehr/')[1];
    const committed = await test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/composition`, payload: canonical.json<object>() });
    expect(committed.statusCode, committed.body).toBe(201);
  });

  it('refuses an identical upload with 409, and an unknown template with 404', async () => {
    expect((await upload(minimalOpt)).statusCode).toBe(409);
    const missing = await test.inject({ method: 'GET', url: `${TEMPLATES}/no.such.template` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not-found' });
  });

  it('refuses XML with entity declarations (XXE) and says why', async () => {
    const hostile = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><template>&x;</template>`;
    const response = await upload(hostile);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(/DOCTYPE|entit/i);
  });

  it('accepts a revision that keeps existing compositions valid, and refuses one that would break them', async () => {
    const templateId = 'minimal_evaluation.en.v1';
    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    const ehrId = String(ehr.headers['location']).split('/ehr/')[1];
    const composition = await readOpenEhrJson(`${SDK}composition/canonical_json/minimal_evaluation.json`);
    expect((await test.inject({ method: 'POST', url: `${API}/ehr/${ehrId}/composition`, payload: composition })).statusCode).toBe(201);

    // Allowing one more unit keeps the stored composition (in kg) valid.
    const widened = minimalOpt.replace(
      '<list>\n                      <units>kg</units>\n                    </list>',
      '<list>\n                      <units>kg</units>\n                    </list>\n                    <list>\n                      <units>lb</units>\n                    </list>',
    );
    expect(widened).not.toBe(minimalOpt);
    const accepted = await upload(widened);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toEqual({ template_id: templateId, version: 2 });

    // Dropping kg would make that composition invalid: refused, with what would break.
    const narrowed = widened.replace('<list>\n                      <units>kg</units>\n                    </list>', '');
    const refused = await upload(narrowed);
    expect(refused.statusCode).toBe(409);
    const body = refused.json<{ message: string; validationErrors: string[] }>();
    expect(body.message).toMatch(/would make [1-9]\d* existing composition/);
    expect(body.validationErrors.join('\n')).toMatch(/composition [0-9a-f-]{36}\/content.*kg/);

    const current = await test.inject({ method: 'GET', url: `${TEMPLATES}/${templateId}`, headers: { accept: 'application/xml' } });
    expect(current.body).toBe(widened);
    const first = await test.inject({ method: 'GET', url: `${TEMPLATES}/${templateId}?version=1`, headers: { accept: 'application/xml' } });
    expect(first.body).toBe(minimalOpt);
  });

  it('stores the ReSPECT-3 form sent as FLAT and gives it back in every format', async () => {
    expect((await upload(await readOpenEhrFixture(`${SDK}operationaltemplate/ReSPECT-3.v0.opt`))).statusCode).toBe(201);
    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    const ehrId = String(ehr.headers['location']).split('/ehr/')[1];
    const flat = await readOpenEhrJson(`${SDK}composition/flat/simSDT/ReSPECT.json`);
    const created = await test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition?templateId=ReSPECT-3.v0&format=FLAT`,
      payload: flat,
    });
    expect(created.statusCode, created.body).toBe(201);
    const versionUid = String(created.headers['etag']).replaceAll('"', '');
    const asFlat = await test.inject({ method: 'GET', url: `${API}/ehr/${ehrId}/composition/${versionUid}?format=FLAT` });
    const flatOut = asFlat.json<Record<string, unknown>>();
    for (const [key, value] of Object.entries(flat).filter(([key]) => !key.startsWith('ctx/'))) {
      expect(flatOut[key], key).toEqual(value);
    }
    const structured = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/composition/${versionUid}`,
      headers: { accept: 'application/openehr.wt.structured.schema+json' },
    });
    expect(structured.statusCode).toBe(200);
    expect(Object.keys(structured.json<object>())).toEqual(['respect-3']);
    const xml = await test.inject({
      method: 'GET',
      url: `${API}/ehr/${ehrId}/composition/${versionUid}`,
      headers: { accept: 'application/xml' },
    });
    expect(xml.body).toContain('ReSPECT-3.v0');
  });

  it('refuses a FLAT composition with unknown keys, listing each one', async () => {
    const ehr = await test.inject({ method: 'POST', url: `${API}/ehr` });
    const ehrId = String(ehr.headers['location']).split('/ehr/')[1];
    const response = await test.inject({
      method: 'POST',
      url: `${API}/ehr/${ehrId}/composition?templateId=minimal_evaluation.en.v1&format=FLAT`,
      payload: {
        'ctx/language': 'en',
        'ctx/territory': 'GB',
        'ctx/composer_name': 'x',
        'minimal/nonsense': 1,
        'minimal/also_wrong|code': 'y',
      },
    });
    expect(response.statusCode).toBe(422);
    const errors = response.json<{ validationErrors: string[] }>().validationErrors.join('\n');
    expect(errors).toContain('minimal/nonsense');
    expect(errors).toContain('minimal/also_wrong|code');
  });

  it('uploads the IDCR End of Life Patient Preferences template', async () => {
    const response = await upload(await readOpenEhrFixture('ehrbase-server/IDCR - End of Life Patient Preferences.v0.opt'));
    expect(response.statusCode).toBe(201);
    const wt = await test.inject({
      method: 'GET',
      url: `${TEMPLATES}/${encodeURIComponent('IDCR - End of Life Patient Preferences.v0')}`,
      headers: { accept: 'application/openehr.wt+json' },
    });
    expect(JSON.stringify(wt.json())).toContain('openEHR-EHR-EVALUATION.cpr_decision_uk.v1');
  });
});
