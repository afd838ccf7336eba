import type { WebTemplateInput } from '../template/index.js';
import { exampleNumber } from './example-number.js';

const DESIGNATORS: Readonly<Record<string, string>> = {
  year: 'Y',
  month: 'M',
  week: 'W',
  day: 'D',
  hour: 'TH',
  minute: 'TM',
  second: 'TS',
};

/** Fields used for an unconstrained duration, most readable first. */
const PREFERRED_FIELDS = ['day', 'hour', 'minute', 'week', 'month', 'year', 'second'];

/**
 * An ISO 8601 duration of one field that the web template inputs allow (one input per allowed
 * field, `|year` … `|second`, each with its range). A field whose range the template bounds
 * explicitly (a maximum, or a minimum above 0) is used first, since a bound on one field limits
 * the whole duration.
 */
export function exampleDuration(inputs: readonly WebTemplateInput[]): string {
  const fields = inputs.filter((input) => input.suffix !== undefined && DESIGNATORS[input.suffix] !== undefined);
  const bounded = fields.find((input) => {
    const range = input.validation?.range;
    return range?.max !== undefined || (range?.min ?? 0) > 0;
  });
  const chosen =
    bounded ?? PREFERRED_FIELDS.map((field) => fields.find((input) => input.suffix === field)).find((input) => input !== undefined);
  const field = chosen?.suffix ?? 'day';
  const amount = exampleNumber({ range: chosen?.validation?.range, decimals: 0, accept: (n) => n > 0 }) ?? 1;
  const designator = DESIGNATORS[field] ?? 'D';
  return designator.startsWith('T') ? `PT${amount}${designator.slice(1)}` : `P${amount}${designator}`;
}
