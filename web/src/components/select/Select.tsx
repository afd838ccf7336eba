import { classNames } from '../class-names';
import { describedBy, FieldHintAndError, FormGroup, Label, type LabelOptions } from '../field-parts';

export interface SelectProps {
  id: string;
  name?: string;
  label: LabelOptions;
  hint?: { text: string };
  errorMessage?: { text: string };
  items: readonly { value: string; text: string }[];
  value: string;
  onChange(value: string): void;
}

/** nhsuk select: one choice from a longer list (prefer radios when there are few). */
export function Select({ id, name, label, hint, errorMessage, items, value, onChange }: SelectProps) {
  return (
    <FormGroup error={errorMessage !== undefined}>
      <Label label={label} htmlFor={id} />
      <FieldHintAndError id={id} hint={hint} errorMessage={errorMessage} />
      <select
        className={classNames('nhsuk-select', errorMessage && 'nhsuk-select--error')}
        id={id}
        name={name ?? id}
        value={value}
        aria-describedby={describedBy(id, hint, errorMessage)}
        onChange={(event) => onChange(event.target.value)}
      >
        {items.map((item) => (
          <option key={item.value} value={item.value}>
            {item.text}
          </option>
        ))}
      </select>
    </FormGroup>
  );
}
