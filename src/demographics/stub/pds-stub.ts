import { isValidNhsNumber } from '../../nhs/nhs-number.js';
import type { FhirBundle, FhirOperationOutcome, FhirPatient } from '../fhir-patient.js';
import { isRestricted } from '../map-pds-patient.js';

/** What the stub knows: the records PDS would hold. */
export interface PdsStubData {
  /** Records served by `GET /Patient/{id}`, and searched unless `searchEntries` answer for them. */
  patients: readonly FhirPatient[];
  /** Where PDS's search answer differs from its read (the sandbox's own search responses), with their scores. */
  searchEntries?: readonly { resource: FhirPatient; score: number }[];
  /** Superseded (merged) NHS number → the number that replaced it. */
  superseded?: ReadonlyMap<string, string>;
  /**
   * The record of a number not among `patients`, made when it is read (never searched): how the
   * tests' stub knows every number of a test range without listing them. Undefined: not known.
   */
  unlisted?: (nhsNumber: string) => FhirPatient | undefined;
}

export interface StubResponse {
  status: number;
  body: FhirPatient | FhirBundle | FhirOperationOutcome;
}

const SEARCH_PARAMETERS = new Set([
  'family',
  'given',
  'gender',
  'birthdate',
  'death-date',
  'address-postcode',
  'address-postalcode',
  'general-practitioner',
  'email',
  'phone',
  '_fuzzy-match',
  '_exact-match',
  '_history',
  '_max-results',
]);
const FULL_URL = 'https://api.service.nhs.uk/personal-demographics/FHIR/R4/Patient/';

/**
 * A local stand-in for the PDS FHIR API: the same requests, the same answers and error codes
 * (OperationOutcome with Spine error codes), over records it is given — the PDS sandbox's and
 * the demo people's. Demo mode and tests use it through `fetch`, so the real client's request
 * building, mapping and error handling run unchanged. Searches are non-fuzzy: exact names (or a
 * `*` wildcard at the end), exact birth date, postcode exact or by its start.
 */
export class PdsStub {
  readonly #load: () => Promise<PdsStubData>;
  #index: Promise<StubIndex> | undefined;

  /** `data`, or a loader called once, at the first request (the demo's records depend on the stored dataset). */
  constructor(data: PdsStubData | (() => Promise<PdsStubData>)) {
    this.#load = typeof data === 'function' ? data : () => Promise.resolve(data);
  }

