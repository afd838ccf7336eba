import { createHash } from 'node:crypto';
import type { Caller } from '../../access/caller.js';
import { appendAudit } from '../../audit/audit-log.js';
import { auditRecordFor } from '../../audit/audit-record.js';
import type { Database, Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { lifecycleValidation, type TemplateIssue } from './lifecycle-validation.js';
import {
  flatBreakages,
  flatIdPaths,
  mapFlatPath,
  movedFlatPaths,
  pathMapProblems,
  type RevisionBreakage,
} from './template-revision-check.js';
import { skippedNodesFromTemplate, type FlatToCompositionOptions } from '../flat/index.js';
import type { OperationalTemplate } from '../template/opt-model.js';
import { parseOperationalTemplate } from '../template/opt-parser.js';
import { TemplateParseError } from '../template/template-parse-error.js';
import { buildWebTemplate } from '../template/web-template-builder.js';
import type { WebTemplate } from '../template/web-template-model.js';
import {
  insertTemplateVersion,
  listTemplateDigests,
  listCurrentTemplates,
  listTemplateRevisions,
  readCurrentTemplateVersion,
  readLatestCompositionsOfTemplate,
  readTemplate,
  type FlatPathMove,
  type StoredTemplate,
  type StoredTemplateContent,
} from '../store/template-store.js';

export type { FlatPathMove, StoredTemplate } from '../store/template-store.js';

/** Checks one composition against a template; an empty list means valid (see lifecycle-validation.ts). */
export type CompositionValidator = (composition: unknown) => TemplateIssue[];

/** Makes a validator for a template; compiled once per template version and reused. */
export type ValidatorFactory = (template: OperationalTemplate) => CompositionValidator;

export interface CompiledTemplate extends StoredTemplate {
  opt: OperationalTemplate;
  webTemplate: WebTemplate;
  optXml: string;
  validate: CompositionValidator;
  /** Names of the structure nodes the web template leaves out, for FLAT/STRUCTURED input. */
  skippedNode: NonNullable<FlatToCompositionOptions['skippedNode']>;
  /**
   * The FLAT paths earlier revisions (up to this one) moved, oldest first, whose old path this
   * revision no longer has: FLAT input naming an old path is read at the new one (`movedFlatKeys`).
   */
  movedPaths: readonly (readonly FlatPathMove[])[];
}

const REVISION_CHECK_PAGE = 200;
const MAX_REPORTED_BREAKAGES = 50;

/**
 * Operational templates: upload (with revision of an existing id when nothing breaks), listing
 * and retrieval. Templates are immutable per version, so compiled forms are cached by version;
 * which version is current is always read from the database, so every server agrees.
 */
export class TemplateService {
  readonly #compiled = new Map<string, CompiledTemplate>();

  constructor(
    private readonly db: Database,
    private readonly createValidator: ValidatorFactory,
  ) {}

  /**
   * Stores an OPT: a new template, or a revision of one already stored (checked against every
   * stored composition first). `caller`, when a person or client uploads it: recorded as the
   * revision's uploader and audited with it. `description`: the template builder's description
   * the OPT was compiled from (the composer's), kept for the next revision. `pathMap`: the FLAT
   * paths the revision moves, old to new (a renamed node), declared so that stored data at an
   * old path is accepted and read at the new one; kept with the revision. `onlyNew`: refuse
   * (409) rather than revise a template id already stored.
   */
  async upload(
    optXml: string,
    options: { caller?: Caller; description?: unknown; pathMap?: readonly FlatPathMove[]; onlyNew?: boolean } = {},
  ): Promise<{ template: StoredTemplate; revised: boolean }> {
    const { opt, webTemplate } = readOptXml(optXml);
    const existing = await readTemplate(this.db, opt.templateId);
    if (existing && options.onlyNew) {
      throw new AppError('conflict', `There is already a template ${opt.templateId} (version ${existing.version}); choose another id.`);
    }
    if (existing && existing.optXml === optXml) {
      throw new AppError('conflict', `Template ${opt.templateId} already exists with identical content (version ${existing.version}).`);
    }
    const pathMap = options.pathMap ?? [];
    if (!existing && pathMap.length > 0)
      throw new AppError('unprocessable', `Template ${opt.templateId} is new: there is no earlier revision for a path map to move from.`, {
        issues: [{ path: '/pathMap', message: 'a path map belongs to a revision of a stored template' }],
      });
    if (existing) await this.refuseIfCompositionsWouldBreak(opt, webTemplate, pathMap);
    const { caller } = options;
    const template = await this.db.transaction(async (tx) => {
      const stored = await insertTemplateVersion(tx, {
        templateId: opt.templateId,
        templateUid: opt.uid,
        concept: opt.concept,
        archetypeId: opt.definition.archetypeId,
        optXml,
        webTemplate,
        uploadedBy: caller ? { id: caller.id, name: caller.displayName } : undefined,
        description: options.description,
        pathMap,
      });
      if (caller) {
        await appendAudit(
          tx,
          auditRecordFor(caller, {
            action: existing ? 'update' : 'create',
            resource: { type: 'template', id: `${stored.templateId}/${stored.version}` },
            detail: {
              step: existing ? 'revision' : 'upload',
              ...(options.description === undefined ? {} : { composer: true }),
              ...(pathMap.length > 0 ? { pathMap: pathMap.map(({ from, to }) => ({ from, to })) } : {}),
            },
          }),
        );
      }
      return stored;
    });
    return { template, revised: existing !== undefined };
  }

  /** Every revision of a template id, newest first; 404 when the id is unknown. */
  async revisions(templateId: string): Promise<StoredTemplate[]> {
    const revisions = await listTemplateRevisions(this.db, templateId);
    if (revisions.length === 0) throw new AppError('not-found', `There is no template ${templateId}.`);
    return revisions;
  }

  /**
   * The FLAT paths each revision after `afterVersion` moved, oldest first, with the revision that
   * moved them; [] for an unknown template. `db`: the transaction to read in, when the caller holds one.
   */
  async pathMoves(
    templateId: string,
    afterVersion = 0,
    db: Queryable = this.db,
  ): Promise<{ version: number; moves: readonly FlatPathMove[] }[]> {
    return (await listTemplateRevisions(db, templateId))
      .filter((revision) => revision.version > afterVersion && revision.pathMap.length > 0)
      .sort((a, b) => a.version - b.version)
      .map((revision) => ({ version: revision.version, moves: revision.pathMap }));
  }

  /** The stored text of one revision (current by default), with the composer's description if it made it. */
  async content(templateId: string, version?: number): Promise<StoredTemplateContent> {
    const stored = await readTemplate(this.db, templateId, version);
    if (!stored) throw new AppError('not-found', `There is no template ${templateId}${version ? ` version ${version}` : ''}.`);
    return stored;
  }

  /**
   * Installs the templates of `optXmls`, as a server installing the templates it ships with does
   * at start: those already stored as any revision (compared by digest, without parsing anything)
   * are left alone, so a later revision made by a designer stays current across restarts; templates new to the store are installed together in one transaction; a revision
   * of a stored template goes through `upload` and its check of existing compositions. Returns
   * the ids installed or revised.
   */
  async install(optXmls: readonly string[]): Promise<string[]> {
    const stored = await listTemplateDigests(this.db);
    const changed = optXmls.filter((optXml) => !stored.has(createHash('sha256').update(optXml, 'utf8').digest('hex')));
    if (changed.length === 0) return [];
    const read = changed.map((optXml) => ({ optXml, ...readOptXml(optXml) }));
    const known = new Set((await listCurrentTemplates(this.db)).map((template) => template.templateId));
    const fresh = read.filter((template) => !known.has(template.opt.templateId));
    const installed: string[] = [];
    if (fresh.length > 0) {
      try {
        await this.db.transaction(async (tx) => {
          for (const { optXml, opt, webTemplate } of fresh) {
            await insertTemplateVersion(tx, {
              templateId: opt.templateId,
              templateUid: opt.uid,
              concept: opt.concept,
              archetypeId: opt.definition.archetypeId,
              optXml,
              webTemplate,
            });
          }
        });
        installed.push(...fresh.map((template) => template.opt.templateId));
      } catch {
        // Another server installed some of them meanwhile: one by one, as revisions where need be.
        return this.#installOneByOne(read);
      }
    }
    return [...installed, ...(await this.#installOneByOne(read.filter((template) => known.has(template.opt.templateId))))];
  }

  async #installOneByOne(templates: readonly { optXml: string; opt: OperationalTemplate }[]): Promise<string[]> {
    const installed: string[] = [];
    for (const { optXml, opt } of templates) {
      try {
        await this.upload(optXml);
        installed.push(opt.templateId);
      } catch (error) {
        // Another server uploaded the same template at the same moment.
        if (!(error instanceof AppError && error.code === 'conflict' && (await readTemplate(this.db, opt.templateId))?.optXml === optXml))
          throw error;
      }
    }
    return installed;
  }

  list(): Promise<StoredTemplate[]> {
    return listCurrentTemplates(this.db);
  }

  /** The current version of a template, compiled; 404 when unknown. */
  async get(templateId: string, version?: number): Promise<CompiledTemplate> {
    const found = await this.find(templateId, version);
    if (!found) throw new AppError('not-found', `There is no template ${templateId}${version ? ` version ${version}` : ''}.`);
    return found;
  }

  /** `db`: the transaction to read in, when the caller holds one (on PGlite another read would wait for it). */
  async find(templateId: string, version?: number, db: Queryable = this.db): Promise<CompiledTemplate | undefined> {
    const wanted = version ?? (await readCurrentTemplateVersion(db, templateId));
    if (wanted === undefined) return undefined;
    const cached = this.#compiled.get(cacheKey(templateId, wanted));
    if (cached) return { ...cached, isCurrent: version === undefined || cached.isCurrent };
    const stored = await readTemplate(db, templateId, wanted);
    if (!stored) return undefined;
    const key = cacheKey(stored.templateId, stored.version);
    const opt = parseOperationalTemplate(stored.optXml);
    const paths = flatIdPaths(stored.webTemplate);
    const movedPaths = (await this.pathMoves(stored.templateId, 0, db))
      .filter((revision) => revision.version <= stored.version)
      .map((revision) => revision.moves.filter((move) => !paths.has(move.from)));
    const compiled: CompiledTemplate = {
      ...stored,
      opt,
      validate: this.createValidator(opt),
      skippedNode: skippedNodesFromTemplate(opt),
      movedPaths,
    };
    this.#compiled.set(key, compiled);
    return compiled;
  }

  /**
   * A revised template is accepted only if the latest version of every composition stored
   * against its id stays valid under it (a draft: free of anything forbidden), can still be
   * read as FLAT with it, and holds nothing at a FLAT path the revision moves unless the move is
   * declared in `pathMap` (checked first: 422 when it names paths that do not move so); otherwise
   * the upload is refused with what would break, and nothing is stored. A declared move of a node
   * holding data is accepted because the canonical data names archetype nodes, not FLAT paths:
   * each stored composition must still validate and read as FLAT under the revision, where its
   * data is then found at the new path. Only latest versions are checked: they are the ones
   * edited and shown; earlier versions keep their canonical JSON, which does not depend on the
   * template, and stay readable as such.
   */
  private async refuseIfCompositionsWouldBreak(
    revised: OperationalTemplate,
    revisedWebTemplate: WebTemplate,
    pathMap: readonly FlatPathMove[],
  ): Promise<void> {
    const validate = this.createValidator(revised);
    const current = await this.find(revised.templateId);
    const revisedForFlat = { webTemplate: revisedWebTemplate, skippedNode: skippedNodesFromTemplate(revised) };
    const detected = current ? movedFlatPaths(current.webTemplate, revisedWebTemplate) : [];
    const mapProblems = current ? pathMapProblems(pathMap, current.webTemplate, revisedWebTemplate, detected) : [];
    if (mapProblems.length > 0)
      throw new AppError(
        'unprocessable',
        `The path map of the revised template ${revised.templateId} does not match what it moves; nothing was stored.`,
        {
          issues: mapProblems,
        },
      );
    const moved = detected.filter((move) => mapFlatPath(move.from, pathMap) !== move.to);
    const breakages: RevisionBreakage[] = [];
    let broken = 0;
    let afterUid: string | undefined;
    for (;;) {
      const page = await readLatestCompositionsOfTemplate(this.db, revised.templateId, { limit: REVISION_CHECK_PAGE, afterUid });
      for (const composition of page) {
        // A draft stays a draft: it must remain free of anything wrong, not become complete.
        const found: RevisionBreakage[] = [
          ...lifecycleValidation(validate(composition.data), composition.lifecycleState).refused.map((issue) => ({
            composition: composition.uid,
            path: issue.path,
            problem: issue.message,
          })),
          ...flatBreakages(composition, current, revisedForFlat, moved),
        ];
        if (found.length === 0) continue;
        broken++;
        breakages.push(...found.slice(0, Math.max(0, MAX_REPORTED_BREAKAGES - breakages.length)));
      }
      if (page.length < REVISION_CHECK_PAGE) break;
      afterUid = page.at(-1)?.uid;
    }
    if (broken > 0) {
      throw new AppError(
        'conflict',
        `The revised template ${revised.templateId} would make ${broken} existing composition(s) invalid or unreadable; ` +
          'it was not stored. The issues list what would break.',
        {
          issues: breakages.map((breakage) => ({
            path: `composition ${breakage.composition}${breakage.path.startsWith('/') ? '' : ' '}${breakage.path}`,
            message: breakage.problem,
          })),
        },
      );
    }
  }
}

function cacheKey(templateId: string, version: number): string {
  return `${templateId}\u0000${version}`;
}

/** An OPT's parsed form and web template; unreadable XML is the caller's 400. */
function readOptXml(optXml: string): { opt: OperationalTemplate; webTemplate: WebTemplate } {
  try {
    const opt = parseOperationalTemplate(optXml);
    return { opt, webTemplate: buildWebTemplate(opt) };
  } catch (error) {
    if (error instanceof TemplateParseError) {
      throw new AppError('bad-request', `The operational template cannot be read: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * FLAT input with every key naming a path an earlier revision moved renamed to the path its node
 * has now (moves applied in revision order): a client still writing a renamed field's old path
 * keeps working. Keys the template has are left alone; a key moved onto one already given is
 * left as it is (the input then names both, and is refused as it would have been).
 */
export function movedFlatKeys(flat: Record<string, unknown>, template: Pick<CompiledTemplate, 'movedPaths'>): Record<string, unknown> {
  if (template.movedPaths.every((moves) => moves.length === 0)) return flat;
  const entries = Object.entries(flat).map(([key, value]): [string, unknown] => {
    let moved = key;
    for (const moves of template.movedPaths) moved = mapFlatPath(moved, moves) ?? moved;
    return [moved !== key && !(moved in flat) ? moved : key, value];
  });
  return Object.fromEntries(entries);
}
