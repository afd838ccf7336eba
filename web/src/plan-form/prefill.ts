import type { FormDefinition } from '../api/care-plan-api';
import { request } from '../api/http';
import { formFields, readField, writeField, type FlatContent } from './flat-values';
import {
  columnValues,
  demographicValue,
  type FormPrefill,
  type PrefillPerson,
  type PrefillResultSet,
  type PrefillTarget,
} from './prefill-values';

export type { FormPrefill } from './prefill-values';

/**
 * Runs each prefill for the person: AQL through the openEHR query API with the person's EHR as
 * `$ehr_id` (so the server's access rules and audit apply as to any query of theirs), or their
 * demographics. A prefill that fails (the query is refused, the person has no such fact) fills
 * nothing: a prefill only saves typing, it never stops the form.
 */
export async function runPrefills(
  prefills: readonly FormPrefill[],
  ehrId: string,
  person: PrefillPerson | undefined,
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const prefill of prefills) {
    if ('demographics' in prefill.from) {
      const value = demographicValue(person, prefill.from.demographics);
      if (value !== undefined) found.set(prefill.path, [value]);
      continue;
    }
    try {
      const answer = await request<PrefillResultSet>('/openehr/v1/query/aql', {
        method: 'POST',
        body: { q: prefill.from.aql, query_parameters: { ehr_id: ehrId } },
      });
      const values = columnValues(answer.body, prefill.from.column);
      if (values.length > 0) found.set(prefill.path, [...new Set(values)]);
    } catch {
      // Refused or failed: the field is left for the clinician to fill.
    }
  }
  return found;
}

/** The form's fields as a prefill's target: read and written as the form's controls do. */
export function prefillTarget(form: FormDefinition): PrefillTarget {
  const byPath = formFields(form);
  const at = (path: string) => byPath.get(path.replace(/:\d+(?=\/|$)/g, ':0'));
  return {
    field: (path) => byPath.get(path),
    read: (path, content) => {
      const field = at(path);
      return field ? readField(field, path, content) : '';
    },
    write: (path, value, content: FlatContent) => {
      const field = at(path);
      return field ? writeField(field, path, value, content) : content;
    },
  };
}
