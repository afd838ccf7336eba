import type { FormDefinition, FormField, FormSection } from '../careplan/pathway/form-definition.js';
import { ruleText, type RuleLike, type RuleWords } from '../careplan/pathway/rule-text.js';
import { diffDefinitions, type DefinitionChange } from './pathway-diff.js';

/** A change as the reviewer reads it: in plain language, with the JSON pointer it is at. */
export interface DescribedChange extends DefinitionChange {
  readonly description: string;
}

/** What a version holds that the reviewer compares: its definition and its clinical safety notes. */
export interface VersionContent {
  readonly definition: unknown;
  readonly safetyNotes: unknown;
}

/**
 * The generated form of a module's template (the revision it names, else the current one) with
 * the version's own labels put on; undefined when the template is not installed. Only labels:
 * hidden fields must still be found by name.
 */
export type FormOf = (module: {
  templateId: string;
  templateVersion?: number | undefined;
  labels: Record<string, string>;
}) => FormDefinition | undefined;

/** The rule the editor keeps its "required fields" in (EditDraftPage.tsx): one field required whenever the form is filled. */
const REQUIRED_RULE = 'required-fields';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const escape = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');
const q = (text: string): string => `‘${text}’`;

/** A value as the reviewer reads it: text quoted, yes/no, numbers as they are, anything else as compact JSON. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (typeof value === 'string') return q(value);
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** `from X to Y`, `X added`, `X removed`: one sentence ending for a value that changed. */
function fromTo(from: unknown, to: unknown): string {
  return `changed from ${shown(from)} to ${shown(to)}`;
}

function change(path: string, from: unknown, to: unknown, description: string): DescribedChange {
  if (from === undefined) return { path, change: 'added', to, description };
  if (to === undefined) return { path, change: 'removed', from, description };
  return { path, change: 'changed', from, to, description };
}

/** A list of items with unique string ids, by id; undefined when it is not one. */
function byId(list: unknown): Map<string, Json> | undefined {
  if (!Array.isArray(list) || !list.every((item) => isObject(item) && typeof item['id'] === 'string')) return undefined;
  const map = new Map((list as Json[]).map((item) => [item['id'] as string, item]));
  return map.size === list.length ? map : undefined;
}

/** The leaf changes under `base` in plain words, for what the describer does not know (an unsound draft). */
function generic(base: string, from: unknown, to: unknown, where: string): DescribedChange[] {
  return diffDefinitions(from, to).map((leaf) => {
    const path = `${base}${leaf.path}`;
    const readable = path.replaceAll('~1', '/').replaceAll('~0', '~');
    const what =
      leaf.change === 'added'
        ? `${shown(leaf.to)} added`
        : leaf.change === 'removed'
          ? `${shown(leaf.from)} removed`
          : fromTo(leaf.from, leaf.to);
    return { ...leaf, path, description: `${where} (${readable}): ${what}` };
  });
}

const PATHWAY_FIELDS: Readonly<Record<string, { name: string; words?: (value: unknown) => string }>> = {
  id: { name: 'Pathway id' },
  title: { name: 'Pathway title' },
  description: { name: 'Pathway description' },
  core: { name: 'Core pathway (in every plan)' },
  headerTemplateId: { name: 'Plan header template' },
  approval: {
    name: 'Approval of a plan',
    words: (value) =>
      value === 'senior'
        ? q('a senior clinician approves every version')
        : value === 'clinician'
          ? q('any clinician may publish')
          : shown(value),
  },
  reviewMaxMonths: {
    name: 'Longest time before a plan is reviewed',
    words: (value) => (typeof value === 'number' ? `${value} month${value === 1 ? '' : 's'}` : shown(value)),
  },
  recordType: {
    name: 'National record locator type',
    words: (value) =>
      isObject(value) && typeof value['display'] === 'string' && typeof value['code'] === 'string'
        ? `${q(value['display'])} (${value['system'] === 'http://snomed.info/sct' ? 'SNOMED CT ' : ''}${value['code']})`
        : value === undefined
          ? 'none'
          : shown(value),
  },
};

