import { describedBy, FieldHintAndError, FormGroup } from '../field-parts';
import { Fieldset, type FieldsetProps } from '../fieldset/Fieldset';

/** `Value`: the values the boxes stand for, so a page keeps them as the type an API takes (roles, scopes). */
export interface CheckboxesProps<Value extends string = string> {
  idPrefix: string;
  name?: string;
  fieldset?: Omit<FieldsetProps, 'children' | 'describedBy'>;
  hint?: { text: string };
  errorMessage?: { text: string };
  items: readonly { value: Value; text: string; hint?: { text: string } }[];
  values: readonly Value[];
  onChange(values: Value[]): void;
}

/** nhsuk checkboxes: any number of choices (or one yes/no box). */
export function Checkboxes<Value extends string = string>({
  idPrefix,
  name,
  fieldset,
  hint,
  errorMessage,
  items,
  values,
  onChange,
}: CheckboxesProps<Value>) {
  return (
    <FormGroup error={errorMessage !== undefined}>
      <Fieldset {...fieldset} describedBy={describedBy(idPrefix, hint, errorMessage)}>
        <FieldHintAndError id={idPrefix} hint={hint} errorMessage={errorMessage} />
        <div className="nhsuk-checkboxes">
          {items.map((item, index) => {
            const id = index === 0 ? idPrefix : `${idPrefix}-${index + 1}`;
            const checked = values.includes(item.value);
            return (
              <div className="nhsuk-checkboxes__item" key={item.value}>
                <input
                  className="nhsuk-checkboxes__input"
                  id={id}
                  name={name ?? idPrefix}
                  type="checkbox"
                  value={item.value}
                  checked={checked}
                  onChange={() => onChange(checked ? values.filter((v) => v !== item.value) : [...values, item.value])}
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
                  {item.text}
                </label>
                {item.hint && <div className="nhsuk-hint nhsuk-checkboxes__hint">{item.hint.text}</div>}
              </div>
            );
          })}
        </div>
      </Fieldset>
    </FormGroup>
  );
}
