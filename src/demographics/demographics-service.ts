import { recordRegisteredGpFromDemographics } from '../access/care-team-store.js';
import type { Caller } from '../access/caller.js';
import { appendAuditRecords } from '../audit/audit-log.js';
import { auditRecordFor, type AuditDetail } from '../audit/audit-record.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import {
  DemographicsUnavailable,
  type DemographicsReadOutcome,
  type DemographicsSource,
  type SourceCallContext,
} from './demographics-source.js';
import {
  markNotFound,
  markUnverified,
  readPlanPointers,
  readStoredNames,
  readStoredPerson,
  recordRetrieval,
  searchStoredPeople,
  type StoredPerson,
} from './demographics-store.js';
import { identityOf, type PersonIdentity } from './person-identity.js';
import { correctRegisteredGp, withRegisteredGpCorrection, type RegisteredGpCorrectionInput } from './registered-gp-correction.js';
import type { DemographicsSearch } from './person-demographics.js';

export interface DemographicsSettings {
  /** How long a verified version is shown without asking the source again (0: ask every time). */
  maxAgeSeconds: number;
  /** After the source could not be reached, how long lookups answer from what is held without trying it. */
  retryAfterSeconds: number;
}

export interface LookupOptions extends SourceCallContext {
  /** Ask the source even when a fresh version is held (before starting a plan). */
  fresh?: boolean;
  /** Where to say that the source could not be reached (never with personal data). */
  log?: { warn(object: object, message: string): void };
}

export interface SearchAnswer {
  /** Who answered: the source, or what is stored when the source could not be reached. */
  answeredBy: DemographicsSource['name'] | 'stored';
  people: PersonIdentity[];
}

/** At most this many people in a search answer. */
export const MAX_SEARCH_RESULTS = 10;

/**
 * A person's demographics from the national demographics service, versioned in the platform's
 * database. A lookup answers from a fresh stored version, else asks the source and stores what
 * changed. When the source cannot be reached the last stored version is answered, marked
 * unverified; with nothing stored the answer is 503. A number the source does not know is 404
 * and nothing is stored. A merged (superseded) number is followed: the record is stored once,
 * under the number that replaced it.
 */
export class DemographicsService {
  readonly #db: Database;
  readonly #source: DemographicsSource;
  readonly #settings: DemographicsSettings;
  readonly #now: () => number;
  #pausedUntil = 0;

  constructor(db: Database, source: DemographicsSource, settings: DemographicsSettings, now: () => number = Date.now) {
    this.#db = db;
    this.#source = source;
    this.#settings = settings;
    this.#now = now;
  }

  get sourceName(): DemographicsSource['name'] {
    return this.#source.name;
  }

  /**
   * The name and date of birth a printed plan shows. Printing never waits on or fails for PDS:
   * when nothing is known, the paper copy names the NHS number alone.
   */
  async printedIdentity(nhsNumber: string): Promise<{ name?: string; birthDate?: string } | undefined> {
    const person = await this.lookup(nhsNumber).catch((error: unknown) => {
      if (error instanceof AppError) return undefined;
      throw error;
    });
    const { name, birthDate } = person?.demographics ?? {};
    if (!name && !birthDate) return undefined;
    return { ...(name ? { name: name.text } : {}), ...(birthDate ? { birthDate } : {}) };
  }

