/**
 * Replays the openEHR fixtures through the REST API: templates, web templates, EHR_STATUS,
 * compositions in every format and the FLAT round trips. Each case passes, fails with a reason,
 * or is excluded with a reason (exclusions.ts); nothing is silently skipped. An excluded case is
 * still run: if it passes, or fails for another reason than the one its exclusion names, it is
 * reported as failed, so an exclusion cannot hide a new bug.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJsonObject, type JsonObject } from '../../src/shared/json.js';
import { jsonEqual } from '../../src/openehr/flat/json.js';
import { skippedNodesFromTemplate } from '../../src/openehr/flat/skipped-nodes.js';
import { parseOperationalTemplate } from '../../src/openehr/template/opt-parser.js';
import type { WebTemplate } from '../../src/openehr/template/web-template-model.js';
import type { App } from '../../src/server/app.js';
import type { Inject } from '../support/authorized-inject.js';
import { GROUPS } from './conformance-groups.js';
import { EXCLUSIONS, MEANT_TO_BE_REFUSED, type Exclusion } from './exclusions.js';
import { corpusOptOf, declaredTemplateId, planTemplates, revisionOptOf, templateByFileName } from './fixture-templates.js';
import { roundTripCanonical, roundTripFlat, type RoundTripOutcome, type RoundTripTemplate } from './round-trips.js';

export const FIXTURE_ROOT = fileURLToPath(new URL('../fixtures/openehr/', import.meta.url));
const API = '/openehr/v1';

export type Outcome =
  | { status: 'passed' }
  | { status: 'failed'; reason: string; /** Every problem the failure reported, for matching exclusions. */ issues?: readonly string[] }
  | { status: 'excluded'; reason: string };

export interface CaseResult {
  group: string;
  name: string;
  outcome: Outcome;
}

const passed: Outcome = { status: 'passed' };
const failed = (reason: string, issues?: readonly string[]): Outcome => ({
  status: 'failed',
  reason,
  ...(issues && issues.length > 0 ? { issues } : {}),
});
/** Only exclusions.ts excludes, so that every exclusion carries a reason specific to its fixture. */
const excluded = (reason: string): Outcome => ({ status: 'excluded', reason });

/**
 * What an exclusion makes of the outcome of its case: excluded when the case fails as the
 * exclusion says (every problem reported matches its evidence), failed otherwise.
 */
export function applyExclusion(exclusion: Exclusion, outcome: Outcome): Outcome {
  if (outcome.status === 'passed') return failed(`excluded (${exclusion.reason}), but it passes now: remove the exclusion`);
  if (outcome.status === 'failed') {
    const evidence = exclusion.evidence;
    const unexplained = (outcome.issues ?? [outcome.reason]).filter((issue) => !evidence.test(issue));
    if (unexplained.length > 0) {
      return failed(`excluded (${exclusion.reason}), but it also fails with: ${unexplained.slice(0, 3).join(' | ')}`, unexplained);
    }
  }
  return excluded(exclusion.reason);
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
  /** Requests as an integration client allowed to administer records. */
  inject: Inject;
  close(): Promise<void>;
}

interface LoadedTemplate extends RoundTripTemplate {
  /** The id of the web template's root node, the first segment of every FLAT key. */
  rootId: string;
}

