import { useState, type ReactNode } from 'react';
import type { FormField } from '../api/care-plan-api';
import { DateInput, datePartsOf, isoDateOf, type DateParts } from '../components/date-input/DateInput';
import { Input } from '../components/input/Input';
import { Radios, type RadioItem } from '../components/radios/Radios';
import { Select } from '../components/select/Select';
import { Textarea } from '../components/textarea/Textarea';

export interface FieldInputProps {
  field: FormField;
  id: string;
  value: string;
  onChange(value: string): void;
  /** Checks the value when the person leaves the field (inline validation). */
  onBlur(): void;
  error: string | undefined;
  /** Shown under the chosen option of a choice (a field that applies only then). */
  conditional?: { when: (value: string) => boolean; content: ReactNode };
}

/** Free text that is likely to run to sentences gets a text area; names, numbers and codes a line. */
const LONG_TEXT =
  /narrative|description|comment|summary|words|wish|guidance|details|what |why|how |plan|preferences|needs|support|fear|value|instructions|reason|notes/i;

/** A coded choice with more options than this is searched rather than scanned. */
const SEARCH_FROM = 8;

/**
 * The control of one generated field, chosen by its input kind: text or a text area, radios for
 * a few coded options and a search for many, yes or no, day-month-year dates, numbers (a 0 to 10
 * range as a scale), quantities with their unit, minutes for durations.
 */
export function FieldInput({ field, id, value, onChange, onBlur, error, conditional }: FieldInputProps) {
  const label = { text: field.label, size: 's' as const };
  const hint = field.help ? { text: field.help } : undefined;
  const errorMessage = error ? { text: error } : undefined;
  const common = { ...(hint ? { hint } : {}), ...(errorMessage ? { errorMessage } : {}) };
  const withConditional = (items: RadioItem[]): RadioItem[] =>
    conditional ? items.map((item) => (conditional.when(item.value) ? { ...item, conditional: conditional.content } : item)) : items;

  switch (field.input) {
    case 'select':
    case 'ordinal': {
      const options = (field.options ?? []).map((option) => ({
        value: option.value,
        text: field.input === 'ordinal' && option.ordinal !== undefined ? `${option.ordinal}: ${option.label}` : option.label,
      }));
      if (options.length > SEARCH_FROM)
        return <SearchableChoice id={id} label={field.label} options={options} value={value} onChange={onChange} error={error} />;
      return (
        <Radios
          idPrefix={id}
          fieldset={{ legend: label }}
          {...common}
          items={withConditional(options)}
          value={value}
          onChange={(chosen) => {
            onChange(chosen);
            onBlur();
          }}
          small
        />
      );
    }
    case 'boolean':
      return (
        <Radios
          idPrefix={id}
          fieldset={{ legend: label }}
          {...common}
          items={withConditional([
            { value: 'true', text: 'Yes' },
            { value: 'false', text: 'No' },
          ])}
          value={value}
          onChange={onChange}
          inline={!conditional}
          small
        />
      );
    case 'integer':
      if (field.min === 0 && field.max !== undefined && field.max <= 10)
        return (
          <Radios
            idPrefix={id}
            fieldset={{ legend: label }}
            {...common}
            items={Array.from({ length: field.max + 1 }, (_, index) => ({ value: String(index), text: String(index) }))}
            value={value}
            onChange={onChange}
            inline
            small
          />
        );
      return (
        <Input
          id={id}
          label={label}
          {...common}
          inputmode="numeric"
          classes="nhsuk-input--width-4"
          value={value}
          onChange={onChange}
          onBlur={onBlur}
        />
      );
    case 'quantity':
      return (
        <Input
          id={id}
          label={label}
          {...common}
          inputmode="numeric"
          classes="nhsuk-input--width-5"
          {...(field.units?.[0] ? { suffix: field.units[0].unit } : {})}
          value={value}
          onChange={onChange}
          onBlur={onBlur}
        />
      );
    case 'duration':
      return (
        <Input
          id={id}
          label={label}
          {...common}
          inputmode="numeric"
          classes="nhsuk-input--width-4"
          suffix="minutes"
          value={value}
          onChange={onChange}
          onBlur={onBlur}
        />
      );
    case 'date':
    case 'datetime':
      return <DateField id={id} field={field} value={value} onChange={onChange} onBlur={onBlur} error={error} />;
    case 'coded-text':
      return (
        <Input
          id={id}
          label={label}
          hint={{ text: field.help || `Type the ${field.terminology === 'SNOMED-CT' ? 'SNOMED CT term' : 'term'}` }}
          {...(errorMessage ? { errorMessage } : {})}
          value={value}
          onChange={onChange}
          onBlur={onBlur}
        />
      );
    default:
      return LONG_TEXT.test(field.label) ? (
        <Textarea id={id} label={label} {...common} rows={3} value={value} onChange={onChange} />
      ) : (
        <Input id={id} label={label} {...common} value={value} onChange={onChange} onBlur={onBlur} />
      );
  }
}

/** Day, month and year boxes; the date is written once the three make a real date. */
function DateField({
  id,
  field,
  value,
  onChange,
  onBlur,
  error,
}: {
  id: string;
  field: FormField;
  value: string;
  onChange(value: string): void;
  onBlur(): void;
  error: string | undefined;
}) {
  const [parts, setParts] = useState<DateParts>(() => datePartsOf(value));
  const [typedError, setTypedError] = useState<string | undefined>();
  function change(next: DateParts) {
    setParts(next);
    const iso = isoDateOf(next);
    const empty = !next.day && !next.month && !next.year;
    if (iso) {
      setTypedError(undefined);
      onChange(field.input === 'datetime' ? `${iso}T00:00:00Z` : iso);
    } else if (empty) {
      setTypedError(undefined);
      onChange('');
    } else if (next.year.length === 4) setTypedError(`${field.label} must be a real date`);
    if (iso || empty) onBlur();
  }
  const shown = typedError ?? error;
  return (
    <DateInput
      id={id}
      fieldset={{ legend: { text: field.label, size: 's' } }}
      hint={{ text: field.help || 'For example, 15 3 2026' }}
      {...(shown ? { errorMessage: { text: shown } } : {})}
      value={parts}
      onChange={change}
    />
  );
}

/** Many coded options: type to narrow them down, then choose one (the choice stays when the search changes). */
function SearchableChoice({
  id,
  label,
  options,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  options: { value: string; text: string }[];
  value: string;
  onChange(value: string): void;
  error: string | undefined;
}) {
  const [search, setSearch] = useState('');
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matching = options.filter((option) => option.value === value || words.every((word) => option.text.toLowerCase().includes(word)));
  return (
    <div className="app-searchable-choice">
      <Input
        id={`${id}-search`}
        label={{ text: `${label}: search`, size: 's' }}
        hint={{ text: `Type to narrow down ${options.length} options` }}
        type="search"
        autocomplete="off"
        value={search}
        onChange={setSearch}
      />
      {matching.length > 20 && !search ? (
        <Select
          id={id}
          label={{ text: label }}
          items={[{ value: '', text: 'Choose one' }, ...options]}
          value={value}
          onChange={onChange}
          {...(error ? { errorMessage: { text: error } } : {})}
        />
      ) : (
        <Radios
          idPrefix={id}
          fieldset={{ legend: { text: label, size: 's' } }}
          items={matching.slice(0, 20)}
          value={value}
          onChange={onChange}
          small
          {...(error ? { errorMessage: { text: error } } : {})}
        />
      )}
    </div>
  );
}
