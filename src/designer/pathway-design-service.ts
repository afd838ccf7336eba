import type { Caller } from '../access/caller.js';
import { administer, refusal } from '../api/administration/administered-change.js';
import type { CatalogueSource } from '../careplan/catalogue/published-catalogue.js';
import { checkPathway, type CheckedTemplate, type PathwayProblem } from '../careplan/pathway/check-pathway.js';
import type { PathwayDefinition, PathwayModule } from '../careplan/pathway/pathway-definition.js';
import {
  bumpCatalogueGeneration,
  insertPathwayVersion,
  listPathwayVersions,
  readPathwayVersion,
  readPublishedPathways,
  setStatus,
  updateDraft,
  type PathwayVersion,
  type SafetyNote,
} from '../careplan/pathway/pathway-version-store.js';
import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { TemplateService } from '../openehr/service/template-service.js';
import { buildFormDefinition } from '../careplan/pathway/form-definition.js';
import type { WebTemplate } from '../openehr/template/web-template-model.js';
import { flatIdPaths } from '../openehr/service/template-revision-check.js';
import { describeVersionChanges, type DescribedChange, type FormOf } from './pathway-diff-words.js';
import { rewriteModulePaths, type RewrittenPath } from './pathway-path-moves.js';

/** A version as the designer shows it, with what would stop it being submitted or published. */
export interface PathwayVersionView extends PathwayVersion {
  readonly problems: readonly PathwayProblem[];
}

export interface PathwaySummary {
  readonly key: string;
  readonly title: string;
  /** The version plans are written with now; null when the pathway is retired or never published. */
  readonly published: number | null;
  readonly latest: number;
  /** The open version (draft or in review), if any: one at a time. */
  readonly open: { readonly version: number; readonly status: 'draft' | 'review' } | null;
}

export interface DraftInput {
  readonly definition: unknown;
  readonly safetyNotes?: readonly SafetyNote[] | undefined;
}

const RESOURCE = 'pathway-version';

/**
 * Pathways as versioned data, designed by clinical designers (`pathway:design`): a version is
 * drafted (from scratch or from an earlier version), checked against the templates it names,
 * submitted with its clinical safety notes, reviewed by a second designer — never its author —
 * and published; publishing retires the version it replaces and takes effect for every user at
 * once (the catalogue generation). Roll-back publishes the definition the current version
 * replaced again, as a new version. Every change and every refusal is audited with the change.
 */
export class PathwayDesignService {
  constructor(
    private readonly db: Database,
    private readonly templates: TemplateService,
    private readonly catalogue: CatalogueSource,
  ) {}

  async list(): Promise<PathwaySummary[]> {
    const versions = await listPathwayVersions(this.db);
    const byKey = new Map<string, PathwayVersion[]>();
    for (const version of versions) byKey.set(version.pathwayKey, [...(byKey.get(version.pathwayKey) ?? []), version]);
    return [...byKey].map(([key, list]) => {
      const published = list.find((version) => version.status === 'published');
      const open = list.find((version) => version.status === 'draft' || version.status === 'review');
      const newest = list[0] as PathwayVersion;
      return {
        key,
        title: titleOf(published ?? newest),
        published: published?.version ?? null,
        latest: newest.version,
        open: open ? { version: open.version, status: open.status as 'draft' | 'review' } : null,
      };
    });
  }

  async versions(key: string): Promise<PathwayVersion[]> {
    const versions = await listPathwayVersions(this.db, key);
    if (versions.length === 0) throw new AppError('not-found', `There is no pathway ${key}.`);
    return versions;
  }

  async version(key: string, version: number): Promise<PathwayVersionView> {
    const found = await this.#require(this.db, key, version);
    return { ...found, problems: await this.problems(found.definition, key) };
  }