const MODULE_FIELDS: Readonly<Record<string, { name: string; words?: (value: unknown) => string }>> = {
  id: { name: 'id' },
  title: { name: 'title' },
  templateId: { name: 'template' },
  templateVersion: {
    name: 'template revision it is designed on',
    words: (value) => (value === undefined ? 'the current revision' : typeof value === 'number' ? `revision ${value}` : shown(value)),
  },
  kind: {
    name: 'who writes it',
    words: (value) => (value === 'clinical' ? q('clinicians') : value === 'non-clinical' ? q('any contributor to the plan') : shown(value)),
  },
  seniorDecision: {
    name: 'records senior decisions (writing and approving it need a senior clinician)',
    words: (value) => shown(value ?? false),
  },
  neededToPublish: { name: 'needed before a plan is published', words: (value) => shown(value ?? false) },
};

/** Where a path is in a module's form, in words: `Module ‘M’ › section ‘S’ › field ‘F’`. */
class ModuleForm {
  readonly #items = new Map<string, { item: FormField | FormSection; sections: readonly FormSection[] }>();

  constructor(
    readonly form: FormDefinition | undefined,
    readonly moduleTitle: string,
  ) {
    const visit = (item: FormField | FormSection, sections: readonly FormSection[]): void => {
      this.#items.set(item.path, { item, sections });
      if (item.kind === 'section') for (const child of item.children) visit(child, [...sections, item]);
    };
    for (const section of form?.sections ?? []) visit(section, []);
  }

  field(path: string): FormField | undefined {
    const found = this.#items.get(path)?.item;
    return found?.kind === 'field' ? found : undefined;
  }

  has(path: string): boolean {
    return this.#items.has(path) || path === this.form?.root;
  }

  /** The label of a path in this form, if it has the path. */
  label(path: string): string | undefined {
    return path === this.form?.root ? this.form.title : this.#items.get(path)?.item.label;
  }

  /** The words for a path, read in `forms` in turn (before the change, then after): the first that has it names it. */
  static where(forms: readonly ModuleForm[], path: string, moduleTitle: string): string {
    const module = `Module ${q(moduleTitle)}`;
    for (const form of forms) {
      if (path === form.form?.root) return `${module} › the form’s title`;
      const found = form.#items.get(path);
      if (!found) continue;
      const chain = [...found.sections.map((section) => `section ${q(section.label)}`)];
      chain.push(`${found.item.kind === 'field' ? 'field' : 'section'} ${q(found.item.label)}`);
      return [module, ...chain].join(' › ');
    }
    return `${module} › ${q(path)} (not a field of its template)`;
  }

  words(): RuleWords {
    return {
      label: (path) => this.label(path) ?? path,
      valueLabel: (path, value) => this.field(path)?.options?.find((option) => option.value === value)?.label,
    };
  }
}

const SOURCES: Readonly<Record<string, string>> = {
  name: 'the person’s name',
  birthDate: 'their date of birth',
  address: 'their address',
  gp: 'their registered GP practice',
};

function prefillSource(from: unknown): string {
  if (isObject(from) && typeof from['demographics'] === 'string') return SOURCES[from['demographics']] ?? shown(from['demographics']);
  if (isObject(from) && typeof from['aql'] === 'string')
    return `a question of their record (AQL, column ${shown(from['column'])}: ${from['aql']})`;
  return shown(from);
}

function optionsText(field: FormField): string {
  return (field.options ?? []).map((option) => q(option.label)).join(', ');
}

/**
 * The changes from one version to another as a clinical designer reads them, each with its JSON
 * pointer (`/definition/…`, `/safetyNotes/…`; an item of a list with ids named by its id):
 * pathway settings; modules added, removed, re-ordered or changed; each field's label, help,
 * whether it is hidden or required, named by its module, sections and label; rules in the
 * editor's words (rule-text.ts); prefills and where they fill from; the fields and allowed values
 * a change of template revision brings; and the safety notes. What it cannot read as a pathway
 * (an unsound draft) is listed leaf by leaf, as the pointer says.
 */
