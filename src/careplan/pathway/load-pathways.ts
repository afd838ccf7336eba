import { readFile, readdir } from 'node:fs/promises';
import { Value } from 'typebox/value';
import { AppError } from '../../errors/app-error.js';
import type { TemplateService } from '../../openehr/service/template-service.js';
import { buildWebTemplate, parseOperationalTemplate, type OperationalTemplate, type WebTemplate } from '../../openehr/template/index.js';
import { buildFormDefinition, formPaths, type FormDefinition } from './form-definition.js';
import { PathwayDefinitionSchema, type PathwayDefinition } from './pathway-definition.js';
import { UCP_TEMPLATES_ROOT } from './compile-template-descriptions.js';

/** Archetypes that record a CPR or ReSPECT decision: a module holding one must be a senior decision. */
const SENIOR_DECISION_ARCHETYPE =
  /^openEHR-EHR-(?:EVALUATION\.cpr_decision_uk|EVALUATION\.advance_intervention_decisions|SECTION\.respect_headings)\./;

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
  const moduleIds = new Map<string, string>();
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.json')).sort()) {
    let input: unknown;
    try {
      input = JSON.parse(await readFile(new URL(encodeURIComponent(file), folder), 'utf8'));
    } catch (error) {
      problems.push(`${file}: not JSON (${(error as Error).message})`);
      continue;
    }
    const withDefaults = Value.Default(PathwayDefinitionSchema, input);
    if (!Value.Check(PathwayDefinitionSchema, withDefaults)) {
      for (const error of Value.Errors(PathwayDefinitionSchema, withDefaults))
        if (error.keyword !== 'anyOf') problems.push(`${file}${error.instancePath}: ${error.message}`);
      continue;
    }
    const pathway = withDefaults;
    if (pathways.some((other) => other.id === pathway.id)) problems.push(`${file}: pathway id ${pathway.id} is used twice`);
    if (pathway.headerTemplateId !== undefined && pathway.core !== true)
      problems.push(`${file}: only the core pathway names a header template`);
    if (pathway.core === true && pathway.headerTemplateId === undefined)
      problems.push(`${file}: the core pathway must name the plan header template`);
    if (pathway.headerTemplateId !== undefined && !templates.has(pathway.headerTemplateId))
      problems.push(`${file}: header template ${pathway.headerTemplateId} is not in templates/opt`);
    pathway.modules.forEach((module, index) => {
      const where = `${file}/modules/${index}`;
      const owner = moduleIds.get(module.id);
      if (owner !== undefined) problems.push(`${where}: module id ${module.id} is already used by pathway ${owner}`);
      moduleIds.set(module.id, pathway.id);
      const template = templates.get(module.templateId);
      if (template === undefined) {
        problems.push(`${where}: template ${module.templateId} is not in templates/opt`);
        return;
      }
      if (!module.seniorDecision && recordsSeniorDecisions(template.opt)) {
        problems.push(`${where}: ${module.templateId} records CPR or ReSPECT decisions, so the module must be a senior decision`);
      }
      if (forms.has(module.templateId)) problems.push(`${where}: template ${module.templateId} is already a module of another pathway`);
      const generated = formPaths(buildFormDefinition(template.webTemplate));
      const overrides = module.form ?? {};
      const named = [
        ...Object.keys(overrides.labels ?? {}),
        ...Object.keys(overrides.help ?? {}),
        ...(overrides.hidden ?? []),
        ...(overrides.order ?? []),
      ];
      for (const path of named)
        if (!generated.includes(path)) problems.push(`${where}/form: ${path} is not a section or field of ${module.templateId}`);
      forms.set(module.templateId, buildFormDefinition(template.webTemplate, overrides));
    });
    pathways.push(pathway);
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

function recordsSeniorDecisions(opt: OperationalTemplate): boolean {
  const found = (object: { archetypeId?: string; attributes?: readonly { children: readonly unknown[] }[] }): boolean =>
    (object.archetypeId !== undefined && SENIOR_DECISION_ARCHETYPE.test(object.archetypeId)) ||
    (object.attributes ?? []).some((attribute) => attribute.children.some((child) => found(child as typeof object)));
  return found(opt.definition);
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
