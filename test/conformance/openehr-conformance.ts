/**
 * Replays the openEHR fixtures through the REST API: templates, web templates, EHR_STATUS,
 * compositions in every format, contributions and FLAT round trips. Each case passes, fails with
 * a reason, or is excluded with a reason; nothing is silently skipped.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compositionToFlat } from '../../src/openehr/flat/canonical-to-flat.js';
import { flatToComposition } from '../../src/openehr/flat/flat-to-canonical.js';
import { jsonEqual, type JsonObject } from '../../src/openehr/flat/json.js';
import type { WebTemplate } from '../../src/openehr/template/web-template-model.js';
import type { App } from '../../src/server/app.js';
import { EXCLUSIONS } from './exclusions.js';

export const FIXTURE_ROOT = fileURLToPath(new URL('../fixtures/openehr/', import.meta.url));
const API = '/openehr/v1';

export type Outcome = { status: 'passed' } | { status: 'failed'; reason: string } | { status: 'excluded'; reason: string };

export interface CaseResult {
  group: string;
  name: string;
  outcome: Outcome;
}

interface Context {
  app: App;
  ehrId: string;
  /** template id → web template, for every template uploaded. */
  webTemplates: Map<string, WebTemplate>;
}

const passed: Outcome = { status: 'passed' };
const failed = (reason: string): Outcome => ({ status: 'failed', reason });
const excluded = (reason: string): Outcome => ({ status: 'excluded', reason });

async function listFiles(folder: string, predicate: (path: string) => boolean): Promise<string[]> {
  const entries = await readdir(join(FIXTURE_ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(FIXTURE_ROOT, join(entry.parentPath, entry.name)))
    .filter(predicate)
    .sort();
}

const read = (path: string) => readFile(join(FIXTURE_ROOT, path), 'utf8');
const isInvalidFixture = (path: string) => /invalid/i.test(path.split('/').pop() ?? '');

function parseJson(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function summarise(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; validationErrors?: string[] };
    return [parsed.message, ...(parsed.validationErrors ?? []).slice(0, 3)].filter(Boolean).join(' | ');
  } catch {
    return body.slice(0, 300);
  }
}

export interface ConformanceOptions {
  /** Only every n-th case of each group (the quick form run by npm test). */
  sampleEvery?: number;
  onResult?: (result: CaseResult) => void;
}

/** Each fixture source is an independent corpus (the same template id can differ between them), so each gets a fresh database. */
export const FIXTURE_SOURCES = ['ehrbase-integration-tests', 'ehrbase-openEHR_SDK', 'ehrbase-server', 'respect-nes'] as const;

export interface ConformanceApp {
  app: App;
  close(): Promise<void>;
}

export async function runOpenEhrConformance(createApp: () => Promise<ConformanceApp>, options: ConformanceOptions = {}): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const source of FIXTURE_SOURCES) {
    const { app, close } = await createApp();
    try {
      await runSource(app, source, options, results);
    } finally {
      await close();
    }
  }
  return results;
}

