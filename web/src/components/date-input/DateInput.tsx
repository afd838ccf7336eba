import { classNames } from '../class-names';
import { describedBy, FieldHintAndError, FormGroup } from '../field-parts';
import { Fieldset, type FieldsetProps } from '../fieldset/Fieldset';

/** The three boxes of a date as typed, before they make a date. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export interface DateInputProps {
  id: string;
  fieldset?: Omit<FieldsetProps, 'children' | 'describedBy'>;
  hint?: { text: string };
  errorMessage?: { text: string };
  value: DateParts;
  onChange(value: DateParts): void;
}

const PARTS = [
  { key: 'day', label: 'Day', width: 2 },
  { key: 'month', label: 'Month', width: 2 },
  { key: 'year', label: 'Year', width: 4 },
] as const;

/** nhsuk date input: day, month and year boxes (the NHS pattern for a date someone knows). */
export function DateInput({ id, fieldset, hint, errorMessage, value, onChange }: DateInputProps) {
  return (
    <FormGroup error={errorMessage !== undefined}>
      <Fieldset {...fieldset} describedBy={describedBy(id, hint, errorMessage)}>
        <FieldHintAndError id={id} hint={hint} errorMessage={errorMessage} />
        <div className="nhsuk-date-input" id={id}>
          {PARTS.map((part) => (
            <div className="nhsuk-date-input__item" key={part.key}>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${part.key}`}>
                  {part.label}
                </label>
                <input
                  className={classNames(
                    'nhsuk-input nhsuk-date-input__input',
                    `nhsuk-input--width-${part.width}`,
                    errorMessage && 'nhsuk-input--error',
                  )}
                  id={`${id}-${part.key}`}
                  name={`${id}-${part.key}`}
                  type="text"
                  inputMode="numeric"
                  value={value[part.key]}
                  onChange={(event) => onChange({ ...value, [part.key]: event.target.value })}
                />
              </div>
            </div>
          ))}
        </div>
      </Fieldset>
    </FormGroup>
  );
}

/** The ISO date (YYYY-MM-DD) the parts make, or undefined when they make none. */
export function isoDateOf(parts: DateParts): string | undefined {
  const [day, month, year] = [Number(parts.day), Number(parts.month), Number(parts.year)];
  if (!Number.isInteger(day) || !Number.isInteger(month) || !/^\d{4}$/.test(parts.year.trim())) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

export function datePartsOf(iso: string | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return match
    ? { year: match[1] ?? '', month: String(Number(match[2])), day: String(Number(match[3])) }
    : { day: '', month: '', year: '' };
}
