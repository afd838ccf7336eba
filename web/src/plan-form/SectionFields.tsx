import type { FormField, FormSection } from '../api/care-plan-api';
import { Button } from '../components/button/Button';
import { Fieldset } from '../components/fieldset/Fieldset';
import { FieldInput } from './FieldInput';
import { controlId, instancePath, readField, type FlatContent, type Substitutions } from './flat-values';

export interface FormState {
  flat: FlatContent;
  errors: ReadonlyMap<string, string>;
  /** Whether the module's rules hide the field or section at this instance path now. */
  hidden(path: string): boolean;
  /** Put before every control's id, so two forms of the same template can share a page (the designer's preview). */
  idPrefix: string;
  setField(field: FormField, path: string, value: string): void;
  checkField(field: FormField, path: string): void;
  /** The instances of a repeating section to show: those with content and those just added (at least one). */
  instances(base: string): number[];
  addInstance(base: string, next: number): void;
  removeInstance(base: string, index: number): void;
}

/**
 * A field whose label starts "If no" or "If yes" applies only after the answer before it: it is
 * shown under that answer (the NHS conditional reveal) instead of on its own.
 */
function conditionOf(label: string): ((value: string, text: string) => boolean) | undefined {
  if (/^if (no|not)\b/i.test(label)) return (value, text) => value === 'false' || /^(no|not|does not|absent|without)\b/i.test(text);
  if (/^if (yes|so)\b/i.test(label)) return (value, text) => value === 'true' || /^(yes|has|present|with)\b/i.test(text);
  return undefined;
}

function optionText(field: FormField, value: string): string {
  return field.options?.find((option) => option.value === value)?.label ?? (value === 'true' ? 'Yes' : value === 'false' ? 'No' : value);
}

export function SectionFields({
  section,
  state,
  substitutions,
  level,
}: {
  section: FormSection;
  state: FormState;
  substitutions: Substitutions;
  level: number;
}) {
  const path = instancePath(section.path, substitutions);
  if (state.hidden(path)) return null;
  const repeats = section.repeatable && path.endsWith(':0');
  const base = path.slice(0, -2);
  const indexes: (number | undefined)[] = repeats ? state.instances(base) : [undefined];
  const singular = section.label.replace(/s$/, '').toLowerCase();
  return (
    <>
      {indexes.map((index, position) => {
        const here: Substitutions = index === undefined ? substitutions : [...substitutions, [section.path, `${base}:${index}`]];
        const legend = repeats && indexes.length > 1 ? `${section.label} ${position + 1}` : section.label;
        return (
          <Fieldset
            key={index ?? 'single'}
            legend={{ text: legend, size: level <= 1 ? 'm' : 's' }}
            classes={level > 1 ? 'app-form-subsection' : undefined}
          >
            {section.help && level <= 1 && <p className="nhsuk-hint">{section.help}</p>}
            <Children children={section.children} state={state} substitutions={here} level={level} />
            {repeats && indexes.length > 1 && index !== undefined && (
              <Button
                type="button"
                variant="secondary"
                small
                text={`Remove ${singular} ${position + 1}`}
                onClick={() => state.removeInstance(base, index)}
              />
            )}
          </Fieldset>
        );
      })}
      {repeats && (
        <Button
          type="button"
          variant="secondary"
          small
          text={`Add another ${singular}`}
          onClick={() => state.addInstance(base, Math.max(...indexes.map((i) => i ?? 0)) + 1)}
        />
      )}
    </>
  );
}

function Children({
  children,
  state,
  substitutions,
  level,
}: {
  children: FormSection['children'];
  state: FormState;
  substitutions: Substitutions;
  level: number;
}) {
  const consumed = new Set<number>();
  return (
    <>
      {children.map((child, index) => {
        if (consumed.has(index)) return null;
        if (child.kind === 'section')
          return <SectionFields key={child.path} section={child} state={state} substitutions={substitutions} level={level + 1} />;
        const next = children[index + 1];
        const condition = next?.kind === 'field' ? conditionOf(next.label) : undefined;
        if (next?.kind === 'field' && condition && ['select', 'boolean'].includes(child.input)) consumed.add(index + 1);
        return (
          <Control
            key={child.path}
            field={child}
            state={state}
            substitutions={substitutions}
            {...(next?.kind === 'field' && condition && consumed.has(index + 1) ? { dependent: { field: next, when: condition } } : {})}
          />
        );
      })}
    </>
  );
}

function Control({
  field,
  state,
  substitutions,
  dependent,
}: {
  field: FormField;
  state: FormState;
  substitutions: Substitutions;
  dependent?: { field: FormField; when: (value: string, text: string) => boolean };
}) {
  const path = instancePath(field.path, substitutions);
  if (state.hidden(path)) return null;
  const id = `${state.idPrefix}${controlId(path)}`;
  const conditional = dependent
    ? {
        when: (value: string) => dependent.when(value, optionText(field, value)),
        content: <Control field={dependent.field} state={state} substitutions={substitutions} />,
      }
    : undefined;
  return (
    <FieldInput
      field={field}
      id={id}
      value={readField(field, path, state.flat)}
      onChange={(value) => state.setField(field, path, value)}
      onBlur={() => state.checkField(field, path)}
      error={state.errors.get(path)}
      {...(conditional ? { conditional } : {})}
    />
  );
}