async function runSource(app: App, source: string, options: ConformanceOptions, results: CaseResult[]): Promise<void> {
  const sampleEvery = options.sampleEvery ?? 1;
  const record = (group: string, name: string, outcome: Outcome) => {
    const exclusion = EXCLUSIONS[`${group}:${name}`];
    const result = { group, name, outcome: exclusion ? excluded(exclusion) : outcome };
    results.push(result);
    options.onResult?.(result);
  };
  const sample = <T>(items: T[]) => items.filter((_, index) => index % sampleEvery === 0);
  const files = (predicate: (path: string) => boolean) => listFiles(source, predicate);

  const ehr = await app.inject({ method: 'POST', url: `${API}/ehr` });
  const context: Context = { app, ehrId: String(ehr.headers['location']).split('/ehr/')[1] ?? '', webTemplates: new Map() };

  // Templates: all valid ones are uploaded (every later group needs them), invalid ones refused.
  for (const path of await files((p) => p.endsWith('.opt') && !p.includes('invalid_templates'))) {
    const response = await app.inject({ method: 'POST', url: `${API}/definition/template/adl1.4`, headers: { 'content-type': 'application/xml' }, payload: await read(path) });
    if (response.statusCode === 201) {
      const templateId = response.json<{ template_id: string }>().template_id;
      const wt = await app.inject({ method: 'GET', url: `${API}/definition/template/adl1.4/${encodeURIComponent(templateId)}`, headers: { accept: 'application/openehr.wt+json' } });
      context.webTemplates.set(templateId, wt.json<WebTemplate>());
      record('templates: valid OPT uploads', path, passed);
    } else if (response.statusCode === 409 && response.body.includes('identical content')) {
      record('templates: valid OPT uploads', path, passed);
    } else {
      record('templates: valid OPT uploads', path, failed(`${response.statusCode}: ${summarise(response.body)}`));
    }
  }
  for (const path of await files((p) => p.includes('invalid_templates/') && (p.endsWith('.opt') || p.endsWith('.xml')))) {
    const response = await app.inject({ method: 'POST', url: `${API}/definition/template/adl1.4`, headers: { 'content-type': 'application/xml' }, payload: await read(path) });
    record('templates: invalid OPT refused', path, response.statusCode === 400 ? passed : failed(`expected 400, got ${response.statusCode}`));
  }

  // Web templates against the answer keys.
  for (const path of await files((p) => p.includes('webtemplate') && p.endsWith('.json'))) {
    const expected = JSON.parse(await read(path)) as WebTemplate;
    const actual = context.webTemplates.get(expected.templateId);
    record('web templates match answer keys', path, !actual ? failed(`template ${expected.templateId} not uploaded`) : jsonEqual(actual, expected) ? passed : failed('differs from the answer key'));
  }

  // EHR_STATUS bodies; each valid one gets a subject of its own, as the fixtures' placeholders intend.
  for (const path of sample(await files((p) => /\/ehr\/(valid|invalid)\/.*\.json$/.test(p)))) {
    const status = parseJson(await read(path));
    const wantValid = path.includes('/valid/');
    const externalRef = (status?.['subject'] as { external_ref?: { id?: { value?: string } } } | undefined)?.external_ref;
    if (wantValid && externalRef?.id) externalRef.id.value = randomUUID();
    const response = await app.inject({ method: 'POST', url: `${API}/ehr`, payload: status ?? {} });
    record('ehr_status: valid accepted, invalid refused', path, wantValid === (response.statusCode === 201) ? passed : failed(`${response.statusCode}: ${summarise(response.body)}`));
  }

  // Compositions, canonical JSON and XML.
  const canonicalJson: string[] = [];
  for (const path of await files((p) => /\/(CANONICAL_JSON|canonical_json)\//.test(p) && p.endsWith('.json') && !p.includes('contribution'))) {
    if (parseJson(await read(path))?.['_type'] === 'COMPOSITION') canonicalJson.push(path);
  }
  for (const path of sample(canonicalJson)) {
    record('compositions: canonical JSON', path, await commitCase(context, path, await read(path), 'application/json'));
  }
  for (const path of sample(await files((p) => /\/(CANONICAL_XML|canonical_xml)\//.test(p) && p.endsWith('.xml') && !p.includes('folder')))) {
    record('compositions: canonical XML', path, await commitCase(context, path, await read(path), 'application/xml'));
  }

  // Compositions, FLAT and STRUCTURED, and the round trips.
  for (const path of sample(await files((p) => /\/(FLAT|simSDT|flat_compositions)\//.test(p) && p.endsWith('.json') && !p.includes('structured')))) {
    const flat = parseJson(await read(path));
    if (!flat) {
      record('compositions: FLAT', path, excluded('the fixture file is not valid JSON'));
      continue;
    }
    const templateId = templateOfFlat(context, path, flat);
    if (!templateId) {
      record('compositions: FLAT', path, excluded('its template is not among the fixtures (omitted from the fixture set)'));
      continue;
    }
    record('compositions: FLAT', path, await commitCase(context, path, JSON.stringify(flat), 'application/openehr.wt.flat.schema+json', templateId));
    if (!isInvalidFixture(path)) record('round trip: FLAT → canonical → FLAT', path, roundTripFlat(flat, context.webTemplates.get(templateId)));
  }
  for (const path of sample(await files((p) => /\/(STRUCTURED|structured)\//.test(p) && p.endsWith('.json')))) {
    const structured = parseJson(await read(path));
    const templateId = structured ? templateOfFlat(context, path, structured) : undefined;
    record(
      'compositions: STRUCTURED',
      path,
      !structured || !templateId
        ? excluded('its template is not among the fixtures')
        : await commitCase(context, path, JSON.stringify(structured), 'application/openehr.wt.structured.schema+json', templateId),
    );
  }
  for (const path of sample(canonicalJson.filter((p) => !isInvalidFixture(p)))) {
    const composition = parseJson(await read(path));
    if (!composition) continue;
    const templateId = (composition['archetype_details'] as { template_id?: { value?: string } } | undefined)?.template_id?.value;
    const webTemplate = templateId ? context.webTemplates.get(templateId) : undefined;
    record('round trip: canonical → FLAT → canonical', path, webTemplate ? roundTripCanonical(composition, webTemplate) : excluded(`template ${templateId ?? '(none)'} is not among the fixtures`));
  }
}

async function commitCase(context: Context, path: string, body: string, contentType: string, templateId?: string): Promise<Outcome> {
  const query = templateId ? `?templateId=${encodeURIComponent(templateId)}` : '';
  const response = await context.app.inject({
    method: 'POST',
    url: `${API}/ehr/${context.ehrId}/composition${query}`,
    headers: { 'content-type': contentType },
    payload: body,
  });
  const accepted = response.statusCode === 201;
  if (isInvalidFixture(path)) {
    if (accepted) return failed('an invalid composition was accepted');
    return response.statusCode >= 400 && response.statusCode < 500 && summarise(response.body) ? passed : failed(`refused without a useful error: ${response.statusCode}`);
  }
  return accepted ? passed : failed(`${response.statusCode}: ${summarise(response.body)}`);
}

function templateOfFlat(context: Context, path: string, flat: JsonObject): string | undefined {
  const prefix = Object.keys(flat).find((key) => !key.startsWith('ctx/'))?.split(/[/|:]/)[0];
  const candidates = [...context.webTemplates.entries()].filter(([, wt]) => wt.tree.id === prefix).map(([id]) => id);
  if (candidates.length <= 1) return candidates[0];
  const file = (path.split('/').pop() ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  return candidates.find((id) => file.startsWith(id.toLowerCase().replace(/[^a-z0-9]/g, ''))) ?? candidates[0];
}

function roundTripFlat(flat: JsonObject, webTemplate: WebTemplate | undefined): Outcome {
  if (!webTemplate) return excluded('template not uploaded');
  try {
    const canonical = flatToComposition(flat, webTemplate, { now: '2026-01-01T00:00:00Z' });
    const again = compositionToFlat(canonical, webTemplate);
    const back = flatToComposition(again, webTemplate, { now: '2026-01-01T00:00:00Z' });
    return jsonEqual(back, canonical) ? passed : failed('FLAT → canonical → FLAT → canonical changed the composition');
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}

function roundTripCanonical(composition: JsonObject, webTemplate: WebTemplate): Outcome {
  try {
    const flat = compositionToFlat(composition, webTemplate);
    const back = flatToComposition(flat, webTemplate, { now: '2026-01-01T00:00:00Z' });
    return jsonEqual(back, composition) ? passed : failed('canonical → FLAT → canonical changed the composition');
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}
