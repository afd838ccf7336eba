import { Value } from 'typebox/value';
import { parseAql } from '../../openehr/aql/parser/index.js';
import type { OperationalTemplate, WebTemplate } from '../../openehr/template/index.js';
import { buildFormDefinition, formPaths, type FormDefinition } from './form-definition.js';
import {
  PATHWAY_RULE_OPERATORS,
  PathwayDefinitionSchema,
  type FormRule,
  type PathwayDefinition,
  type PathwayModule,
  type Prefill,
} from './pathway-definition.js';

/**
 * The ReSPECT form: its recommendations are the decision, so a module holding one is a senior
 * decision as a whole. A CPR or advance intervention decision inside any other module (beside the
 * person's wishes, which anyone caring for them may record) is guarded entry by entry by the
 * repository's senior-decision rule (src/repository/senior-decision-rule.ts) instead.
 */
const SENIOR_DECISION_ARCHETYPE = /^openEHR-EHR-SECTION\.respect_headings\./;

/** One thing wrong with a definition, at its JSON pointer (`/modules/0/form`; empty for the whole). */
export interface PathwayProblem {
  readonly path: string;
  readonly message: string;
}

/** What the check needs of a template: its OPT (for the archetypes it holds) and its web template (for the form's paths). */
export interface CheckedTemplate {
  readonly opt: OperationalTemplate;
  readonly webTemplate: WebTemplate;
  /** The current revision's number, where the templates come from the repository. */
  readonly version?: number;
}

export interface PathwayCheck {
  /** The definition with its defaults, when it matches the schema. */
  readonly pathway: PathwayDefinition | undefined;
  readonly problems: readonly PathwayProblem[];
  /** The generated form of each module's template, by template id, with the module's overrides. */
  readonly forms: ReadonlyMap<string, FormDefinition>;
}

/**
 * Checks one pathway definition against the schema, the templates it names and the other pathways
 * in force: a header template only on the core pathway (and the core pathway has one); module ids
 * unique across pathways; each module's template present and in no other pathway; a module whose
 * template records a ReSPECT form marked a senior decision; form overrides, rules and
 * prefills naming only sections and fields the form has; rules using only the declarative
 * operators; prefill queries that are AQL selecting the column they name. Every problem is
 * returned, each at its path, rather than the first.
 */
export function checkPathway(
  input: unknown,
  templates: ReadonlyMap<string, CheckedTemplate>,
  others: readonly PathwayDefinition[],
  options: { templateSource?: string } = {},
): PathwayCheck {
  const source = options.templateSource ?? 'templates/opt';
  const problems: PathwayProblem[] = [];
  const forms = new Map<string, FormDefinition>();
  const withDefaults = Value.Default(PathwayDefinitionSchema, structuredClone(input));
  if (!Value.Check(PathwayDefinitionSchema, withDefaults)) {
    for (const error of Value.Errors(PathwayDefinitionSchema, withDefaults))
      if (error.keyword !== 'anyOf') problems.push({ path: error.instancePath, message: error.message });
    return { pathway: undefined, problems, forms };
  }
  const pathway = withDefaults;
  if (others.some((other) => other.id === pathway.id)) problems.push({ path: '', message: `pathway id ${pathway.id} is used twice` });
  if (pathway.headerTemplateId !== undefined && pathway.core !== true)
    problems.push({ path: '', message: 'only the core pathway names a header template' });
  if (pathway.core === true && pathway.headerTemplateId === undefined)
    problems.push({ path: '', message: 'the core pathway must name the plan header template' });
  if (pathway.headerTemplateId !== undefined && !templates.has(pathway.headerTemplateId))
    problems.push({ path: '', message: `header template ${pathway.headerTemplateId} is not in ${source}` });
  const moduleOwners = new Map<string, string>();
  const templateOwners = new Set<string>();
  for (const other of others) {
    for (const module of other.modules) {
      moduleOwners.set(module.id, other.id);
      templateOwners.add(module.templateId);
    }
  }
  pathway.modules.forEach((module, index) => {
    const where = `/modules/${index}`;
    const owner = moduleOwners.get(module.id);
    if (owner !== undefined) problems.push({ path: where, message: `module id ${module.id} is already used by pathway ${owner}` });
    moduleOwners.set(module.id, pathway.id);
    const template = templates.get(module.templateId);
    if (template === undefined) {
      problems.push({ path: where, message: `template ${module.templateId} is not in ${source}` });
      return;
    }
    if (module.templateVersion !== undefined && template.version !== undefined && module.templateVersion > template.version)
      problems.push({
        path: `${where}/templateVersion`,
        message: `template ${module.templateId} has no revision ${module.templateVersion} (the current one is ${template.version})`,
      });
    if (!module.seniorDecision && recordsSeniorDecisions(template.opt)) {
      problems.push({
        path: where,
        message: `${module.templateId} records a ReSPECT form, whose recommendations are a senior decision, so the module must be one`,
      });
    }
    if (templateOwners.has(module.templateId) || forms.has(module.templateId))
      problems.push({ path: where, message: `template ${module.templateId} is already a module of another pathway` });
    const generated = buildFormDefinition(template.webTemplate);
    problems.push(...checkModuleForm(module, where, formPaths(generated), fieldPaths(generated)));
    forms.set(module.templateId, buildFormDefinition(template.webTemplate, module.form ?? {}));
  });
  return { pathway, problems, forms };
}

