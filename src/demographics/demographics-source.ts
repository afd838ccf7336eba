import type { DemographicsSearch, DemographicsSourceName, PersonDemographics } from './person-demographics.js';

/** What a national demographics service answers to a read by NHS number. */
export type DemographicsReadOutcome =
  /**
   * The person. `demographics.nhsNumber` differs from the number asked for when that number was
   * superseded (merged): the service answers with the record that replaced it.
   */
  | { kind: 'found'; demographics: PersonDemographics; sourceVersion: string | null }
  /** The service does not know the number (never issued, or invalidated without a successor). */
  | { kind: 'not-found' }
  /** The service refuses the number as malformed (check digit, length). */
  | { kind: 'invalid' };

export type DemographicsSearchOutcome =
  | { kind: 'matches'; people: { demographics: PersonDemographics; score: number }[] }
  /** More people match than may be returned: the search must be narrowed. */
  | { kind: 'too-many' }
  /** The service refused the combination of criteria; `reason` is its own words. */
  | { kind: 'refused'; reason: string };

/** Passed to the service with each call, so a request can be followed across systems. */
export interface SourceCallContext {
  /** This platform's request id: sent as X-Correlation-ID. */
  correlationId?: string;
}

/**
 * A source of demographics by NHS number: the PDS FHIR API, or the local stub that serves the
 * PDS sandbox responses and the demo people. Any failure to get an answer (network, timeout,
 * rate limit, server error, a response it cannot read) throws `DemographicsUnavailable`; an
 * answer about the person is an outcome, never an exception.
 */
export interface DemographicsSource {
  /** Recorded with every version this source gives. */
  readonly name: Exclude<DemographicsSourceName, 'manual'>;
  read(nhsNumber: string, context?: SourceCallContext): Promise<DemographicsReadOutcome>;
  search(criteria: DemographicsSearch, context?: SourceCallContext): Promise<DemographicsSearchOutcome>;
}

export class DemographicsUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DemographicsUnavailable';
  }
}
