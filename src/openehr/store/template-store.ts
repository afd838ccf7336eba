import type { Queryable } from '../../db/database.js';
import type { WebTemplate } from '../template/web-template-model.js';

export interface StoredTemplate {
  templateId: string;
  version: number;
  templateUid: string | undefined;
  concept: string;
  archetypeId: string;
  createdAt: string;
  isCurrent: boolean;
  /** Who uploaded this revision; undefined for those installed before revisions were attributed. */
  uploadedBy: { id: string; name: string } | undefined;
  /** The FLAT paths this revision moves (renamed or moved nodes), old to new, as its uploader declared them. */
  pathMap: FlatPathMove[];
}

/** A node whose FLAT path a revision changes: its path (ids, no indexes) before and after. */
export interface FlatPathMove {
  from: string;
  to: string;
}

export interface StoredTemplateContent extends StoredTemplate {
  optXml: string;
  webTemplate: WebTemplate;
  /** The template builder's description this revision was compiled from, when the composer made it. */
  description: unknown;
}

type TemplateRow = {
  template_id: string;
  version: number;
  template_uid: string | null;
  concept: string;
  archetype_id: string;
  created_at: Date;
  is_current: boolean;
  uploaded_by_id: string | null;
  uploaded_by_name: string | null;
  path_map: FlatPathMove[] | null;
  opt_xml?: string;
  description?: unknown;
  web_template?: WebTemplate;
};

const SUMMARY_COLUMNS =
  'template_id, version, template_uid, concept, archetype_id, created_at, is_current, uploaded_by_id, uploaded_by_name, path_map';

function toStoredTemplate(row: TemplateRow): StoredTemplate {
  return {
    templateId: row.template_id,
    version: row.version,
    templateUid: row.template_uid ?? undefined,
    concept: row.concept,
    archetypeId: row.archetype_id,
    createdAt: row.created_at.toISOString(),
    isCurrent: row.is_current,
    uploadedBy: row.uploaded_by_id === null ? undefined : { id: row.uploaded_by_id, name: row.uploaded_by_name ?? row.uploaded_by_id },
    pathMap: row.path_map ?? [],
  };
}

/**
 * Stores a template as the new current version of its id. Earlier versions stay readable:
 * compositions committed against them keep pointing at the version they were validated with.
 */
export async function insertTemplateVersion(
  tx: Queryable,
  input: {
    templateId: string;
    templateUid: string | undefined;
    concept: string;
    archetypeId: string;
    optXml: string;
    webTemplate: WebTemplate;
    uploadedBy?: { id: string; name: string } | undefined;
    description?: unknown;
    pathMap?: readonly FlatPathMove[] | undefined;
  },
): Promise<StoredTemplate> {
  // Serialises concurrent uploads of the same template id.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`template:${input.templateId}`]);
  const { rows: latest } = await tx.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM template WHERE template_id = $1',
    [input.templateId],
  );
  const version = (latest[0]?.version ?? 0) + 1;
  await tx.query('UPDATE template SET is_current = false WHERE template_id = $1 AND is_current', [input.templateId]);
  const { rows } = await tx.query<TemplateRow>(
    `INSERT INTO template (template_id, version, template_uid, concept, archetype_id, opt_xml, web_template, is_current,
       uploaded_by_id, uploaded_by_name, description, path_map)
     VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, $9, $10, $11) RETURNING ${SUMMARY_COLUMNS}`,
    [
      input.templateId,
      version,
      input.templateUid ?? null,
      input.concept,
      input.archetypeId,
      input.optXml,
      JSON.stringify(input.webTemplate),
      input.uploadedBy?.id ?? null,
      input.uploadedBy?.name ?? null,
      input.description === undefined ? null : JSON.stringify(input.description),
      JSON.stringify(input.pathMap ?? []),
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('template insert returned no row');
  return toStoredTemplate(row);
}

export async function readTemplate(db: Queryable, templateId: string, version?: number): Promise<StoredTemplateContent | undefined> {
  const { rows } = await db.query<TemplateRow>(
    `SELECT ${SUMMARY_COLUMNS}, opt_xml, web_template, description FROM template
     WHERE template_id = $1 AND ${version === undefined ? 'is_current' : 'version = $2'}`,
    version === undefined ? [templateId] : [templateId, version],
  );
  const row = rows[0];
  if (!row?.opt_xml || !row.web_template) return undefined;
  return { ...toStoredTemplate(row), optXml: row.opt_xml, webTemplate: row.web_template, description: row.description ?? undefined };
}

/** Every revision of a template id, newest first (summaries: who uploaded it and when). */
export async function listTemplateRevisions(db: Queryable, templateId: string): Promise<StoredTemplate[]> {
  const { rows } = await db.query<TemplateRow>(`SELECT ${SUMMARY_COLUMNS} FROM template WHERE template_id = $1 ORDER BY version DESC`, [
    templateId,
  ]);
  return rows.map(toStoredTemplate);
}

/** The current version number of a template id: a cheap check before using a cached compilation. */
export async function readCurrentTemplateVersion(db: Queryable, templateId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM template WHERE template_id = $1 AND is_current', [templateId]);
  return rows[0]?.version;
}

/**
 * SHA-256 (hex) of the text of every stored revision of every template: which templates a set of
 * files would change, without reading them. A file identical to an earlier revision is not new:
 * it was installed once and a later revision (a designer's) replaced it.
 */
export async function listTemplateDigests(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ digest: string }>(
    "SELECT DISTINCT encode(sha256(convert_to(opt_xml, 'UTF8')), 'hex') AS digest FROM template",
  );
  return new Set(rows.map((row) => row.digest));
}

export async function listCurrentTemplates(db: Queryable): Promise<StoredTemplate[]> {
  const { rows } = await db.query<TemplateRow>(`SELECT ${SUMMARY_COLUMNS} FROM template WHERE is_current ORDER BY template_id`);
  return rows.map(toStoredTemplate);
}

/** Latest versions of compositions committed against a template id (any template version). */
export async function readLatestCompositionsOfTemplate(
  db: Queryable,
  templateId: string,
  options: { limit: number; afterUid?: string },
): Promise<{ uid: string; ehrId: string; data: Record<string, unknown>; lifecycleState: 'complete' | 'incomplete' }[]> {
  const { rows } = await db.query<{
    uid: string;
    ehr_id: string;
    data: Record<string, unknown>;
    lifecycle_state: 'complete' | 'incomplete';
  }>(
    `SELECT uid, ehr_id, data, lifecycle_state FROM object_version
     WHERE template_id = $1 AND is_latest AND data IS NOT NULL AND uid > $2
     ORDER BY uid LIMIT $3`,
    [templateId, options.afterUid ?? '00000000-0000-0000-0000-000000000000', options.limit],
  );
  return rows.map((row) => ({ uid: row.uid, ehrId: row.ehr_id, data: row.data, lifecycleState: row.lifecycle_state }));
}