  /** Answers one request the way PDS would. */
  async respond(method: string, url: URL, headers: Headers): Promise<StubResponse> {
    if (!headers.get('x-request-id')) return problem(400, 'MISSING_VALUE', 'required', "Missing value - 'X-Request-ID'");
    if (method !== 'GET') return problem(405, 'UNSUPPORTED_SERVICE', 'not-supported', 'Unsupported service');
    const index = await (this.#index ??= this.#load().then(indexOf));
    const path = url.pathname.replace(/\/+$/, '');
    const read = /\/Patient\/([^/]+)$/.exec(path);
    if (read?.[1] !== undefined) return readPatient(index, decodeURIComponent(read[1]));
    if (path.endsWith('/Patient')) return searchPatients(index, url.searchParams);
    return problem(404, 'UNSUPPORTED_SERVICE', 'not-supported', 'Unsupported service');
  }

  /** A `fetch` that answers from this stub, without a network. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    init?.signal?.throwIfAborted();
    const { status, body } = await this.respond(request.method, new URL(request.url), request.headers);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });
  };
}

interface StubIndex {
  patients: ReadonlyMap<string, FhirPatient>;
  unlisted: (nhsNumber: string) => FhirPatient | undefined;
  searchable: readonly { resource: FhirPatient; score: number }[];
  superseded: ReadonlyMap<string, string>;
}

function indexOf(data: PdsStubData): StubIndex {
  const answered = new Set((data.searchEntries ?? []).map((entry) => entry.resource.id));
  return {
    patients: new Map(data.patients.map((patient) => [patient.id ?? '', patient])),
    unlisted: data.unlisted ?? (() => undefined),
    searchable: [
      ...(data.searchEntries ?? []),
      ...data.patients.filter((patient) => !answered.has(patient.id)).map((resource) => ({ resource, score: 1 })),
    ],
    superseded: data.superseded ?? new Map(),
  };
}

function readPatient(index: StubIndex, id: string): StubResponse {
  if (!isValidNhsNumber(id) || !/^\d{10}$/.test(id)) return problem(400, 'INVALID_RESOURCE_ID', 'value', 'Resource Id is invalid');
  const wanted = index.superseded.get(id) ?? id;
  const patient = index.patients.get(wanted) ?? index.unlisted(wanted);
  return patient ? { status: 200, body: patient } : problem(404, 'RESOURCE_NOT_FOUND', 'not_found', 'Resource not found');
}

function searchPatients(index: StubIndex, query: URLSearchParams): StubResponse {
  const unknown = [...query.keys()].find((key) => !SEARCH_PARAMETERS.has(key));
  if (unknown)
    return problem(400, 'ADDITIONAL_PROPERTIES', 'structure', `Invalid request with error - '${unknown}' is not a search parameter`);
  if ([...query.keys()].length === 0) return problem(400, 'UNSUPPORTED_SERVICE', 'processing', 'Unsupported Service');
  const family = query.get('family');
  const birthDate = /^(?:eq)?(\d{4}-\d{2}-\d{2})$/.exec(query.get('birthdate') ?? '')?.[1];
  if (query.has('birthdate') && !birthDate) {
    return problem(400, 'INVALID_SEARCH_DATA', 'value', `Invalid value - '${query.get('birthdate')}' in field 'birthdate'`);
  }
  if (!family || !birthDate)
    return problem(400, 'MISSING_VALUE', 'required', 'Not enough search parameters were provided to be able to make a search');
  const maxResults = Number(query.get('_max-results') ?? '1');
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
    return problem(400, 'INVALID_VALUE', 'value', `Invalid value - '${query.get('_max-results')}' in field '_max-results'`);
  }
  const postcode = query.get('address-postcode') ?? query.get('address-postalcode');
  const practice = query.get('general-practitioner');
  const matches = index.searchable.filter(({ resource }) => {
    // PDS never returns a restricted record to a search that names a place.
    if ((postcode || practice) && isRestricted(resource)) return false;
    const name = (resource.name ?? []).find((candidate) => candidate.use === 'usual') ?? resource.name?.[0];
    return (
      matchesText(name?.family, family) &&
      query.getAll('given').every((given) => (name?.given ?? []).some((own) => matchesText(own, given))) &&
      resource.birthDate === birthDate &&
      (!query.get('gender') || resource.gender === query.get('gender')) &&
      (!postcode || (resource.address ?? []).some((address) => matchesPostcode(address.postalCode, postcode))) &&
      (!practice || (resource.generalPractitioner ?? []).some((gp) => gp.identifier?.value === practice))
    );
  });
  if (matches.length > maxResults) {
    return problem(200, 'TOO_MANY_MATCHES', 'multiple-matches', 'Too Many Matches', 'information');
  }
  const bundle: FhirBundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    entry: matches
      .sort((a, b) => b.score - a.score)
      .map(({ resource, score }) => ({ fullUrl: `${FULL_URL}${resource.id ?? ''}`, search: { score }, resource })),
  };
  return { status: 200, body: bundle };
}

function matchesText(own: string | undefined, wanted: string): boolean {
  if (own === undefined) return false;
  const [ownText, wantedText] = [own.toLowerCase(), wanted.toLowerCase()];
  return wantedText.endsWith('*') ? ownText.startsWith(wantedText.slice(0, -1)) : ownText === wantedText;
}

function matchesPostcode(own: string | undefined, wanted: string): boolean {
  const normal = (value: string) => value.replace(/\s+/g, '').toUpperCase();
  return own !== undefined && matchesText(normal(own), normal(wanted));
}

function problem(
  status: number,
  code: string,
  issueCode: string,
  diagnostics: string,
  severity: 'error' | 'information' = 'error',
): StubResponse {
  return {
    status,
    body: {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity,
          code: issueCode,
          details: { coding: [{ system: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode', code }] },
          diagnostics,
        },
      ],
    },
  };
}
