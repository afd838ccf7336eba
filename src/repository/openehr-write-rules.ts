import { AppError } from '../errors/app-error.js';
import { readEhrStatusFacts } from '../openehr/service/ehr-status.js';
import type { SubjectRef } from '../openehr/store/ehr-store.js';
import { isJsonObject } from '../shared/json.js';

/**
 * The EHR's subject is who the record is about, and so whom every access decision is made for:
 * the openEHR API may not change it (an EHR_STATUS update or a contribution that names another
 * subject, or none where there was one). Refused with the path of the offending field; nothing is
 * written. An EHR_STATUS that is invalid in other ways is left for the service to report in full.
 */
export function ehrStatusSubjectChange(current: SubjectRef | undefined, status: unknown): void {
  const checked = readEhrStatusFacts(status);
  if (!('facts' in checked)) return;
  const next = checked.facts.subject;
  if (next?.id === current?.id && next?.namespace === current?.namespace) return;
  const describe = (subject: SubjectRef | undefined) => (subject ? `${subject.id} (${subject.namespace})` : 'no external reference');
  throw new AppError(
    'unprocessable',
    `The EHR_STATUS may not change the EHR's subject: it is ${describe(current)}, the new version names ${describe(next)}.`,
    { issues: [{ path: '/subject/external_ref', message: `must stay ${describe(current)}` }] },
  );
}

/** One version of a contribution body as the write rules need it; the service checks the rest. */
export interface PlannedVersion {
  type: 'COMPOSITION' | 'EHR_STATUS' | 'FOLDER' | 'unknown';
  /** The new content; null for a deletion. */
  data: unknown;
  precedingVersionUid: string | undefined;
}

/** The versions of a contribution body; a malformed body yields none, for the service to refuse. */
export function plannedContributionVersions(body: unknown): PlannedVersion[] {
  if (!isJsonObject(body) || !Array.isArray(body['versions'])) return [];
  return body['versions'].filter(isJsonObject).map((version) => {
    const data = isJsonObject(version['data']) ? version['data'] : null;
    const type = data?.['_type'];
    const preceding = isJsonObject(version['preceding_version_uid']) ? version['preceding_version_uid']['value'] : undefined;
    return {
      type: type === 'COMPOSITION' || type === 'EHR_STATUS' || type === 'FOLDER' ? type : data === null ? 'unknown' : 'COMPOSITION',
      data,
      precedingVersionUid: typeof preceding === 'string' ? preceding : undefined,
    };
  });
}
