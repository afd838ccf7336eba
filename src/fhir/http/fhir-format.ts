import { AppError } from '../../errors/app-error.js';

export const FHIR_JSON = 'application/fhir+json';

/** `_format` values and Accept media types that mean FHIR JSON (R4 §3.1.0.1.10). */
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);
const XML_FORMATS = new Set(['xml', 'text/xml', 'application/xml', 'application/fhir+xml', 'application/xml+fhir']);

/**
 * Refuses a request for a representation the facade does not produce. `_format` wins over Accept,
 * as the specification says; an Accept that also allows JSON (or anything) is fine.
 */
export function checkFhirFormat(format: string | undefined, accept: string | undefined): void {
  if (format !== undefined && format !== '') {
    const wanted = format.split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (JSON_FORMATS.has(wanted)) return;
    const what = XML_FORMATS.has(wanted) ? 'FHIR XML' : `_format=${format}`;
    throw new AppError('not-acceptable', `This server serves FHIR JSON only, not ${what}; use _format=json or leave it out.`);
  }
  if (accept === undefined || accept.trim() === '') return;
  const types = accept.split(',').map((part) => part.split(';', 1)[0]?.trim().toLowerCase() ?? '');
  if (types.some((type) => JSON_FORMATS.has(type) || type === '*/*' || type === 'application/*')) return;
  throw new AppError('not-acceptable', `This server serves ${FHIR_JSON} only; the Accept header (${accept}) does not allow it.`);
}
