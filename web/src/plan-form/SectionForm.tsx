import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { FormDefinition, FormField } from '../api/care-plan-api';
import { Button } from '../components/button/Button';
import { ErrorSummary, type ErrorSummaryItem } from '../components/error-summary/ErrorSummary';
import { controlId, fieldsOf, formFields, instancesOf, removeInstance, writeField, type FlatContent } from './flat-values';
import { applyValueActions, isHidden, isRequired, requiredProblem, ruleEffects, withoutHidden, type FormRule } from './form-rules';
import { SectionFields, type FormState } from './SectionFields';
import { fieldProblem } from './validation';

/**
 * One section's generated form: its fields, inline validation with an NHS error summary that
 * links to each field, and the submit button. The content is the caller's (`flat`), so the same
 * form serves the plan's shared draft and a draft of one's own; `onValid` runs when every field
 * passes. `problems` are the server's, shown in the same summary. `rules` are the module's
 * when/then rules (form-rules.ts): they hide, show and require fields as the content changes, set
 * or clear values, and a hidden field's value is not sent. `readOnly` shows the content with every
 * control disabled and no submit button (a preview over a real plan, an embedded form).
 */
export function SectionForm({
  form,
  flat,
  setFlat,
  heading,
  children,
  submitText,
  busy,
  problems,
  rules = [],
  idPrefix = '',
  readOnly = false,
  onValid,
}: {
  form: FormDefinition;
  flat: FlatContent;
  setFlat: (update: (current: FlatContent) => FlatContent) => void;
  heading: ReactNode;
  children?: ReactNode;
  submitText: string;
  busy: boolean;
  problems: ErrorSummaryItem[];
  rules?: readonly FormRule[];
  idPrefix?: string;
  readOnly?: boolean;
  onValid(content: FlatContent): void;
}) {
  const [added, setAdded] = useState<Record<string, number[]>>({});
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [summary, setSummary] = useState<ErrorSummaryItem[]>([]);
  const fields = useMemo(() => form.sections.flatMap((section) => fieldsOf(section, flat)), [form, flat]);
  const byPath = useMemo(() => formFields(form), [form]);
  const effects = useMemo(() => ruleEffects(rules, flat), [rules, flat]);
  const problemOf = (field: FormField, path: string): string | undefined => {
    const value = readFieldValue(field, path, flat);
    return (isRequired(effects, path) ? requiredProblem(field, value) : undefined) ?? fieldProblem(field, value);
  };

  const state: FormState = {
    flat,
    errors,
    hidden: (path) => isHidden(effects, path),
    idPrefix,
    setField: (field, path, value) =>
      setFlat((current) =>
        applyValueActions(rules, writeField(field, path, value, current), (at, set, content) => {
          const target = byPath.get(at);
          return target ? writeField(target, at, set, content) : content;
        }),
      ),
    checkField: (field: FormField, path: string) =>
      setErrors((current) => {
        const next = new Map(current);
        const problem = problemOf(field, path);
        if (problem) next.set(path, problem);
        else next.delete(path);
        return next;
      }),
    instances: (instanceBase) => {
      const present = instancesOf(instanceBase, flat);
      const all = [...new Set([...present, ...(added[instanceBase] ?? [])])].sort((a, b) => a - b);
      return all.length > 0 ? all : [0];
    },
    addInstance: (instanceBase, next) => setAdded((current) => ({ ...current, [instanceBase]: [...(current[instanceBase] ?? [0]), next] })),
    removeInstance: (instanceBase, index) => {
      setFlat((current) => removeInstance(instanceBase, index, current));
      setAdded((current) => ({
        ...current,
        [instanceBase]: (current[instanceBase] ?? []).filter((i) => i !== index).map((i) => (i > index ? i - 1 : i)),
      }));
    },
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (readOnly) return;
    const found = new Map<string, string>();
    for (const { field, path } of fields) {
      if (isHidden(effects, path)) continue;
      const problem = problemOf(field, path);
      if (problem) found.set(path, problem);
    }
    setErrors(found);
    const list = [...found].map(([path, text]) => ({ text, href: `#${idPrefix}${controlId(path)}` }));
    setSummary(list);
    if (list.length === 0) onValid(withoutHidden(flat, effects));
  }

  const shown = [...summary, ...problems];
  return (
    <form onSubmit={submit} noValidate>
      {shown.length > 0 && <ErrorSummary errorList={shown} />}
      {heading}
      {readOnly ? (
        <fieldset className="app-read-only" disabled>
          {form.sections.map((section) => (
            <SectionFields key={section.path} section={section} state={state} substitutions={[]} level={0} />
          ))}
        </fieldset>
      ) : (
        form.sections.map((section) => <SectionFields key={section.path} section={section} state={state} substitutions={[]} level={0} />)
      )}
      {children}
      {!readOnly && <Button text={busy ? 'Saving…' : submitText} disabled={busy} />}
    </form>
  );
}

function readFieldValue(field: FormField, path: string, flat: FlatContent): string {
  const direct = flat[path];
  if (
    field.input === 'date' ||
    field.input === 'datetime' ||
    field.input === 'text' ||
    field.input === 'integer' ||
    field.input === 'duration'
  ) {
    return direct === undefined ? '' : field.input === 'duration' ? String(direct).replace(/^PT(\d+)M$/, '$1') : String(direct);
  }
  if (field.input === 'quantity') return String(flat[`${path}|magnitude`] ?? '');
  return String(direct ?? flat[`${path}|code`] ?? '');
}
