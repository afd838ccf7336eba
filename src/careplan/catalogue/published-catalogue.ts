import type { Database } from '../../db/database.js';
import type { PathwayDefinition as StoredPathwayDefinition } from '../pathway/pathway-definition.js';
import { readCatalogueGeneration, readEverPublishedPathways } from '../pathway/pathway-version-store.js';
import { catalogueEntry } from './core-catalogue.js';
import { PlanCatalogue } from './plan-catalogue.js';

/** Where the care plan takes its pathways from: the catalogue as last read, and a way to read it afresh. */
export interface CatalogueSource {
  /** The catalogue as last read (what synchronous look-ups use between refreshes). */
  readonly current: PlanCatalogue;
  /** The catalogue, read again first when what is published may have changed. */
  fresh(): Promise<PlanCatalogue>;
  /** Call once a change to what is published has committed through this process: the next `fresh()` reads it. */
  changed(): void;
}

/** A catalogue that never changes (tests, tools over a fixed set of pathways). */
export function fixedCatalogue(catalogue: PlanCatalogue): CatalogueSource {
  return { current: catalogue, fresh: () => Promise.resolve(catalogue), changed: () => undefined };
}

/**
 * How long a server trusts its catalogue before asking the database whether another server
 * published a pathway version: a publication through this server takes effect on its next
 * request; through another, within this time.
 */
export const CATALOGUE_RECHECK_MS = 2_000;

/**
 * The plan catalogue as the database's published pathway versions make it (migration 0027),
 * re-read when the shared generation count moves. Until any pathway version is stored (a database
 * the shipped pathways were never loaded into), the shipped catalogue it is given.
 */
export class PublishedCatalogue implements CatalogueSource {
  #current: PlanCatalogue;
  #generation = -1;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<PlanCatalogue> | undefined;
  #changes = 0;

  constructor(
    private readonly db: Database,
    shipped: PlanCatalogue,
    private readonly recheckMs = CATALOGUE_RECHECK_MS,
  ) {
    this.#current = shipped;
  }

  get current(): PlanCatalogue {
    return this.#current;
  }

  changed(): void {
    this.#changes += 1;
    this.#checkedAt = Number.NEGATIVE_INFINITY;
    // A read already under way may predate the change: the next caller starts its own.
    this.#reading = undefined;
  }

  fresh(): Promise<PlanCatalogue> {
    if (performance.now() - this.#checkedAt < this.recheckMs) return Promise.resolve(this.#current);
    const reading = (this.#reading ??= this.#read().finally(() => {
      if (this.#reading === reading) this.#reading = undefined;
    }));
    return reading;
  }

  async #read(): Promise<PlanCatalogue> {
    const checkedAt = performance.now();
    const changes = this.#changes;
    const generation = await readCatalogueGeneration(this.db);
    if (generation !== this.#generation) {
      const versions = await readEverPublishedPathways(this.db);
      const current = versions.filter((version) => version.status === 'published');
      const core = current.find((version) => (version.definition as StoredPathwayDefinition).core === true);
      // Two reads may overlap; the one that saw the later generation wins.
      if (core !== undefined && generation > this.#generation) {
        const definitions = (list: typeof versions) => list.map((version) => version.definition as StoredPathwayDefinition);
        const coreDefinition = core.definition as StoredPathwayDefinition;
        this.#current = new PlanCatalogue(
          catalogueEntry(coreDefinition),
          definitions(current.filter((version) => version !== core)).map(catalogueEntry),
          coreDefinition.headerTemplateId ?? this.#current.headerTemplateId,
          definitions(versions).map(catalogueEntry),
        );
      }
      this.#generation = Math.max(generation, this.#generation);
    }
    // A change through this process while reading leaves the catalogue to be read again.
    if (changes === this.#changes && this.#checkedAt < checkedAt) this.#checkedAt = checkedAt;
    return this.#current;
  }
}
