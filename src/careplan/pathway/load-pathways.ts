import { readFile, readdir } from 'node:fs/promises';
import { Value } from 'typebox/value';
import { AppError } from '../../errors/app-error.js';
import type { TemplateService } from '../../openehr/service/template-service.js';
import { buildWebTemplate, parseOperationalTemplate, type OperationalTemplate, type WebTemplate } from '../../openehr/template/index.js';
import type { Database } from '../../db/database.js';
import { checkPathway } from './check-pathway.js';
import { loadShippedPathwayVersions } from './pathway-version-store.js';
import { buildFormDefinition, type FormDefinition } from './form-definition.js';
import { PathwayDefinitionSchema, type PathwayDefinition } from './pathway-definition.js';
import { UCP_TEMPLATES_ROOT } from './compile-template-descriptions.js';

export interface UcpTemplate {
  readonly templateId: string;
  /** The OPT file in templates/opt/. */
  readonly file: string;
  readonly optXml: string;
  readonly opt: OperationalTemplate;
  readonly webTemplate: WebTemplate;
}

export interface LoadedPathways {
  readonly pathways: readonly PathwayDefinition[];
  /** The pathway every plan has. */
  readonly core: PathwayDefinition;
  /** template id -> the generated form, with the overrides of the pathway that uses it. */
  readonly forms: ReadonlyMap<string, FormDefinition>;
  readonly templates: ReadonlyMap<string, UcpTemplate>;
}

/** Every OPT in `<root>/opt/`, parsed, by template id (one id in two files is an error). */
export async function readUcpTemplates(root: URL = UCP_TEMPLATES_ROOT): Promise<Map<string, UcpTemplate>> {
  const folder = new URL('opt/', root);
  const templates = new Map<string, UcpTemplate>();
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.opt')).sort()) {
    const optXml = await readFile(new URL(encodeURIComponent(file), folder), 'utf8');
    const opt = parseOperationalTemplate(optXml);
    const existing = templates.get(opt.templateId);
    if (existing !== undefined) throw new Error(`templates/opt: ${existing.file} and ${file} both hold template ${opt.templateId}`);
    templates.set(opt.templateId, { templateId: opt.templateId, file, optXml, opt, webTemplate: buildWebTemplate(opt) });
  }
  return templates;
}

/**
 * Reads the pathway definitions in `<root>/pathways/*.json` and checks them against the schema and
 * against the templates in `<root>/opt/`: exactly one core pathway with a header template; unique
 * pathway and module ids; every module's template present; a module whose template records CPR or
 * ReSPECT decisions marked as a senior decision; form overrides naming paths the form has. Every
 * problem is reported at once, with its file. Also generates each module's form.
 */
export async function loadPathways(root: URL = UCP_TEMPLATES_ROOT): Promise<LoadedPathways> {
  const templates = await readUcpTemplates(root);
  const folder = new URL('pathways/', root);
  const problems: string[] = [];
  const pathways: PathwayDefinition[] = [];
  const forms = new Map<string, FormDefinition>();
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.json')).sort()) {
    let input: unknown;
    try {
      input = JSON.parse(await readFile(new URL(encodeURIComponent(file), folder), 'utf8'));
    } catch (error) {
      problems.push(`${file}: not JSON (${(error as Error).message})`);
      continue;
    }
    const checked = checkPathway(input, templates, pathways);
    problems.push(...checked.problems.map((problem) => `${file}${problem.path}: ${problem.message}`));
    if (checked.pathway === undefined) continue;
    for (const [templateId, form] of checked.forms) forms.set(templateId, form);
    pathways.push(checked.pathway);
  }
  const cores = pathways.filter((pathway) => pathway.core === true);
  if (cores.length !== 1) problems.push(`pathways: exactly one pathway must be core, found ${cores.length}`);
  const [core] = cores;
  if (problems.length > 0 || core === undefined)
    throw new AppError('bad-request', `The pathway definitions are not sound: ${problems.join('; ')}`);
  if (core.headerTemplateId !== undefined) {
    const header = templates.get(core.headerTemplateId);
    if (header !== undefined) forms.set(header.templateId, buildFormDefinition(header.webTemplate));
  }
  return { pathways, core, forms, templates };
}

/**
 * The pathway definitions shipped in `<root>/pathways/*.json`, read and checked against the schema
 * only (loadPathways checks them against the templates; a test keeps them sound): what start-up
 * loads into the database as each pathway's first published version.
 */
export async function readShippedPathways(root: URL = UCP_TEMPLATES_ROOT): Promise<PathwayDefinition[]> {
  const folder = new URL('pathways/', root);
  const pathways: PathwayDefinition[] = [];
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.json')).sort()) {
    const input: unknown = JSON.parse(await readFile(new URL(encodeURIComponent(file), folder), 'utf8'));
    const withDefaults = Value.Default(PathwayDefinitionSchema, input);
    if (!Value.Check(PathwayDefinitionSchema, withDefaults))
      throw new Error(`templates/pathways/${file} does not match the pathway schema`);
    pathways.push(withDefaults);
  }
  return pathways;
}

/**
 * Uploads every OPT of `<root>/opt/` that the repository does not hold as its current version:
 * missing ones are added, changed ones become a revision (which the template service accepts only
 * if every stored composition stays valid). New ones are installed together in one transaction;
 * a restart whose files are all current parses none of them (`TemplateService.install`).
 * Idempotent: a second run uploads nothing. Returns the template ids uploaded.
 */
export async function loadUcpTemplates(service: TemplateService, root: URL = UCP_TEMPLATES_ROOT): Promise<string[]> {
  const folder = new URL('opt/', root);
  const files = (await readdir(folder)).filter((name) => name.endsWith('.opt')).sort();
  return service.install(await Promise.all(files.map((file) => readFile(new URL(encodeURIComponent(file), folder), 'utf8'))));
}

/**
 * Loads the shipped pathways (`<root>/pathways/*.json`) into the database as the first published
 * version of each pathway that has none, by the system; later versions are the designers'
 * (src/designer). Idempotent: a restart, or a second server starting at once, loads nothing
 * more. Returns the pathway keys loaded.
 */
export async function installShippedPathways(db: Database, root: URL = UCP_TEMPLATES_ROOT): Promise<string[]> {
  const shipped = await readShippedPathways(root);
  return db.transaction((tx) =>
    loadShippedPathwayVersions(tx, shipped, { id: 'system:templates', name: 'Shipped with the release (templates/pathways)' }),
  );
}