  /**
   * Everything wrong with a definition for pathway `key`, each at its JSON pointer: the schema, the
   * templates it names (installed in the repository), the other published pathways (ids, modules
   * and templates are each in one pathway), and that the core pathway stays the one core pathway.
   */
  async problems(definition: unknown, key: string, db: Queryable = this.db): Promise<PathwayProblem[]> {
    const published = await readPublishedPathways(db);
    const others = published.filter((version) => version.pathwayKey !== key).map((version) => version.definition as PathwayDefinition);
    const templates = await this.#templatesNamed(definition, db);
    const checked = checkPathway(definition, templates, others, { templateSource: 'the repository' });
    const problems = [...checked.problems];
    const pathway = checked.pathway;
    if (pathway !== undefined) {
      if (pathway.id !== key) problems.push({ path: '/id', message: `a version of pathway ${key} must keep the id ${key}` });
      const wasCore = published.find((version) => version.pathwayKey === key)?.definition as PathwayDefinition | undefined;
      const coreElsewhere = others.some((other) => other.core === true);
      if (pathway.core === true && coreElsewhere) problems.push({ path: '/core', message: 'another pathway is the core pathway' });
      if (wasCore?.core === true && pathway.core !== true)
        problems.push({ path: '/core', message: 'the core pathway stays the core pathway: every plan has it' });
    }
    return problems;
  }

  /**
   * A new draft: from a definition, or a copy of an earlier version of the same pathway. A copy
   * follows the FLAT paths its templates' revisions moved since (renamed nodes declared in a
   * revision's path map): its labels, help, hidden fields, rules and prefills are rewritten to
   * the new paths (audited as `movedPaths`); a binding to a path that is gone without a declared
   * move stays, and shows among the draft's problems.
   */
  async createDraft(caller: Caller, key: string, input: DraftInput | { fromVersion: number }): Promise<PathwayVersionView> {
    const created = await administer(
      this.db,
      caller,
      async (tx) => {
        await this.#refuseIfOpen(tx, key);
        if ('fromVersion' in input) {
          const source = await this.#require(tx, key, input.fromVersion);
          const followed = await this.#followMovedPaths(source.definition, tx);
          const version = await insertPathwayVersion(tx, {
            pathwayKey: key,
            status: 'draft',
            definition: followed.definition,
            safetyNotes: source.safetyNotes,
            basedOn: source.id,
            author: authorOf(caller),
          });
          return { version, movedPaths: followed.rewritten };
        }
        const version = await insertPathwayVersion(tx, {
          pathwayKey: key,
          status: 'draft',
          definition: input.definition,
          safetyNotes: input.safetyNotes ?? [],
          basedOn: null,
          author: authorOf(caller),
        });
        return { version, movedPaths: [] };
      },
      {
        resource: { type: RESOURCE, id: (result) => `${key}/${result.version.version}` },
        refusedId: key,
        attempted: 'pathway-draft',
        action: 'create',
        detail: (result) => ({
          step: 'draft',
          basedOn: result.version.basedOn,
          ...(result.movedPaths.length > 0 ? { movedPaths: result.movedPaths.map((moved) => ({ ...moved })) } : {}),
        }),
      },
    );
    return { ...created.version, problems: await this.problems(created.version.definition, key) };
  }

