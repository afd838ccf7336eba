import { classNames } from '../class-names';
import { describedBy, FieldHintAndError, FormGroup, Label, type LabelOptions } from '../field-parts';

export interface TextareaProps {
  id: string;
  name?: string;
  label: LabelOptions;
  hint?: { text: string };
  errorMessage?: { text: string };
  rows?: number;
  value: string;
  onChange(value: string): void;
}

/** nhsuk textarea: free text of more than a line. */
export function Textarea({ id, name, label, hint, errorMessage, rows = 4, value, onChange }: TextareaProps) {
  return (
    <FormGroup error={errorMessage !== undefined}>
      <Label label={label} htmlFor={id} />
      <FieldHintAndError id={id} hint={hint} errorMessage={errorMessage} />
      <textarea
        className={classNames('nhsuk-textarea', errorMessage && 'nhsuk-textarea--error')}
        id={id}
        name={name ?? id}
        rows={rows}
        value={value}
        aria-describedby={describedBy(id, hint, errorMessage)}
        onChange={(event) => onChange(event.target.value)}
      />
    </FormGroup>
  );
}