export function describeVersionChanges(before: VersionContent, after: VersionContent, formOf: FormOf): DescribedChange[] {
  const changes: DescribedChange[] = [];
  const a = isObject(before.definition) ? before.definition : {};
  const b = isObject(after.definition) ? after.definition : {};
  if (!isObject(before.definition) || !isObject(after.definition)) {
    changes.push(...generic('/definition', before.definition, after.definition, 'The definition'));
  } else {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      if (key === 'modules' || same(a[key], b[key])) continue;
      const known = PATHWAY_FIELDS[key];
      const path = `/definition/${escape(key)}`;
      if (known && (typeof a[key] !== 'object' || key === 'recordType') && (typeof b[key] !== 'object' || key === 'recordType')) {
        const words = known.words ?? shown;
        changes.push(change(path, a[key], b[key], `${known.name} changed from ${words(a[key])} to ${words(b[key])}`));
      } else changes.push(...generic(path, a[key], b[key], known?.name ?? `Pathway ${q(key)}`));
    }
    changes.push(...moduleChanges(a['modules'], b['modules'], formOf));
  }
  changes.push(...safetyNoteChanges(before.safetyNotes, after.safetyNotes));
  return changes;
}

function moduleChanges(before: unknown, after: unknown, formOf: FormOf): DescribedChange[] {
  const old = byId(before);
  const next = byId(after);
  if (!old || !next) return same(before, after) ? [] : generic('/definition/modules', before, after, 'Modules');
  const changes: DescribedChange[] = [];
  const titleOf = (module: Json, id: string): string => (typeof module['title'] === 'string' ? module['title'] : id);
  for (const [id, module] of next) {
    const path = `/definition/modules/${escape(id)}`;
    const was = old.get(id);
    if (!was) {
      const template = typeof module['templateId'] === 'string' ? `, template ${q(module['templateId'])}` : '';
      changes.push(change(path, undefined, module, `Module ${q(titleOf(module, id))} added${template}`));
      changes.push(...oneModule(path, {}, module, titleOf(module, id), formOf, true));
    } else changes.push(...oneModule(path, was, module, titleOf(was, id), formOf, false));
  }
  for (const [id, module] of old)
    if (!next.has(id))
      changes.push(change(`/definition/modules/${escape(id)}`, module, undefined, `Module ${q(titleOf(module, id))} removed`));
  const kept = [...old.keys()].filter((id) => next.has(id));
  const keptNow = [...next.keys()].filter((id) => old.has(id));
  if (!same(kept, keptNow)) {
    const titles = (ids: string[], from: Map<string, Json>) => ids.map((id) => q(titleOf(from.get(id) ?? {}, id))).join(', ');
    changes.push({
      path: '/definition/modules#order',
      change: 'changed',
      from: kept,
      to: keptNow,
      description: `Modules re-ordered: now ${titles(keptNow, next)} (was ${titles(kept, old)})`,
    });
  }
  return changes;
}