function checkModuleForm(module: PathwayModule, where: string, paths: readonly string[], fields: ReadonlySet<string>): PathwayProblem[] {
  const problems: PathwayProblem[] = [];
  const overrides = module.form ?? {};
  const named = [
    ...Object.keys(overrides.labels ?? {}),
    ...Object.keys(overrides.help ?? {}),
    ...(overrides.hidden ?? []),
    ...(overrides.order ?? []),
  ];
  for (const path of named)
    if (!paths.includes(path))
      problems.push({ path: `${where}/form`, message: `${path} is not a section or field of ${module.templateId}` });
  (module.rules ?? []).forEach((rule, index) =>
    problems.push(...checkRule(rule, `${where}/rules/${index}`, module.templateId, paths, fields)),
  );
  (module.prefill ?? []).forEach((prefill, index) =>
    problems.push(...checkPrefill(prefill, `${where}/prefill/${index}`, module.templateId, fields)),
  );
  return problems;
}

function checkRule(
  rule: FormRule,
  where: string,
  templateId: string,
  paths: readonly string[],
  fields: ReadonlySet<string>,
): PathwayProblem[] {
  const problems: PathwayProblem[] = [];
  const visit = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${at}/${index}`));
      return;
    }
    const entries = Object.entries(node);
    if (entries.length !== 1) {
      problems.push({ path: at, message: 'a JSON Logic operation is an object with exactly one operator' });
      return;
    }
    const [operator, argument] = entries[0] as [string, unknown];
    if (!(PATHWAY_RULE_OPERATORS as readonly string[]).includes(operator)) {
      problems.push({ path: at, message: `${operator} is not an operator rules may use (${PATHWAY_RULE_OPERATORS.join(', ')})` });
      return;
    }
    if (operator === 'var') {
      const path = Array.isArray(argument) ? argument[0] : argument;
      if (typeof path !== 'string') problems.push({ path: `${at}/var`, message: 'var names a field by its FLAT path' });
      else if (!fields.has(path)) problems.push({ path: `${at}/var`, message: `${path} is not a field of ${templateId}` });
      return;
    }
    visit(argument, `${at}/${operator.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  };
  if (rule.when === null || typeof rule.when !== 'object' || Array.isArray(rule.when))
    problems.push({ path: `${where}/when`, message: 'the condition is a JSON Logic operation (an object)' });
  else visit(rule.when, `${where}/when`);
  rule.then.forEach((action, index) => {
    const target =
      'show' in action
        ? action.show
        : 'hide' in action
          ? action.hide
          : 'require' in action
            ? action.require
            : 'set' in action
              ? action.set
              : action.clear;
    const settable = 'set' in action || 'clear' in action || 'require' in action;
    if (settable ? !fields.has(target) : !paths.includes(target))
      problems.push({
        path: `${where}/then/${index}`,
        message: `${target} is not a ${settable ? 'field' : 'section or field'} of ${templateId}`,
      });
  });
  return problems;
}

function checkPrefill(prefill: Prefill, where: string, templateId: string, fields: ReadonlySet<string>): PathwayProblem[] {
  const problems: PathwayProblem[] = [];
  if (!fields.has(prefill.path)) problems.push({ path: `${where}/path`, message: `${prefill.path} is not a field of ${templateId}` });
  if ('aql' in prefill.from) {
    try {
      const query = parseAql(prefill.from.aql);
      const aliases = query.select.columns.map((column) => column.alias);
      if (!aliases.includes(prefill.from.column))
        problems.push({
          path: `${where}/from/column`,
          message: `the query selects no column named ${prefill.from.column} (AS ${prefill.from.column})`,
        });
      if (!prefill.from.aql.includes('$ehr_id'))
        problems.push({
          path: `${where}/from/aql`,
          message: "the query must be confined to the person's record with the parameter $ehr_id",
        });
    } catch (error) {
      problems.push({ path: `${where}/from/aql`, message: `not AQL: ${(error as Error).message}` });
    }
  }
  return problems;
}

/** The FLAT paths of the form's fields (not its sections). */
function fieldPaths(form: FormDefinition): ReadonlySet<string> {
  const fields = new Set<string>();
  const walk = (nodes: FormDefinition['sections'][number]['children']): void => {
    for (const node of nodes) {
      if (node.kind === 'field') fields.add(node.path);
      else walk(node.children);
    }
  };
  for (const section of form.sections) walk(section.children);
  return fields;
}

function recordsSeniorDecisions(opt: OperationalTemplate): boolean {
  const found = (object: { archetypeId?: string; attributes?: readonly { children: readonly unknown[] }[] }): boolean =>
    (object.archetypeId !== undefined && SENIOR_DECISION_ARCHETYPE.test(object.archetypeId)) ||
    (object.attributes ?? []).some((attribute) => attribute.children.some((child) => found(child as typeof object)));
  return found(opt.definition);
}
