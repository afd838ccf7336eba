import type { FormDefinition, FormField, FormSection } from '../../api/care-plan-api';
import type { DesignedModule } from '../../api/designer-api';
import { formFields, type FlatContent } from '../../plan-form/flat-values';
import type { FormRule, RuleAction } from '../../plan-form/form-rules';

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

function actionText(form: FormDefinition, action: RuleAction): string {
  if ('show' in action) return `show “${labelOf(form, action.show)}”`;
  if ('hide' in action) return `hide “${labelOf(form, action.hide)}”`;
  if ('require' in action) return `make “${labelOf(form, action.require)}” required`;
  if ('set' in action) return `set “${labelOf(form, action.set)}” to ${String(action.value)}`;
  return `clear “${labelOf(form, action.clear)}”`;
}

/** A condition in plain words for the common shapes (`field == value`), and as JSON Logic otherwise. */
function conditionText(form: FormDefinition, when: unknown): string {
  if (typeof when === 'object' && when !== null && !Array.isArray(when)) {
    const [operator, argument] = Object.entries(when)[0] ?? [];
    if ((operator === '==' || operator === '===') && Array.isArray(argument)) {
      const [left, right] = argument as unknown[];
      const path = typeof left === 'object' && left !== null ? (left as { var?: unknown }).var : undefined;
      if (typeof path === 'string') {
        const value = right === true ? 'yes' : right === false ? 'no' : `“${String(right)}”`;
        return `“${labelOf(form, path)}” is ${value}`;
      }
    }
  }
  return JSON.stringify(when);
}

/** A rule in plain words: `When “Under a crisis team” is yes: show “Crisis team contact”, make it required`. */
export function ruleText(form: FormDefinition, rule: FormRule): string {
  return `When ${conditionText(form, rule.when)}: ${rule.then.map((action) => actionText(form, action)).join(', ')}`;
}