function formFor(module: Json, formOf: FormOf): FormDefinition | undefined {
  if (typeof module['templateId'] !== 'string') return undefined;
  const form = isObject(module['form']) ? module['form'] : {};
  const labels = isObject(form['labels'])
    ? Object.fromEntries(Object.entries(form['labels']).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
    : {};
  const templateVersion = typeof module['templateVersion'] === 'number' ? module['templateVersion'] : undefined;
  return formOf({ templateId: module['templateId'], templateVersion, labels });
}

/** A module's own changes; `added`: the module is new, so its settings (title, template …) are said once, in the added line. */
function oneModule(path: string, a: Json, b: Json, title: string, formOf: FormOf, added: boolean): DescribedChange[] {
  const changes: DescribedChange[] = [];
  const forms = [new ModuleForm(formFor(a, formOf), title), new ModuleForm(formFor(b, formOf), title)];
  const [before, after] = forms as [ModuleForm, ModuleForm];
  const module = `Module ${q(title)}`;
  const where = (at: string): string => ModuleForm.where(forms, at, title);
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (same(a[key], b[key]) || ['form', 'rules', 'prefill'].includes(key)) continue;
    const known = MODULE_FIELDS[key];
    if (added && known) continue;
    if (known && typeof a[key] !== 'object' && typeof b[key] !== 'object') {
      const words = known.words ?? shown;
      changes.push(
        change(`${path}/${escape(key)}`, a[key], b[key], `${module}: ${known.name} changed from ${words(a[key])} to ${words(b[key])}`),
      );
    } else changes.push(...generic(`${path}/${escape(key)}`, a[key], b[key], module));
  }
  changes.push(...formChanges(path, a['form'], b['form'], forms, title));
  changes.push(...ruleChanges(path, a['rules'], b['rules'], before, after, where, module));
  changes.push(...prefillChanges(path, a['prefill'], b['prefill'], where, module));
  if (!added && (a['templateId'] !== b['templateId'] || a['templateVersion'] !== b['templateVersion']))
    changes.push(...templateFieldChanges(path, a, b, before, after, title));
  return changes;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return {};
  return isObject(value) && Object.values(value).every((item) => typeof item === 'string') ? (value as Record<string, string>) : undefined;
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function formChanges(path: string, a: unknown, b: unknown, forms: readonly ModuleForm[], title: string): DescribedChange[] {
  if (same(a, b)) return [];
  const base = `${path}/form`;
  const module = `Module ${q(title)}`;
  if ((a !== undefined && !isObject(a)) || (b !== undefined && !isObject(b))) return generic(base, a, b, module);
  const before = a ?? {};
  const after = b ?? {};
  const changes: DescribedChange[] = [];
  const where = (at: string): string => ModuleForm.where(forms, at, title);
  const labelIn = (form: ModuleForm | undefined, at: string): string => shown(form?.label(at) ?? at);
  const templateLabel = (at: string): string | undefined => forms.map((form) => form.label(at)).find((label) => label !== undefined);
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
    if (same(before[key], after[key])) continue;
    const at = `${base}/${escape(key)}`;
    if (key === 'labels' || key === 'help') {
      const old = stringRecord(before[key]);
      const next = stringRecord(after[key]);
      if (!old || !next) {
        changes.push(...generic(at, before[key], after[key], module));
        continue;
      }
      const what = key === 'labels' ? 'label' : 'help text';
      for (const field of [...new Set([...Object.keys(old), ...Object.keys(next)])].sort()) {
        const [from, to] = [old[field], next[field]];
        if (from === to) continue;
        const text =
          from === undefined
            ? key === 'labels'
              ? `label changed from ${labelIn(forms[0], field)} (the template’s) to ${shown(to)}`
              : `help text added: ${shown(to)}`
            : to === undefined
              ? key === 'labels'
                ? `label changed from ${shown(from)} back to the template’s ${labelIn(forms[1], field)}`
                : `help text ${shown(from)} removed`
              : `${what} ${fromTo(from, to)}`;
        changes.push(change(`${at}/${escape(field)}`, from, to, `${where(field)}: ${text}`));
      }
    } else if (key === 'hidden') {
      const old = stringList(before[key]);
      const next = stringList(after[key]);
      if (!old || !next) {
        changes.push(...generic(at, before[key], after[key], module));
        continue;
      }
      for (const field of next.filter((item) => !old.includes(item)))
        changes.push(change(`${at}/${escape(field)}`, undefined, field, `${where(field)}: hidden, left out of the form`));
      for (const field of old.filter((item) => !next.includes(item)))
        changes.push(change(`${at}/${escape(field)}`, field, undefined, `${where(field)}: shown in the form again`));
    } else if (key === 'order') {
      const old = stringList(before[key]);
      const next = stringList(after[key]);
      if (!old || !next) {
        changes.push(...generic(at, before[key], after[key], module));
        continue;
      }
      const named = (list: string[]) =>
        list.length === 0 ? 'the template’s order' : list.map((item) => q(templateLabel(item) ?? item)).join(', ');
      changes.push(change(at, before[key], after[key], `${module}: sections in the order ${named(next)} (was ${named(old)})`));
    } else changes.push(...generic(at, before[key], after[key], module));
  }
  return changes;
}

