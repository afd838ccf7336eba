import type { FormField } from '../api/care-plan-api';

/**
 * What is wrong with a value typed into a generated field, in the NHS content style (say what to
 * do, name the field), or undefined. Empty values are for the template's own completeness check,
 * which the server reports; here only what cannot be saved is caught.
 */
export function fieldProblem(field: FormField, value: string): string | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const name = field.label.charAt(0).toLowerCase() + field.label.slice(1);
  switch (field.input) {
    case 'integer': {
      if (!/^-?\d+$/.test(text)) return `${field.label} must be a whole number`;
      const number = Number(text);
      if (field.min !== undefined && number < field.min) return `${field.label} must be ${field.min} or more`;
      if (field.max !== undefined && number > field.max) return `${field.label} must be ${field.max} or less`;
      return undefined;
    }
    case 'quantity': {
      if (!/^-?\d+(\.\d+)?$/.test(text)) return `${field.label} must be a number`;
      const unit = field.units?.[0];
      const number = Number(text);
      if (unit?.min !== undefined && number < unit.min) return `${field.label} must be ${unit.min} ${unit.unit} or more`;
      if (unit?.max !== undefined && number > unit.max) return `${field.label} must be ${unit.max} ${unit.unit} or less`;
      return undefined;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? undefined : `${field.label} must be a real date`;
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? undefined : `${field.label} must be a real date`;
    case 'duration':
      return /^\d+$/.test(text) ? undefined : `Enter ${name} as a number of minutes`;
    default:
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(text)) return `Enter ${name} in the right format`;
      return undefined;
  }
}