  /**
   * A definition with its modules' bindings following the FLAT paths their templates' revisions
   * moved after the revision each module names (all revisions when it names none); a module whose
   * bindings moved is then designed on the current revision.
   */
  async #followMovedPaths(definition: unknown, db: Queryable): Promise<{ definition: unknown; rewritten: RewrittenPath[] }> {
    const modules = (definition as { modules?: unknown } | null)?.modules;
    if (!Array.isArray(modules)) return { definition, rewritten: [] };
    const rewritten: RewrittenPath[] = [];
    const next: unknown[] = [];
    for (const item of modules as unknown[]) {
      const module = item as PathwayModule;
      const current = typeof module?.templateId === 'string' ? await this.templates.find(module.templateId, undefined, db) : undefined;
      const revisions = current ? await this.templates.pathMoves(module.templateId, module.templateVersion ?? 0, db) : [];
      if (!current || revisions.length === 0) {
        next.push(item);
        continue;
      }
      const paths = flatIdPaths(current.webTemplate);
      const result = rewriteModulePaths(module, revisions, (path) => paths.has(path));
      rewritten.push(...result.rewritten);
      next.push(
        result.rewritten.length > 0 && module.templateVersion !== undefined
          ? { ...result.module, templateVersion: current.version }
          : result.module,
      );
    }
    return { definition: rewritten.length > 0 ? { ...(definition as object), modules: next } : definition, rewritten };
  }

  /** Replaces a draft's definition and safety notes; only its author, only while it is a draft. */
  async updateDraft(caller: Caller, key: string, version: number, input: DraftInput): Promise<PathwayVersionView> {
    const updated = await this.#change(caller, key, version, 'edit', async (tx, found) => {
      if (found.status !== 'draft')
        throw new AppError('conflict', `Version ${version} of ${key} is ${found.status}; only a draft is edited.`);
      if (found.author.id !== caller.id) throw refusal(`only the author of a draft (${found.author.name}) edits it`);
      return updateDraft(tx, found.id, { definition: input.definition, safetyNotes: input.safetyNotes ?? found.safetyNotes });
    });
    return { ...updated, problems: await this.problems(updated.definition, key) };
  }

  /** Sends a sound draft, with its clinical safety notes, for a second designer's review. */
  async submit(caller: Caller, key: string, version: number): Promise<PathwayVersionView> {
    const found = await this.#require(this.db, key, version);
    await this.#refuseIfUnsound(found);
    if (found.safetyNotes.length === 0)
      throw new AppError('unprocessable', 'Record at least one hazard and its controls (clinical safety notes) before review.', {
        issues: [{ path: '/safetyNotes', message: 'no hazard recorded' }],
      });
    const submitted = await this.#change(caller, key, version, 'submit', async (tx, locked) => {
      if (locked.status !== 'draft')
        throw new AppError('conflict', `Version ${version} of ${key} is ${locked.status}; only a draft is submitted.`);
      if (locked.author.id !== caller.id) throw refusal(`only the author of a draft (${locked.author.name}) submits it`);
      return setStatus(tx, locked.id, { status: 'review' });
    });
    return { ...submitted, problems: [] };
  }

  /** A second designer's review: approved (it may be published) or returned to draft with a note. Never by its author. */
  async review(
    caller: Caller,
    key: string,
    version: number,
    input: { outcome: 'approve' | 'return'; note?: string | undefined },
  ): Promise<PathwayVersionView> {
    const note = input.note?.trim() ? input.note.trim() : undefined;
    if (input.outcome === 'return' && note === undefined)
      throw new AppError('bad-request', 'Say why the version is returned (note), so its author can act on it.');
    const reviewed = await this.#change(caller, key, version, `review-${input.outcome}`, async (tx, found) => {
      if (found.status !== 'review' || found.review !== null)
        throw new AppError(
          'conflict',
          `Version ${version} of ${key} is not waiting for review (it is ${found.status}${found.review ? `, ${found.review.outcome}` : ''}).`,
        );
      if (found.author.id === caller.id) throw refusal('a designer does not review their own version; a second designer reviews it');
      const reviewer = { reviewerId: caller.id, reviewerName: caller.displayName };
      return input.outcome === 'approve'
        ? setStatus(tx, found.id, { status: 'review', review: { outcome: 'approved', ...reviewer, note: note ?? null } })
        : setStatus(tx, found.id, { status: 'draft', review: { outcome: 'returned', ...reviewer, note: note ?? '' } });
    });
    return { ...reviewed, problems: await this.problems(reviewed.definition, key) };
  }

  /** Publishes an approved version: the version it replaces is retired; every user has it on their next request. */
  async publish(caller: Caller, key: string, version: number): Promise<PathwayVersionView> {
    const published = await this.#change(caller, key, version, 'publish', async (tx, locked) => {
      if (locked.status !== 'review' || locked.review?.outcome !== 'approved')
        throw new AppError(
          'conflict',
          `Version ${version} of ${key} has not been approved by a reviewer; only an approved version is published.`,
        );
      await this.#refuseIfUnsound(locked, await lockCatalogue(tx));
      await this.#retireCurrent(tx, key);
      const done = await setStatus(tx, locked.id, { status: 'published' });
      await bumpCatalogueGeneration(tx);
      return done;
    });
    this.catalogue.changed();
    return { ...published, problems: [] };
  }

  /**
   * Roll-back, one action: the definition (and safety notes) of the version the current one
   * replaced is published again as a new version, based on it; the current version is retired.
   * It was reviewed when first published, so it needs no second review. Its bindings follow the
   * FLAT paths templates moved since (as a copied draft's do). Refused when there is
   * nothing earlier (retire the pathway instead).
   */
  async rollBack(caller: Caller, key: string): Promise<PathwayVersionView> {
    const restored = await administer(
      this.db,
      caller,
      async (tx) => {
        await this.#refuseIfOpen(tx, key);
        const versions = await listPathwayVersions(tx, key);
        const current = versions.find((version) => version.status === 'published');
        if (!current) throw new AppError('conflict', `Pathway ${key} has no published version to roll back.`);
        const previous = versions.find(
          (version) => version.id !== current.id && version.publishedAt !== null && version.publishedAt <= (current.publishedAt ?? ''),
        );
        if (!previous)
          throw new AppError(
            'conflict',
            `Version ${current.version} is the first published version of ${key}: there is nothing to roll back to; retire the pathway instead.`,
          );
        // Its bindings follow the FLAT paths templates moved since, as a new draft's do.
        const followed = await this.#followMovedPaths(previous.definition, tx);
        await this.#refuseIfUnsound({ ...previous, definition: followed.definition }, await lockCatalogue(tx));
        await setStatus(tx, current.id, { status: 'retired' });
        const republished = await insertPathwayVersion(tx, {
          pathwayKey: key,
          status: 'published',
          definition: followed.definition,
          safetyNotes: previous.safetyNotes,
          basedOn: previous.id,
          author: authorOf(caller),
          published: true,
        });
        await bumpCatalogueGeneration(tx);
        return { republished, current, previous };
      },
      {
        resource: { type: RESOURCE, id: (result) => `${key}/${result.republished.version}` },
        refusedId: key,
        attempted: 'pathway-roll-back',
        action: 'update',
        detail: (result) => ({ step: 'roll-back', retired: result.current.version, restored: result.previous.version }),
      },
    );
    this.catalogue.changed();
    return { ...restored.republished, problems: [] };
  }

  /** Retires the published version: no new plan may take the pathway; plans that have it still read. Never the core pathway. */
  async retire(caller: Caller, key: string): Promise<PathwayVersionView> {
    const retired = await administer(
      this.db,
      caller,
      async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pathway:${key}`]);
        const current = (await listPathwayVersions(tx, key)).find((version) => version.status === 'published');
        if (!current) throw new AppError('conflict', `Pathway ${key} has no published version to retire.`);
        if ((current.definition as PathwayDefinition).core === true)
          throw new AppError('conflict', 'The core pathway is in every plan; it is changed by a new version, never retired.');
        const done = await setStatus(tx, current.id, { status: 'retired' });
        await bumpCatalogueGeneration(tx);
        return done;
      },
      {
        resource: { type: RESOURCE, id: (version) => `${key}/${version.version}` },
        refusedId: key,
        attempted: 'pathway-retire',
        action: 'update',
        detail: () => ({ step: 'retire' }),
      },
    );
    this.catalogue.changed();
    return { ...retired, problems: [] };
  }

  /**
   * What changed from one version to another, field by field, safety notes included: each change
   * in plain language (pathway-diff-words.ts), naming modules, sections and fields by their labels
   * in the module's template, with its JSON pointer. From version 0 (nothing yet): everything in `to`.
   */
  async diff(key: string, from: number, to: number): Promise<{ from: number; to: number; changes: DescribedChange[] }> {
    // Version 0 is the pathway before its first version: nothing, so a first version's review lists all it holds.
    const b = await this.#require(this.db, key, to);
    const a = from === 0 ? { definition: { modules: [] }, safetyNotes: [] } : await this.#require(this.db, key, from);
    const formOf = await this.#formsOf([a.definition, b.definition]);
    return {
      from,
      to,
      changes: describeVersionChanges(
        { definition: a.definition, safetyNotes: a.safetyNotes },
        { definition: b.definition, safetyNotes: b.safetyNotes },
        formOf,
      ),
    };
  }

  /** The forms of the modules of `definitions`, their templates read first (the revision a module names, else the current one). */
  async #formsOf(definitions: readonly unknown[]): Promise<FormOf> {
    const webTemplates = new Map<string, WebTemplate | undefined>();
    const keyOf = (templateId: string, version: number | undefined) => `${templateId}\u0000${version ?? ''}`;
    for (const definition of definitions) {
      const modules = (definition as { modules?: unknown } | null)?.modules;
      for (const module of Array.isArray(modules) ? (modules as unknown[]) : []) {
        const { templateId, templateVersion } = (module ?? {}) as { templateId?: unknown; templateVersion?: unknown };
        if (typeof templateId !== 'string') continue;
        const version = typeof templateVersion === 'number' ? templateVersion : undefined;
        if (!webTemplates.has(keyOf(templateId, version)))
          webTemplates.set(keyOf(templateId, version), (await this.templates.find(templateId, version))?.webTemplate);
      }
    }
    return ({ templateId, templateVersion, labels }) => {
      const webTemplate = webTemplates.get(keyOf(templateId, templateVersion));
      return webTemplate ? buildFormDefinition(webTemplate, { labels }) : undefined;
    };
  }

  async #change(
    caller: Caller,
    key: string,
    version: number,
    step: string,
    work: (tx: Queryable, found: PathwayVersion) => Promise<PathwayVersion>,
  ): Promise<PathwayVersion> {
    return administer(
      this.db,
      caller,
      async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pathway:${key}`]);
        return work(tx, await this.#require(tx, key, version, true));
      },
      {
        resource: { type: RESOURCE, id: `${key}/${version}` },
        attempted: `pathway-${step}`,
        action: 'update',
        detail: (result) => ({
          step,
          status: result.status,
          ...(result.review?.note && step.startsWith('review') ? { note: result.review.note } : {}),
        }),
      },
    );
  }

  async #require(db: Queryable, key: string, version: number, lock = false): Promise<PathwayVersion> {
    const found = await readPathwayVersion(db, key, version, lock);
    if (!found) throw new AppError('not-found', `Pathway ${key} has no version ${version}.`);
    return found;
  }

  async #refuseIfOpen(tx: Queryable, key: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pathway:${key}`]);
    const open = (await listPathwayVersions(tx, key)).find((version) => version.status === 'draft' || version.status === 'review');
    if (open)
      throw new AppError(
        'conflict',
        `Pathway ${key} already has version ${open.version} in ${open.status}; finish or change that one first.`,
      );
  }

  async #refuseIfUnsound(version: PathwayVersion, db: Queryable = this.db): Promise<void> {
    const problems = await this.problems(version.definition, version.pathwayKey, db);
    if (problems.length > 0)
      throw new AppError(
        'unprocessable',
        `Version ${version.version} of ${version.pathwayKey} is not sound: ${problems.length} problem(s).`,
        {
          issues: problems,
        },
      );
  }

  async #retireCurrent(tx: Queryable, key: string): Promise<void> {
    const current = (await listPathwayVersions(tx, key)).find((version) => version.status === 'published');
    if (current) await setStatus(tx, current.id, { status: 'retired' });
  }

  async #templatesNamed(definition: unknown, db: Queryable): Promise<Map<string, CheckedTemplate>> {
    const ids = new Set<string>();
    if (definition !== null && typeof definition === 'object') {
      const { headerTemplateId, modules } = definition as { headerTemplateId?: unknown; modules?: unknown };
      if (typeof headerTemplateId === 'string') ids.add(headerTemplateId);
      if (Array.isArray(modules))
        for (const module of modules as unknown[]) {
          const templateId = (module as { templateId?: unknown } | null)?.templateId;
          if (typeof templateId === 'string') ids.add(templateId);
        }
    }
    const found = new Map<string, CheckedTemplate>();
    for (const id of ids) {
      const template = await this.templates.find(id, undefined, db);
      if (template) found.set(id, template);
    }
    return found;
  }
}

/**
 * Serialises the changes to what is published across pathways, so that two publications checked
 * at once cannot both claim one module id or template (each check sees the other's commit).
 */
async function lockCatalogue(tx: Queryable): Promise<Queryable> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['pathway-catalogue']);
  return tx;
}

function authorOf(caller: Caller): { id: string; name: string } {
  return { id: caller.id, name: caller.displayName };
}

function titleOf(version: PathwayVersion): string {
  const title = (version.definition as { title?: unknown } | null)?.title;
  return typeof title === 'string' ? title : version.pathwayKey;
}
