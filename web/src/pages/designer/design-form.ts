import type { FormDefinition, FormField, FormSection } from '../../api/care-plan-api';
import type { DesignedModule } from '../../api/designer-api';
import { formFields, type FlatContent } from '../../plan-form/flat-values';
import type { FormRule } from '../../plan-form/form-rules';
import { ruleText as sharedRuleText, type RuleWords } from '../../../../src/careplan/pathway/rule-text.js';

/**
 * The designer's view of a module's form: the form generated from its template (as the pathways
 * API serves it for the published version) with the version's own overrides put on, so the
 * designer sees and previews the draft's labels, help and hidden fields.
 */
export function withOverrides(form: FormDefinition, overrides: DesignedModule['form']): FormDefinition {
  const labels = overrides?.labels ?? {};
  const help = overrides?.help ?? {};
  const hidden = new Set(overrides?.hidden ?? []);
  const node = <T extends FormField | FormSection>(item: T): T => ({
    ...item,
    label: labels[item.path] ?? item.label,
    help: help[item.path] ?? item.help,
  });
  const section = (item: FormSection): FormSection => ({
    ...node(item),
    children: item.children
      .filter((child) => !hidden.has(child.path))
      .map((child) => (child.kind === 'field' ? node(child) : section(child))),
  });
  return { ...form, sections: form.sections.filter((item) => !hidden.has(item.path)).map(section) };
}

/** The form's fields in order, for pickers and the field table. */
export function fieldList(form: FormDefinition): FormField[] {
  return [...formFields(form).values()];
}

/** A field's label for a path, or the path itself when the form has no such field. */
export function labelOf(form: FormDefinition, path: string): string {
  return formFields(form).get(path)?.label ?? path;
}

/** Generated sample content for the preview: typed fields get an example; choices are left for the designer to try. */
export function sampleContent(form: FormDefinition): FlatContent {
  const sample: FlatContent = {};
  for (const field of fieldList(form)) {
    if (field.input === 'text') sample[field.path] = `Example: ${field.label.toLowerCase()}`;
    else if (field.input === 'date') sample[field.path] = '2026-01-15';
  }
  return sample;
}

/** The words of a form for rules: its fields' labels, and its options' labels for coded values. */
export function ruleWords(form: FormDefinition): RuleWords {
  const fields = formFields(form);
  return {
    label: (path) => fields.get(path)?.label ?? path,
    valueLabel: (path, value) => fields.get(path)?.options?.find((option) => option.value === value)?.label,
  };
}

/** A rule in plain words (`When “Under a crisis team” is yes: show “Crisis team contact”, …`), the words the reviewer's diff uses. */
export function ruleText(form: FormDefinition, rule: FormRule): string {
  return sharedRuleText(ruleWords(form), rule);
}