  /**
   * The names of people, what a report or worklist shows beside each NHS number: those held, and
   * for anyone not yet held (a plan seeded or migrated without a look-up) the source's answer,
   * stored as any look-up is. A report never fails for PDS: a person it cannot name has no name.
   */
  async namesOf(nhsNumbers: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const names = new Map(await readStoredNames(this.#db, nhsNumbers));
    for (const nhsNumber of new Set(nhsNumbers)) {
      if (names.has(nhsNumber)) continue;
      const person = await this.lookup(nhsNumber).catch((error: unknown) => {
        if (error instanceof AppError) return undefined;
        throw error;
      });
      const name = person?.demographics.name?.text;
      if (name) names.set(nhsNumber, name);
    }
    return names;
  }

  /** The person by NHS number, as the source last gave them. */
  async lookup(nhsNumber: string, options: LookupOptions = {}): Promise<StoredPerson> {
    if (!isValidNhsNumber(nhsNumber)) throw invalidNumber(nhsNumber);
    const held = await readStoredPerson(this.#db, nhsNumber);
    if (held && !options.fresh && this.#isFresh(held)) return held;
    // A number known to be merged is asked for by the number that replaced it.
    const asked = held?.supersededBy ?? nhsNumber;
    let outcome: DemographicsReadOutcome;
    try {
      outcome = await this.#ask(() => this.#source.read(asked, options));
    } catch (error) {
      if (!(error instanceof DemographicsUnavailable)) throw error;
      options.log?.warn(
        { source: this.#source.name, problem: error.message },
        'demographics source unavailable: answering from what is stored',
      );
      if (!held) {
        throw new AppError(
          'unavailable',
          'The national demographics service (PDS) cannot be reached and nothing is held for this NHS number yet; try again shortly.',
          { headers: { 'Retry-After': String(Math.max(1, this.#settings.retryAfterSeconds)) } },
        );
      }
      await markUnverified(this.#db, asked);
      return (await readStoredPerson(this.#db, nhsNumber)) ?? held;
    }
    if (outcome.kind === 'invalid') throw invalidNumber(nhsNumber);
    if (outcome.kind === 'not-found') {
      if (!held) {
        throw new AppError(
          'not-found',
          `The national demographics service (PDS) does not know the NHS number ${nhsNumber}: check it digit by digit. Nothing was recorded.`,
        );
      }
      await markNotFound(this.#db, asked);
    } else {
      const found = outcome;
      await this.#db.transaction(async (tx) => {
        // A registered GP corrected here stands while PDS still names the practice corrected.
        const demographics = await withRegisteredGpCorrection(tx, found.demographics);
        await recordRetrieval(tx, asked, { ...found, demographics }, this.#source.name);
        // Access follows the registration PDS holds (or its correction), never what someone typed into a plan.
        await recordRegisteredGpFromDemographics(tx, demographics.nhsNumber, demographics.registeredGpOdsCode);
      });
    }
    const stored = await readStoredPerson(this.#db, nhsNumber);
    if (!stored) throw new Error(`the demographics of ${nhsNumber} were recorded but cannot be read back`);
    return stored;
  }

  /**
   * A wrong registered GP corrected by a named person with a reason (who may: `access/registered-gp-correction-right.ts`):
   * the person as held afterwards. The person is looked up first, so the correction is made on
   * what PDS says now.
   */
  async correctRegisteredGp(caller: Caller, input: RegisteredGpCorrectionInput, options: LookupOptions = {}): Promise<StoredPerson> {
    const person = await this.lookup(input.nhsNumber, options);
    const nhsNumber = person.supersededBy ?? person.nhsNumber;
    await this.#db.transaction((tx) => correctRegisteredGp(tx, caller, { ...input, nhsNumber }));
    const stored = await readStoredPerson(this.#db, input.nhsNumber);
    if (!stored) throw new Error(`the corrected demographics of ${input.nhsNumber} cannot be read back`);
    return stored;
  }

  /**
   * The check before a plan is started: the person as the source knows them now (asked afresh),
   * or a refusal — 404 for a number the source does not know (a typo), 503 when it cannot be
   * reached and nothing is held. With a stored version and the source down, the person is
   * answered unverified. A merged number answers with `supersededBy`: start the plan under that.
   */
  async requireKnownPerson(nhsNumber: string, options: Omit<LookupOptions, 'fresh'> = {}): Promise<StoredPerson> {
    const person = await this.lookup(nhsNumber, { ...options, fresh: true });
    if (person.verification === 'not-found') {
      throw new AppError(
        'not-found',
        `The national demographics service (PDS) no longer knows the NHS number ${nhsNumber}; a plan cannot be started for it.`,
      );
    }
    return person;
  }

  /**
   * A search by name and date of birth: identity only, never plan content; audited as a search
   * (the criteria, and one record per person returned). When the source cannot be reached, the
   * stored records that match are answered, marked unverified.
   */
  async search(caller: Caller, criteria: DemographicsSearch, options: LookupOptions = {}): Promise<SearchAnswer> {
    let answer: SearchAnswer;
    try {
      const outcome = await this.#ask(() => this.#source.search(criteria, options));
      if (outcome.kind === 'too-many') {
        await this.#auditSearch(caller, criteria, { answeredBy: this.#source.name, people: [] }, { outcome: 'too-many' });
        throw new AppError('unprocessable', 'More people match than a search may show: add the given name, gender or postcode.');
      }
      if (outcome.kind === 'refused') throw new AppError('bad-request', `The demographics service refused the search: ${outcome.reason}`);
      const numbers = outcome.people.map(({ demographics }) => demographics.nhsNumber);
      const [plans, gpNames] = await Promise.all([readPlanPointers(this.#db, numbers), this.#practiceNames(outcome.people)]);
      const retrievedAt = new Date(this.#now()).toISOString();
      answer = {
        answeredBy: this.#source.name,
        people: outcome.people.slice(0, MAX_SEARCH_RESULTS).map(({ demographics }) => ({
          nhsNumber: demographics.nhsNumber,
          supersededBy: null,
          verification: 'verified',
          source: this.#source.name,
          retrievedAt,
          version: null,
          demographics,
          registeredGpName: demographics.registeredGpOdsCode ? (gpNames.get(demographics.registeredGpOdsCode) ?? null) : null,
          plan: plans.get(demographics.nhsNumber) ?? null,
        })),
      };
    } catch (error) {
      if (!(error instanceof DemographicsUnavailable)) throw error;
      options.log?.warn({ source: this.#source.name, problem: error.message }, 'demographics source unavailable: searching what is stored');
      const stored = await searchStoredPeople(this.#db, criteria, MAX_SEARCH_RESULTS);
      answer = { answeredBy: 'stored', people: stored.map((person) => ({ ...identityOf(person), verification: 'unverified' as const })) };
    }
    await this.#auditSearch(caller, criteria, answer, { outcome: 'matches' });
    return answer;
  }

  #isFresh(person: StoredPerson): boolean {
    if (person.verification !== 'verified' || person.verifiedAt === null) return false;
    return this.#now() - Date.parse(person.verifiedAt) < this.#settings.maxAgeSeconds * 1000;
  }

  /** Calls the source unless it failed moments ago: then fails at once, so nobody waits for a timeout again. */
  async #ask<T>(call: () => Promise<T>): Promise<T> {
    if (this.#now() < this.#pausedUntil) throw new DemographicsUnavailable('PDS could not be reached moments ago; not asked again yet');
    try {
      return await call();
    } catch (error) {
      if (error instanceof DemographicsUnavailable) this.#pausedUntil = this.#now() + this.#settings.retryAfterSeconds * 1000;
      throw error;
    }
  }

  async #practiceNames(people: readonly { demographics: { registeredGpOdsCode: string | null } }[]): Promise<ReadonlyMap<string, string>> {
    const codes = [...new Set(people.flatMap(({ demographics }) => demographics.registeredGpOdsCode ?? []))];
    if (codes.length === 0) return new Map();
    const { rows } = await this.#db.query<{ ods_code: string; name: string }>(
      'SELECT ods_code, name FROM organisation WHERE ods_code = ANY($1::text[])',
      [codes],
    );
    return new Map(rows.map((row) => [row.ods_code, row.name]));
  }

  async #auditSearch(caller: Caller, criteria: DemographicsSearch, answer: SearchAnswer, extra: AuditDetail): Promise<void> {
    const resource = { type: 'people-search', id: 'demographics' };
    const detail: AuditDetail = {
      criteria: {
        family: criteria.family,
        given: criteria.given ?? null,
        birthDate: criteria.birthDate,
        gender: criteria.gender ?? null,
        postcode: criteria.postcode ?? null,
      },
      answeredBy: answer.answeredBy,
      ...extra,
    };
    await this.#db.transaction((tx) =>
      appendAuditRecords(tx, [
        auditRecordFor(caller, { action: 'query', resource, detail: { ...detail, results: answer.people.length } }),
        ...answer.people.map((person) =>
          auditRecordFor(caller, {
            action: 'query',
            nhsNumber: person.nhsNumber,
            ...(person.plan ? { ehrId: person.plan.ehrId } : {}),
            resource,
            detail,
          }),
        ),
      ]),
    );
  }
}

function invalidNumber(nhsNumber: string): AppError {
  return new AppError('bad-request', `${nhsNumber} is not a valid NHS number: ten digits, the last a check digit over the first nine.`);
}
