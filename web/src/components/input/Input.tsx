import type { HTMLInputAutoCompleteAttribute } from 'react';
import { classNames } from '../class-names';
import { describedBy, FieldHintAndError, FormGroup, Label, type LabelOptions } from '../field-parts';

export interface InputProps {
  id: string;
  name?: string;
  label: LabelOptions;
  hint?: { text: string };
  errorMessage?: { text: string };
  type?: 'text' | 'password' | 'email' | 'tel' | 'search' | 'number';
  inputmode?: 'numeric' | 'text' | 'tel' | 'email' | 'search';
  autocomplete?: HTMLInputAutoCompleteAttribute;
  spellcheck?: boolean;
  /** nhsuk width classes, such as nhsuk-input--width-10. */
  classes?: string;
  value: string;
  onChange(value: string): void;
  onBlur?: () => void;
  prefix?: string;
  suffix?: string;
}

/** nhsuk text input with its label, hint and error message. */
export function Input(props: InputProps) {
  const {
    id,
    name,
    label,
    hint,
    errorMessage,
    type = 'text',
    inputmode,
    autocomplete,
    spellcheck,
    classes,
    value,
    onChange,
    onBlur,
  } = props;
  const input = (
    <input
      className={classNames('nhsuk-input', errorMessage && 'nhsuk-input--error', classes)}
      id={id}
      name={name ?? id}
      type={type}
      inputMode={inputmode}
      autoComplete={autocomplete}
      spellCheck={spellcheck}
      value={value}
      aria-describedby={describedBy(id, hint, errorMessage)}
      onChange={(event) => onChange(event.target.value)}
      onBlur={onBlur}
    />
  );
  return (
    <FormGroup error={errorMessage !== undefined}>
      <Label label={label} htmlFor={id} />
      <FieldHintAndError id={id} hint={hint} errorMessage={errorMessage} />
      {props.prefix || props.suffix ? (
        <div className="nhsuk-input-wrapper">
          {props.prefix && (
            <div className="nhsuk-input__prefix" aria-hidden="true">
              {props.prefix}
            </div>
          )}
          {input}
          {props.suffix && (
            <div className="nhsuk-input__suffix" aria-hidden="true">
              {props.suffix}
            </div>
          )}
        </div>
      ) : (
        input
      )}
    </FormGroup>
  );
}