function requiredPaths(rule: Json | undefined): string[] {
  const then = Array.isArray(rule?.['then']) ? (rule['then'] as unknown[]) : [];
  return then.flatMap((action) => (isObject(action) && typeof action['require'] === 'string' ? [action['require']] : []));
}

function isRule(value: Json): value is Json & RuleLike {
  return Array.isArray(value['then']);
}

function ruleChanges(
  path: string,
  a: unknown,
  b: unknown,
  before: ModuleForm,
  after: ModuleForm,
  where: (at: string) => string,
  module: string,
): DescribedChange[] {
  if (same(a, b)) return [];
  const old = a === undefined ? new Map<string, Json>() : byId(a);
  const next = b === undefined ? new Map<string, Json>() : byId(b);
  if (!old || !next) return generic(`${path}/rules`, a, b, `${module}: rules`);
  const changes: DescribedChange[] = [];
  const text = (rule: Json, form: ModuleForm): string => (isRule(rule) ? ruleText(form.words(), rule) : JSON.stringify(rule));
  const why = (rule: Json): string => (typeof rule['description'] === 'string' ? ` (${rule['description']})` : '');
  for (const id of [...new Set([...old.keys(), ...next.keys()])]) {
    const [from, to] = [old.get(id), next.get(id)];
    if (same(from, to)) continue;
    const at = `${path}/rules/${escape(id)}`;
    if (id === REQUIRED_RULE) {
      // The editor's "required fields": said field by field.
      const [was, now] = [requiredPaths(from), requiredPaths(to)];
      for (const field of now.filter((item) => !was.includes(item)))
        changes.push(
          change(`${at}/${escape(field)}`, undefined, field, `${where(field)}: required (a clinician cannot save the section without it)`),
        );
      for (const field of was.filter((item) => !now.includes(item)))
        changes.push(change(`${at}/${escape(field)}`, field, undefined, `${where(field)}: no longer required`));
      if (same(was, now) || (from && to && !same({ ...from, then: [] }, { ...to, then: [] })))
        changes.push(change(at, from, to, `${module}: the rule of its required fields changed to ${to ? q(text(to, after)) : 'nothing'}`));
      continue;
    }
    if (!from && to) changes.push(change(at, undefined, to, `${module}: rule ${q(id)} added: ${text(to, after)}${why(to)}`));
    else if (from && !to) changes.push(change(at, from, undefined, `${module}: rule ${q(id)} removed: ${text(from, before)}${why(from)}`));
    else if (from && to) {
      const [was, now] = [text(from, before), text(to, after)];
      if (was !== now) changes.push(change(at, from, to, `${module}: rule ${q(id)} changed from ${q(was)} to ${q(now)}`));
      if (!same(from['description'], to['description']))
        changes.push(
          change(
            `${at}/description`,
            from['description'],
            to['description'],
            `${module}: what rule ${q(id)} is for ${fromTo(from['description'], to['description'])}`,
          ),
        );
    }
  }
  return changes;
}

function prefillChanges(path: string, a: unknown, b: unknown, where: (at: string) => string, module: string): DescribedChange[] {
  if (same(a, b)) return [];
  const list = (value: unknown): Json[] | undefined =>
    value === undefined
      ? []
      : Array.isArray(value) && value.every((item) => isObject(item) && typeof item['path'] === 'string')
        ? value
        : undefined;
  const old = list(a);
  const next = list(b);
  if (!old || !next) return generic(`${path}/prefill`, a, b, `${module}: prefills`);
  const changes: DescribedChange[] = [];
  const pathOf = (item: Json): string => item['path'] as string;
  next.forEach((prefill, index) => {
    const was = old.find((item) => pathOf(item) === pathOf(prefill));
    const at = `${path}/prefill/${index}`;
    if (!was) changes.push(change(at, undefined, prefill, `${where(pathOf(prefill))}: prefilled from ${prefillSource(prefill['from'])}`));
    else if (!same(was, prefill))
      changes.push(
        change(
          at,
          was,
          prefill,
          `${where(pathOf(prefill))}: prefilled from ${prefillSource(prefill['from'])} (was from ${prefillSource(was['from'])})`,
        ),
      );
  });
  old.forEach((prefill, index) => {
    if (!next.some((item) => pathOf(item) === pathOf(prefill)))
      changes.push(
        change(
          `${path}/prefill/${index}`,
          prefill,
          undefined,
          `${where(pathOf(prefill))}: no longer prefilled (was from ${prefillSource(prefill['from'])})`,
        ),
      );
  });
  return changes;
}

