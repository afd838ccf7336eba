import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { PathwayDefinition } from './pathway-definition.js';

export type PathwayVersionStatus = 'draft' | 'review' | 'published' | 'retired';

/** A hazard a pathway could introduce and how it is controlled (docs/clinical-safety.md). */
export interface SafetyNote {
  readonly hazard: string;
  readonly controls: string;
}

export interface PathwayVersion {
  readonly id: string;
  readonly pathwayKey: string;
  readonly version: number;
  readonly status: PathwayVersionStatus;
  /** What was written: checked against the schema and templates before it may leave draft. */
  readonly definition: unknown;
  readonly safetyNotes: readonly SafetyNote[];
  readonly basedOn: string | null;
  readonly author: { readonly id: string; readonly name: string };
  readonly review: {
    readonly outcome: 'approved' | 'returned';
    readonly reviewer: { readonly id: string; readonly name: string };
    readonly note: string | null;
    readonly at: string;
  } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly publishedAt: string | null;
  readonly retiredAt: string | null;
}

interface Row {
  [key: string]: unknown;
  id: string;
  pathway_key: string;
  version: number;
  status: PathwayVersionStatus;
  definition: unknown;
  safety_notes: SafetyNote[];
  based_on: string | null;
  author_id: string;
  author_name: string;
  review_outcome: 'approved' | 'returned' | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  review_note: string | null;
  reviewed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  submitted_at: Date | string | null;
  published_at: Date | string | null;
  retired_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function fromRow(row: Row): PathwayVersion {
  return {
    id: row.id,
    pathwayKey: row.pathway_key,
    version: Number(row.version),
    status: row.status,
    definition: row.definition,
    safetyNotes: row.safety_notes,
    basedOn: row.based_on,
    author: { id: row.author_id, name: row.author_name },
    review:
      row.review_outcome && row.reviewer_id && row.reviewer_name && row.reviewed_at
        ? {
            outcome: row.review_outcome,
            reviewer: { id: row.reviewer_id, name: row.reviewer_name },
            note: row.review_note,
            at: iso(row.reviewed_at) ?? '',
          }
        : null,
    createdAt: iso(row.created_at) ?? '',
    updatedAt: iso(row.updated_at) ?? '',
    submittedAt: iso(row.submitted_at),
    publishedAt: iso(row.published_at),
    retiredAt: iso(row.retired_at),
  };
}

/** Every version of every pathway, newest first within a pathway. */
export async function listPathwayVersions(db: Queryable, pathwayKey?: string): Promise<PathwayVersion[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM pathway_version WHERE $1::text IS NULL OR pathway_key = $1 ORDER BY pathway_key, version DESC`,
    [pathwayKey ?? null],
  );
  return rows.map(fromRow);
}

export async function readPathwayVersion(
  db: Queryable,
  pathwayKey: string,
  version: number,
  lock = false,
): Promise<PathwayVersion | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM pathway_version WHERE pathway_key = $1 AND version = $2${lock ? ' FOR UPDATE' : ''}`,
    [pathwayKey, version],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** The published version of each pathway. */
export async function readPublishedPathways(db: Queryable): Promise<PathwayVersion[]> {
  const { rows } = await db.query<Row>(`SELECT * FROM pathway_version WHERE status = 'published' ORDER BY pathway_key`);
  return rows.map(fromRow);
}

/**
 * The definition of every version of every pathway that was ever published, newest first: what a
 * plan written under an earlier version is read with once that version is no longer current.
 */
export async function readEverPublishedPathways(db: Queryable): Promise<PathwayVersion[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM pathway_version WHERE published_at IS NOT NULL ORDER BY published_at DESC, version DESC`,
  );
  return rows.map(fromRow);
}

export async function insertPathwayVersion(
  tx: Queryable,
  input: {
    pathwayKey: string;
    status: PathwayVersionStatus;
    definition: unknown;
    safetyNotes: readonly SafetyNote[];
    basedOn: string | null;
    author: { id: string; name: string };
    published?: boolean;
  },
): Promise<PathwayVersion> {
  // One writer at a time per pathway takes the next number; the unique key refuses a second.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pathway:${input.pathwayKey}`]);
  const { rows } = await tx.query<Row>(
    `INSERT INTO pathway_version (id, pathway_key, version, status, definition, safety_notes, based_on, author_id, author_name, published_at)
     VALUES ($1, $2, (SELECT coalesce(max(version), 0) + 1 FROM pathway_version WHERE pathway_key = $2), $3, $4, $5, $6, $7, $8,
             CASE WHEN $9 THEN now() END)
     RETURNING *`,
    [
      randomUUID(),
      input.pathwayKey,
      input.status,
      JSON.stringify(input.definition),
      JSON.stringify(input.safetyNotes),
      input.basedOn,
      input.author.id,
      input.author.name,
      input.published === true,
    ],
  );
  return fromRow(rows[0] as Row);
}

