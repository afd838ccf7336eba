import type { ReactNode } from 'react';
import { classNames } from '../class-names';
import { describedBy, FieldHintAndError, FormGroup } from '../field-parts';
import { Fieldset, type FieldsetProps } from '../fieldset/Fieldset';

export interface RadioItem {
  value: string;
  text: string;
  hint?: { text: string };
  /** Shown under the item when it is chosen (a conditional reveal). */
  conditional?: ReactNode;
}

export interface RadiosProps {
  idPrefix: string;
  name?: string;
  fieldset?: Omit<FieldsetProps, 'children' | 'describedBy'>;
  hint?: { text: string };
  errorMessage?: { text: string };
  items: readonly RadioItem[];
  value: string | undefined;
  onChange(value: string): void;
  small?: boolean;
  inline?: boolean;
}

/** nhsuk radios: one choice from a few; conditional content appears under the chosen one. */
export function Radios({ idPrefix, name, fieldset, hint, errorMessage, items, value, onChange, small, inline }: RadiosProps) {
  return (
    <FormGroup error={errorMessage !== undefined}>
      <Fieldset {...fieldset} describedBy={describedBy(idPrefix, hint, errorMessage)}>
        <FieldHintAndError id={idPrefix} hint={hint} errorMessage={errorMessage} />
        <div className={classNames('nhsuk-radios', small && 'nhsuk-radios--small', inline && 'nhsuk-radios--inline')}>
          {items.map((item, index) => {
            const id = index === 0 ? idPrefix : `${idPrefix}-${index + 1}`;
            const checked = value === item.value;
            return (
              <div key={item.value}>
                <div className="nhsuk-radios__item">
                  <input
                    className="nhsuk-radios__input"
                    id={id}
                    name={name ?? idPrefix}
                    type="radio"
                    value={item.value}
                    checked={checked}
                    onChange={() => onChange(item.value)}
                    aria-describedby={item.hint ? `${id}-item-hint` : undefined}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
                    {item.text}
                  </label>
                  {item.hint && (
                    <div className="nhsuk-hint nhsuk-radios__hint" id={`${id}-item-hint`}>
                      {item.hint.text}
                    </div>
                  )}
                </div>
                {item.conditional && checked && (
                  <div className="nhsuk-radios__conditional" id={`${id}-conditional`}>
                    {item.conditional}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </Fieldset>
    </FormGroup>
  );
}