async function listFiles(folder: string, predicate: (path: string) => boolean): Promise<string[]> {
  const entries = await readdir(join(FIXTURE_ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(FIXTURE_ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter(predicate)
    .sort();
}

const read = (path: string) => readFile(join(FIXTURE_ROOT, path), 'utf8');
const fileName = (path: string) => path.split('/').pop() ?? '';
/** A negative case: its file name says so, or exclusions.ts records that its suite expects a refusal. */
const isInvalidFixture = (path: string) => /invalid/i.test(fileName(path)) || MEANT_TO_BE_REFUSED[path] !== undefined;

function parseJson(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The REST API's error body: its message with the first validation errors, and every validation error. */
function errorText(body: string): { summary: string; issues: string[] } {
  try {
    const parsed = JSON.parse(body) as { message?: string; validationErrors?: string[] };
    const errors = parsed.validationErrors ?? [];
    return {
      summary:
        [parsed.message, ...errors.slice(0, 3)].filter(Boolean).join(' | ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''),
      issues: errors.length > 0 ? errors : [parsed.message ?? body],
    };
  } catch {
    return { summary: body.slice(0, 300), issues: [body] };
  }
}

/** The local name of a document's root element (after the XML declaration and comments). */
async function rootElement(path: string): Promise<string | undefined> {
  const text = await read(path);
  return /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?([\w.-]+)/.exec(text)?.[1];
}

function fromRoundTrip(result: RoundTripOutcome): Outcome {
  return result.ok ? passed : failed(result.reason, result.issues);
}

export async function runOpenEhrConformance(
  createApp: () => Promise<ConformanceApp>,
  options: ConformanceOptions = {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const source of FIXTURE_SOURCES) await new SourceRun(source, createApp, options, results).run();
  // A full run reaches every case, so an exclusion that matched none names a case that does not exist (any more).
  if ((options.sampleEvery ?? 1) === 1) {
    const keys = new Set(results.map((result) => `${result.group}:${result.name}`));
    for (const key of Object.keys(EXCLUSIONS).filter((key) => !keys.has(key))) {
      const result = { group: GROUPS.exclusions, name: key, outcome: failed('no case has this key: fix or remove the exclusion') };
      results.push(result);
      options.onResult?.(result);
    }
  }
  return results;
}

class SourceRun {
  readonly #templates = new Map<string, LoadedTemplate>();
  /** Cases written for a later revision of their template, run once that revision is uploaded. */
  readonly #deferred: { group: string; path: string; opt: string; run: () => Promise<void> }[] = [];
  #inject: Inject | undefined;
  #ehrId = '';

  constructor(
    readonly source: string,
    readonly createApp: () => Promise<ConformanceApp>,
    readonly options: ConformanceOptions,
    readonly results: CaseResult[],
  ) {}

  get inject(): Inject {
    if (!this.#inject) throw new Error('no app');
    return this.#inject;
  }

  record(group: string, name: string, outcome: Outcome): void {
    const exclusion = EXCLUSIONS[`${group}:${name}`];
    const result = { group, name, outcome: exclusion ? applyExclusion(exclusion, outcome) : outcome };
    this.results.push(result);
    this.options.onResult?.(result);
  }

  sample<T>(items: readonly T[]): T[] {
    const every = this.options.sampleEvery ?? 1;
    return items.filter((_, index) => index % every === 0);
  }

  files(predicate: (path: string) => boolean): Promise<string[]> {
    return listFiles(this.source, predicate);
  }

  async run(): Promise<void> {
    const opts = await Promise.all(
      (await this.files((p) => p.endsWith('.opt') && !p.includes('invalid_templates'))).map(async (path) => ({
        path,
        templateId: declaredTemplateId(await read(path)),
      })),
    );
    const plan = planTemplates(opts);
    await this.stage(async () => {
      for (const path of plan.ofRecord) this.record(GROUPS.validTemplates, path, await this.uploadTemplate(path));
      await this.invalidTemplates();
      await this.webTemplates();
      await this.ehrStatuses();
      await this.compositions(new Set(plan.ofRecord));
    });
    // Further revisions of a template id each go into a CDR of their own (see fixture-templates.ts),
    // with the compositions written for them.
    for (const layer of plan.revisionLayers) {
      await this.stage(async () => {
        for (const path of layer) this.record(GROUPS.validTemplates, path, await this.uploadTemplate(path));
        for (const deferred of this.#deferred.filter((item) => layer.includes(item.opt))) await deferred.run();
      });
    }
    for (const deferred of this.#deferred.filter((item) => !plan.revisionLayers.some((layer) => layer.includes(item.opt)))) {
      this.record(deferred.group, deferred.path, failed(`its template ${deferred.opt} is not an OPT of this fixture source`));
    }
  }

  /** Runs `work` against a fresh CDR with one EHR. */
  async stage(work: () => Promise<void>): Promise<void> {
    const { inject, close } = await this.createApp();
    this.#inject = inject;
    this.#templates.clear();
    try {
      const ehr = await inject({ method: 'POST', url: `${API}/ehr` });
      this.#ehrId = String(ehr.headers['location']).split('/ehr/')[1] ?? '';
      await work();
    } finally {
      this.#inject = undefined;
      await close();
    }
  }

  /** Uploads an OPT, then reads back its web template and OPT, as a client would. */
  async uploadTemplate(path: string): Promise<Outcome> {
    const response = await this.inject({
      method: 'POST',
      url: `${API}/definition/template/adl1.4`,
      headers: { 'content-type': 'application/xml' },
      payload: await read(path),
    });
    if (response.statusCode !== 201) {
      const { summary, issues } = errorText(response.body);
      return failed(`${response.statusCode}: ${summary}`, issues);
    }
    const templateId = response.json<{ template_id: string }>().template_id;
    const url = `${API}/definition/template/adl1.4/${encodeURIComponent(templateId)}`;
    const wt = await this.inject({ method: 'GET', url, headers: { accept: 'application/openehr.wt+json' } });
    const optXml = await this.inject({ method: 'GET', url, headers: { accept: 'application/xml' } });
    if (wt.statusCode !== 200 || optXml.statusCode !== 200)
      return failed(`uploaded, but reading it back gave ${wt.statusCode} / ${optXml.statusCode}`);
    const webTemplate = wt.json<WebTemplate>();
    this.#templates.set(templateId, {
      webTemplate,
      skippedNode: skippedNodesFromTemplate(parseOperationalTemplate(optXml.body)),
      rootId: webTemplate.tree.id,
    });
    return passed;
  }

  async invalidTemplates(): Promise<void> {
    const files = await this.files((p) => p.includes('invalid_templates/') && (p.endsWith('.opt') || p.endsWith('.xml')));
    // Some of EHRbase's invalid_templates folders also hold invalid compositions; those are composition cases.
    for (const path of (await Promise.all(files.map(async (file) => ((await rootElement(file)) === 'composition' ? [] : [file])))).flat()) {
      const response = await this.inject({
        method: 'POST',
        url: `${API}/definition/template/adl1.4`,
        headers: { 'content-type': 'application/xml' },
        payload: await read(path),
      });
      const refused = response.statusCode === 400 && errorText(response.body).summary !== '';
      this.record(GROUPS.invalidTemplates, path, refused ? passed : failed(`expected 400 with an error, got ${response.statusCode}`));
    }
  }

  async webTemplates(): Promise<void> {
    for (const path of await this.files((p) => p.includes('webtemplate') && p.endsWith('.json'))) {
      const expected = JSON.parse(await read(path)) as WebTemplate;
      const actual = this.#templates.get(expected.templateId)?.webTemplate;
      this.record(
        GROUPS.webTemplates,
        path,
        !actual
          ? failed(`template ${expected.templateId} not uploaded`)
          : jsonEqual(actual, expected)
            ? passed
            : failed('differs from the answer key'),
      );
    }
  }

  /** EHR_STATUS bodies; each valid one gets a subject of its own, as the fixtures' placeholders intend. */
  async ehrStatuses(): Promise<void> {
    const paths = await this.files((p) => /\/ehr\/(valid|invalid)\/.*\.json$/.test(p) || /\/ehr\/canonical_json\/.*\.json$/.test(p));
    for (const path of this.sample(paths)) {
      const status = parseJson(await read(path));
      const wantValid = !path.includes('/invalid/');
      const externalRef = (status?.['subject'] as { external_ref?: { id?: { value?: string } } } | undefined)?.external_ref;
      if (wantValid && externalRef?.id) externalRef.id.value = randomUUID();
      const response = await this.inject({ method: 'POST', url: `${API}/ehr`, payload: status ?? {} });
      const { summary, issues } = errorText(response.body);
      this.record(
        GROUPS.ehrStatus,
        path,
        wantValid === (response.statusCode === 201)
          ? passed
          : wantValid
            ? failed(`${response.statusCode}: ${summary}`, issues)
            : failed('an invalid EHR_STATUS was accepted'),
      );
    }
  }

  async compositions(templatesOfRecord: ReadonlySet<string>): Promise<void> {
    // Canonical JSON: every COMPOSITION of the source, and every file of a canonical JSON folder that is not JSON at all (negative cases).
    const canonicalJson: { path: string; composition: JsonObject | undefined }[] = [];
    for (const path of await this.files((p) => p.endsWith('.json'))) {
      const composition = parseJson(await read(path));
      if (composition?.['_type'] === 'COMPOSITION' || (composition === undefined && /\/(CANONICAL_JSON|canonical_json)\//.test(path)))
        canonicalJson.push({ path, composition });
    }
    const xmlFiles = await this.files((p) => p.endsWith('.xml') && !p.includes('folder'));
    const xml = (
      await Promise.all(
        xmlFiles.map(async (path) =>
          (await rootElement(path)) === 'composition' || /\/(CANONICAL_XML|canonical_xml)\//.test(path) ? [path] : [],
        ),
      )
    ).flat();

    const commitOrDefer = async (group: string, path: string, contentType: string) => {
      const opt = revisionOptOf(path);
      if (opt !== undefined && !templatesOfRecord.has(opt)) {
        this.#deferred.push({
          group,
          path,
          opt,
          run: async () => this.record(group, path, await this.commit(path, await read(path), contentType)),
        });
        return;
      }
      this.record(group, path, await this.commit(path, await read(path), contentType));
    };
    for (const { path } of this.sample(canonicalJson)) await commitOrDefer(GROUPS.canonicalJson, path, 'application/json');
    for (const path of this.sample(xml)) await commitOrDefer(GROUPS.canonicalXml, path, 'application/xml');

    const isFlat = (p: string) =>
      (/\/(FLAT|simSDT|flat_compositions)\//.test(p) || p.endsWith('_flat.json')) &&
      p.endsWith('.json') &&
      !/structured/i.test(fileName(p));
    for (const path of this.sample(await this.files(isFlat))) {
      await this.flatCase(path);
    }
    for (const path of this.sample(
      await this.files((p) => p.endsWith('.json') && (/\/(STRUCTURED|structured)\//.test(p) || /structured_input/.test(fileName(p)))),
    )) {
      await this.structuredCase(path);
    }

    for (const { path, composition } of this.sample(canonicalJson.filter(({ path }) => !isInvalidFixture(path)))) {
      if (!composition || revisionOptOf(path) !== undefined) continue;
      const templateId = (composition['archetype_details'] as { template_id?: { value?: string } } | undefined)?.template_id?.value;
      const template = templateId === undefined ? undefined : this.#templates.get(templateId);
      this.record(
        GROUPS.canonicalRoundTrip,
        path,
        template
          ? fromRoundTrip(roundTripCanonical(composition, template))
          : failed(`its template ${templateId ?? '(none)'} is not among the fixtures`),
      );
    }
  }

  async flatCase(path: string): Promise<void> {
    const text = await read(path);
    const flat = parseJson(text);
    const templateId = await this.templateOfSimplified(path, flat, (key) => !key.startsWith('ctx'));
    if (templateId === undefined) {
      this.record(GROUPS.flat, path, failed(`its template is not among the fixtures (${this.#missingTemplateReason(path)})`));
      return;
    }
    this.record(GROUPS.flat, path, await this.commit(path, text, 'application/openehr.wt.flat.schema+json', templateId));
    const template = this.#templates.get(templateId);
    if (flat && template && !isInvalidFixture(path)) this.record(GROUPS.flatRoundTrip, path, fromRoundTrip(roundTripFlat(flat, template)));
  }

  async structuredCase(path: string): Promise<void> {
    const text = await read(path);
    const templateId = await this.templateOfSimplified(path, parseJson(text), (key) => key !== 'ctx' && !key.startsWith('ctx/'));
    this.record(
      GROUPS.structured,
      path,
      templateId === undefined
        ? failed(`its template is not among the fixtures (${this.#missingTemplateReason(path)})`)
        : await this.commit(path, text, 'application/openehr.wt.structured.schema+json', templateId),
    );
  }

  #missingTemplateReason(path: string): string {
    return corpusOptOf(path) === undefined
      ? 'its OPT was left out of the fixture set, test/fixtures/openehr/README.md'
      : 'its OPT could not be uploaded';
  }

  /**
   * The template of a FLAT or STRUCTURED document: the one the FLAT corpus names (uploaded from
   * another source when this one lacks that id), else the template whose web template root is the
   * document's first key segment, told apart by file name; for a document that is not JSON, the
   * file name alone.
   */
  async templateOfSimplified(
    path: string,
    document: JsonObject | undefined,
    isContentKey: (key: string) => boolean,
  ): Promise<string | undefined> {
    const corpusOpt = corpusOptOf(path);
    if (corpusOpt !== undefined) {
      const templateId = declaredTemplateId(await read(corpusOpt));
      if (templateId !== undefined && !this.#templates.has(templateId)) await this.uploadTemplate(corpusOpt);
      if (templateId !== undefined && this.#templates.has(templateId)) return templateId;
    }
    const rootId = document ? Object.keys(document).find(isContentKey)?.split(/[/|:]/)[0] : undefined;
    const candidates = [...this.#templates.entries()]
      .filter(([, template]) => rootId === undefined || template.rootId === rootId)
      .map(([id]) => id);
    const byName = templateByFileName(path, candidates);
    return byName ?? (rootId === undefined ? undefined : candidates[0]);
  }

  async commit(path: string, body: string, contentType: string, templateId?: string): Promise<Outcome> {
    const query = templateId ? `?templateId=${encodeURIComponent(templateId)}` : '';
    const response = await this.inject({
      method: 'POST',
      url: `${API}/ehr/${this.#ehrId}/composition${query}`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    const { summary, issues } = errorText(response.body);
    if (isInvalidFixture(path)) {
      if (response.statusCode < 300) return failed('an invalid composition was accepted');
      return response.statusCode >= 400 && response.statusCode < 500 && summary !== ''
        ? passed
        : failed(`refused without a useful error: ${response.statusCode}`);
    }
    return response.statusCode === 201 ? passed : failed(`${response.statusCode}: ${summary}`, issues);
  }
}