export async function updateDraft(
  tx: Queryable,
  id: string,
  input: { definition: unknown; safetyNotes: readonly SafetyNote[] },
): Promise<PathwayVersion> {
  const { rows } = await tx.query<Row>(
    `UPDATE pathway_version SET definition = $2, safety_notes = $3, updated_at = now() WHERE id = $1 AND status = 'draft' RETURNING *`,
    [id, JSON.stringify(input.definition), JSON.stringify(input.safetyNotes)],
  );
  return fromRow(rows[0] as Row);
}

export async function setStatus(
  tx: Queryable,
  id: string,
  change:
    | { status: 'review' }
    | { status: 'draft'; review: { outcome: 'returned'; reviewerId: string; reviewerName: string; note: string } }
    | { status: 'review'; review: { outcome: 'approved'; reviewerId: string; reviewerName: string; note: string | null } }
    | { status: 'published' }
    | { status: 'retired' },
): Promise<PathwayVersion> {
  const review = 'review' in change ? change.review : undefined;
  const { rows } = await tx.query<Row>(
    `UPDATE pathway_version SET
       status = $2,
       updated_at = now(),
       submitted_at = CASE WHEN $2 = 'review' AND $3::text IS NULL THEN now() ELSE submitted_at END,
       review_outcome = CASE WHEN $3::text IS NOT NULL THEN $3 WHEN $2 = 'review' THEN NULL ELSE review_outcome END,
       reviewer_id = CASE WHEN $3::text IS NOT NULL THEN $4 WHEN $2 = 'review' THEN NULL ELSE reviewer_id END,
       reviewer_name = CASE WHEN $3::text IS NOT NULL THEN $5 WHEN $2 = 'review' THEN NULL ELSE reviewer_name END,
       review_note = CASE WHEN $3::text IS NOT NULL THEN $6 WHEN $2 = 'review' THEN NULL ELSE review_note END,
       reviewed_at = CASE WHEN $3::text IS NOT NULL THEN now() WHEN $2 = 'review' THEN NULL ELSE reviewed_at END,
       published_at = CASE WHEN $2 = 'published' THEN now() ELSE published_at END,
       retired_at = CASE WHEN $2 = 'retired' THEN now() ELSE retired_at END
     WHERE id = $1 RETURNING *`,
    [id, change.status, review?.outcome ?? null, review?.reviewerId ?? null, review?.reviewerName ?? null, review?.note ?? null],
  );
  return fromRow(rows[0] as Row);
}

/** Marks a change to what is published, for every server (src/careplan/catalogue/published-catalogue.ts). */
export async function bumpCatalogueGeneration(tx: Queryable): Promise<void> {
  await tx.query('UPDATE pathway_catalogue_generation SET generation = generation + 1');
}

export async function readCatalogueGeneration(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ generation: string | number }>('SELECT generation FROM pathway_catalogue_generation');
  return Number(rows[0]?.generation ?? 0);
}

/**
 * Loads each shipped pathway whose key has no version yet as its first published version, by the
 * system. Idempotent, and safe for several servers starting at once (the key's lock). Returns the
 * keys loaded.
 */
export async function loadShippedPathwayVersions(
  tx: Queryable,
  shipped: readonly PathwayDefinition[],
  system: { id: string; name: string },
): Promise<string[]> {
  const loaded: string[] = [];
  for (const definition of shipped) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pathway:${definition.id}`]);
    const { rows } = await tx.query('SELECT 1 FROM pathway_version WHERE pathway_key = $1 LIMIT 1', [definition.id]);
    if (rows.length > 0) continue;
    await insertPathwayVersion(tx, {
      pathwayKey: definition.id,
      status: 'published',
      definition,
      safetyNotes: [],
      basedOn: null,
      author: system,
      published: true,
    });
    loaded.push(definition.id);
  }
  if (loaded.length > 0) await bumpCatalogueGeneration(tx);
  return loaded;
}
