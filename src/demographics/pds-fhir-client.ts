import { randomUUID } from 'node:crypto';
import type { DemographicsReadOutcome, DemographicsSearchOutcome, DemographicsSource, SourceCallContext } from './demographics-source.js';
import { DemographicsUnavailable } from './demographics-source.js';
import { isFhirResource, spineErrorCode, type FhirBundle, type FhirPatient } from './fhir-patient.js';
import { MalformedPdsResponse, mapPdsPatient } from './map-pds-patient.js';
import type { DemographicsSearch, DemographicsSourceName } from './person-demographics.js';

export interface PdsFhirClientOptions {
  /** The FHIR R4 base, e.g. https://int.api.service.nhs.uk/personal-demographics/FHIR/R4 */
  baseUrl: string;
  /** How long one call may take before PDS counts as unreachable. */
  timeoutMs: number;
  /** A bearer token for each call (NHS England's API platform issues them); none for the open sandbox. */
  accessToken?: () => Promise<string | undefined>;
  /** What versions from this client are recorded as coming from. */
  sourceName?: Exclude<DemographicsSourceName, 'manual'>;
  /** Most results a search may return (PDS allows 1–50). */
  maxResults?: number;
  /** The HTTP client: global fetch, or the in-process stub's. */
  fetch?: typeof fetch;
  /** Today (YYYY-MM-DD): which names, addresses, contacts and registrations are current. */
  today?: () => string;
}

const FHIR_JSON = 'application/fhir+json';
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;

/**
 * A client of the PDS FHIR R4 API (NHS England): retrieve a patient by NHS number and search by
 * name and date of birth, mapped to the platform's own demographics. Sends the headers PDS
 * requires (X-Request-ID, a fresh UUID per call; X-Correlation-ID, this platform's request id).
 */
export class PdsFhirClient implements DemographicsSource {
  readonly name: Exclude<DemographicsSourceName, 'manual'>;
  readonly #options: PdsFhirClientOptions;
  readonly #fetch: typeof fetch;
  readonly #today: () => string;

  constructor(options: PdsFhirClientOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
    this.name = options.sourceName ?? 'pds';
    this.#fetch = options.fetch ?? fetch;
    this.#today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  }

  async read(nhsNumber: string, context: SourceCallContext = {}): Promise<DemographicsReadOutcome> {
    const { status, body } = await this.#get(`/Patient/${encodeURIComponent(nhsNumber)}`, context);
    if (status === 200 && isFhirResource<FhirPatient>(body, 'Patient')) {
      return { kind: 'found', demographics: this.#map(body), sourceVersion: body.meta?.versionId ?? null };
    }
    const code = spineErrorCode(body);
    // A 404 counts as "not known" only with PDS's own code: a gateway's 404 (a wrong base URL)
    // must never make a real person look unknown.
    if (status === 404 && (code === 'RESOURCE_NOT_FOUND' || code === 'INVALIDATED_RESOURCE')) return { kind: 'not-found' };
    if (status === 400 && code === 'INVALID_RESOURCE_ID') return { kind: 'invalid' };
    throw unexpected(status, code);
  }

  async search(criteria: DemographicsSearch, context: SourceCallContext = {}): Promise<DemographicsSearchOutcome> {
    const { status, body } = await this.#get(`/Patient?${searchParameters(criteria, this.#options.maxResults ?? 10)}`, context);
    const code = spineErrorCode(body);
    if (status === 200 && code === 'TOO_MANY_MATCHES') return { kind: 'too-many' };
    if (status === 200 && isFhirResource<FhirBundle>(body, 'Bundle')) {
      const people = (body.entry ?? []).flatMap((entry) =>
        isFhirResource<FhirPatient>(entry.resource, 'Patient')
          ? [{ demographics: this.#map(entry.resource), score: typeof entry.search?.score === 'number' ? entry.search.score : 1 }]
          : [],
      );
      return { kind: 'matches', people: people.sort((a, b) => b.score - a.score) };
    }
    if (
      status === 400 &&
      code !== undefined &&
      ['INVALID_SEARCH_DATA', 'MISSING_VALUE', 'INVALID_VALUE', 'UNSUPPORTED_SERVICE'].includes(code)
    ) {
      return { kind: 'refused', reason: diagnostics(body) ?? code };
    }
    throw unexpected(status, code);
  }

  #map(patient: FhirPatient) {
    try {
      return mapPdsPatient(patient, this.#today());
    } catch (error) {
      if (error instanceof MalformedPdsResponse) throw new DemographicsUnavailable(`PDS answered with ${error.message}`, { cause: error });
      throw error;
    }
  }

  async #get(path: string, context: SourceCallContext): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { accept: FHIR_JSON, 'x-request-id': randomUUID() };
    if (context.correlationId) headers['x-correlation-id'] = context.correlationId;
    const token = await this.#options.accessToken?.();
    if (token) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#options.baseUrl}${path}`, { headers, signal: AbortSignal.timeout(this.#options.timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new DemographicsUnavailable(timedOut ? `PDS did not answer within ${this.#options.timeoutMs} ms` : 'PDS could not be reached', {
        cause: error,
      });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      // A body that is not JSON (a proxy's error page, a cut-off answer) tells nothing about the person.
      throw new DemographicsUnavailable(`PDS answered ${response.status} with a body that is not JSON`, { cause: error });
    }
    return { status: response.status, body };
  }
}

/** PDS's search parameters: non-fuzzy, an exact birth date, a partial postcode as a wildcard. */
export function searchParameters(criteria: DemographicsSearch, maxResults: number): string {
  const parameters = new URLSearchParams({ family: criteria.family });
  if (criteria.given) parameters.append('given', criteria.given);
  parameters.append('birthdate', `eq${criteria.birthDate}`);
  if (criteria.gender) parameters.append('gender', criteria.gender);
  if (criteria.postcode) {
    const postcode = criteria.postcode.trim().toUpperCase();
    parameters.append('address-postcode', UK_POSTCODE.test(postcode) || postcode.endsWith('*') ? postcode : `${postcode}*`);
  }
  parameters.append('_max-results', String(maxResults));
  return parameters.toString();
}

function unexpected(status: number, code: string | undefined): DemographicsUnavailable {
  return new DemographicsUnavailable(`PDS answered ${status}${code ? ` ${code}` : ''}`);
}

function diagnostics(outcome: unknown): string | undefined {
  if (!isFhirResource<{ resourceType: 'OperationOutcome'; issue?: { diagnostics?: string }[] }>(outcome, 'OperationOutcome'))
    return undefined;
  return outcome.issue?.find((issue) => typeof issue.diagnostics === 'string')?.diagnostics;
}