/** The fields and allowed values a module's new template (or revision) brings, against the one it had. */
function templateFieldChanges(path: string, a: Json, b: Json, before: ModuleForm, after: ModuleForm, title: string): DescribedChange[] {
  if (!before.form || !after.form) return [];
  const key = a['templateId'] !== b['templateId'] ? 'templateId' : 'templateVersion';
  const at = `${path}/${key}`;
  const fields = (form: ModuleForm): FormField[] => {
    const found: FormField[] = [];
    const visit = (item: FormField | FormSection): void => (item.kind === 'field' ? void found.push(item) : item.children.forEach(visit));
    form.form?.sections.forEach(visit);
    return found;
  };
  const changes: DescribedChange[] = [];
  const [old, next] = [fields(before), fields(after)];
  for (const field of next) {
    const was = before.field(field.path);
    const where = ModuleForm.where([after], field.path, title);
    if (!was) {
      const values = field.options && field.options.length > 0 ? `; allowed values ${optionsText(field)}` : '';
      changes.push({ path: at, change: 'changed', from: a[key], to: b[key], description: `${where}: added by the template${values}` });
    } else if (!same(was.options ?? [], field.options ?? [])) {
      const labels = (list: FormField) => new Set((list.options ?? []).map((option) => option.label));
      const [then, now] = [labels(was), labels(field)];
      const gained = [...now].filter((label) => !then.has(label)).map(q);
      const lost = [...then].filter((label) => !now.has(label)).map(q);
      const detail = [gained.length > 0 ? `added ${gained.join(', ')}` : '', lost.length > 0 ? `removed ${lost.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
      changes.push({
        path: at,
        change: 'changed',
        from: (was.options ?? []).map((option) => option.value),
        to: (field.options ?? []).map((option) => option.value),
        description: `${where}: allowed values now ${optionsText(field) || 'any'} (${detail || 'codes changed'})`,
      });
    }
  }
  for (const field of old)
    if (!after.has(field.path))
      changes.push({
        path: at,
        change: 'changed',
        from: a[key],
        to: b[key],
        description: `${ModuleForm.where([before], field.path, title)}: no longer in the template`,
      });
  return changes;
}

/** Safety notes matched by their hazard: a note added, removed, or its controls changed. */
function safetyNoteChanges(a: unknown, b: unknown): DescribedChange[] {
  if (same(a, b)) return [];
  const notes = (value: unknown): Json[] | undefined =>
    Array.isArray(value) && value.every(isObject) ? value : value === undefined ? [] : undefined;
  const old = notes(a);
  const next = notes(b);
  if (!old || !next) return generic('/safetyNotes', a, b, 'Clinical safety notes');
  const said = (note: Json): string => `hazard ${shown(note['hazard'])}, controls ${shown(note['controls'])}`;
  const changes: DescribedChange[] = [];
  next.forEach((note, index) => {
    if (old.some((was) => same(was, note))) return;
    const was = old.find((candidate) => same(candidate['hazard'], note['hazard']) && !next.some((other) => same(other, candidate)));
    if (was)
      changes.push(
        change(
          `/safetyNotes/${index}/controls`,
          was['controls'],
          note['controls'],
          `Safety note on the hazard ${shown(note['hazard'])}: controls ${fromTo(was['controls'], note['controls'])}`,
        ),
      );
    else changes.push(change(`/safetyNotes/${index}`, undefined, note, `Safety note added: ${said(note)}`));
  });
  old.forEach((note, index) => {
    if (!next.some((candidate) => same(candidate, note) || same(candidate['hazard'], note['hazard'])))
      changes.push(change(`/safetyNotes/${index}`, note, undefined, `Safety note removed: ${said(note)}`));
  });
  return changes;
}
