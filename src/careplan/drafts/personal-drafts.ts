import { AppError } from '../../errors/app-error.js';
import { lifecycleValidation } from '../../openehr/service/lifecycle-validation.js';
import type { PlanModuleDefinition } from '../catalogue/plan-catalogue.js';
import type { CarePlanRow } from '../care-plan-store.js';
import { diffFlat, type FieldChange } from '../diff/flat-diff.js';
import { flatFields, labelOfFlatPath } from '../diff/flat-fields.js';
import { applySectionSave } from '../diff/flat-merge.js';
import { accumulateChanges, mergeSection, type FieldConflict, type Resolution } from '../diff/three-way-merge.js';
import { commitSectionSaves, prepareSectionSave, sectionChanges } from '../lifecycle/edit-draft.js';
import { refuseIfReadOnly, type PlanContext } from '../plan-context.js';
import type { Flat, PlanView } from '../plan-model.js';
import { actorOf, type PlanWriter } from '../plan-writer.js';
import { planView, readAtRevision } from '../reads/plan-reads.js';
import { refuseOverlongText } from '../text-limits.js';
import {
  findLiveDraft,
  insertDraft,
  listDrafts,
  readDraftById,
  updateDraft,
  type PersonalDraftRow,
  type SectionBase,
} from './personal-draft-store.js';

/**
 * Drafts of one's own. The plan has one shared draft, which goes to approval; anyone who would
 * rather work apart — a second professional, or the person whose plan it is — holds a draft of
 * their own instead. It records only what its author changed, over each section as they read it,
 * so merging it into the plan is a three-way merge field by field (`three-way-merge.ts`): the
 * second to merge sees what changed since they started and decides each field both changed. A
 * professional merges their own draft; the person proposes theirs and a professional merges it
 * (or declines it, saying why). No draft is deleted, whatever happens to the others.
 */

/** A field both the author and someone since changed, as people read it. */
export interface DraftConflict {
  moduleId: string;
  path: string;
  label: string;
  startedFrom: string | undefined;
  mine: string | undefined;
  now: string | undefined;
}

export interface DraftSectionView {
  moduleId: string;
  title: string;
  /** The plan revision the author read this section at. */
  basedOnRevision: number;
  /** What the author changed, field by field. */
  changes: FieldChange[];
  /** What others changed in the section since the author read it. */
  changedSince: FieldChange[];
  conflicts: DraftConflict[];
  /** The section as the author has it: what they read with their changes. */
  flat: Flat;
}

export interface PersonalDraftView {
  draftId: string;
  ehrId: string;
  author: PersonalDraftRow['author'];
  byPerson: boolean;
  state: PersonalDraftRow['state'];
  note: string | null;
  outcome: PersonalDraftRow['outcome'];
  /** The plan's revision now: a merge sends it in If-Match. */
  planRevision: number;
  sections: DraftSectionView[];
  createdAt: string;
  updatedAt: string;
}

/** A draft in a list: who holds it and where it stands, without its content. */
export type PersonalDraftSummary = Omit<PersonalDraftView, 'sections' | 'planRevision'> & { sections: string[] };

export interface MergeResult {
  plan: PlanView;
  draft: PersonalDraftView;
  /** What the merge changed in the plan's draft, per section. */
  changes: { moduleId: string; title: string; changes: FieldChange[] }[];
}

const LIVE: readonly PersonalDraftRow['state'][] = ['open', 'proposed'];

/** Whether the writer is the person whose plan it is (proposing), rather than a professional. */
function isThePerson(writer: PlanWriter): boolean {
  return writer.caller.ownNhsNumber !== undefined;
}

/** The sections a draft of one's own may change: the person only the non-clinical ones that hold no decision. */
function moduleFor(context: PlanContext, plan: CarePlanRow, moduleId: string, byPerson: boolean): PlanModuleDefinition {
  const pathways = plan.draftState && !byPerson ? plan.draftPathways : plan.pathways;
  const module = context.catalogue.module(pathways, moduleId);
  if (!module) {
    const known = context.catalogue.modulesOf(pathways).map((m) => m.id);
    throw new AppError('not-found', `The plan has no module ${moduleId}; its modules are ${known.join(', ')}.`);
  }
  return module;
}

async function requireDraftRight(module: PlanModuleDefinition, writer: PlanWriter, byPerson: boolean): Promise<void> {
  const { caller } = writer;
  if (byPerson && (module.kind === 'clinical' || module.seniorDecision)) {
    await writer.refuse(
      `${module.title} is recorded by the professionals caring for you; you can suggest changes to the sections about you and the people to call`,
    );
  }
  if (!byPerson && module.kind === 'clinical' && !caller.permissions.has('plan:write-clinical')) {
    await writer.refuse(
      `${module.title} is a clinical section: editing it needs plan:write-clinical (a clinician); the role(s) ${caller.roles.join(', ')} may edit only non-clinical sections`,
    );
  }
}

/**
 * The section as the author read it at `revision`: the person reads the published plan; a
 * professional the plan's draft over it, as its revision recorded them.
 */
async function sectionAt(context: PlanContext, plan: CarePlanRow, moduleId: string, revision: number, byPerson: boolean): Promise<Flat> {
  if (!Number.isInteger(revision) || revision < 1 || revision > plan.revision) {
    throw new AppError('bad-request', `If-Match must name a revision of this plan you read (1 to ${plan.revision}); got ${revision}.`);
  }
  const view = await readAtRevision(context, plan.ehrId, byPerson ? await publishedRevisionAt(context, plan, revision) : revision);
  return view?.modules.find((module) => module.moduleId === moduleId)?.flat ?? {};
}

/** The latest publication at or before `revision` (what a reader of the published plan saw then). */
async function publishedRevisionAt(context: PlanContext, plan: CarePlanRow, revision: number): Promise<number> {
  const { rows } = await context.db.query<{ revision: number }>(
    'SELECT max(revision) AS revision FROM care_plan_revision WHERE ehr_id = $1 AND revision <= $2 AND plan_version IS NOT NULL',
    [plan.ehrId, revision],
  );
  const published = rows[0]?.revision;
  if (published === null || published === undefined) throw new AppError('not-found', 'This plan has not been published yet.');
  return published;
}

/** The section as the plan holds it now: its shared draft, else the published plan. */
async function sectionNow(context: PlanContext, plan: CarePlanRow): Promise<Map<string, Flat>> {
  const view = await planView(context, plan, plan.draftState ? 'draft' : 'published');
  return new Map(view.modules.map((module) => [module.moduleId, module.flat ?? {}]));
}

/**
 * Saves changes to one section into the writer's own draft (started on their first save), as a
 * merge patch over the section as they read it at `readRevision` (their If-Match): checked against
 * the template as a save of the plan's draft would be, and audited; the plan itself is unchanged.
 */
export async function saveToOwnDraft(
  context: PlanContext,
  input: { ehrId: string; moduleId: string; flat: Flat; readRevision: number },
  writer: PlanWriter,
): Promise<PersonalDraftView> {
  refuseOverlongText(input.flat);
  const plan = await context.require(input.ehrId);
  refuseIfReadOnly(plan);
  const byPerson = isThePerson(writer);
  if (byPerson && plan.planVersion === 0)
    throw new AppError('not-found', 'Your plan has not been published yet: there is nothing to propose a change to.');
  const module = moduleFor(context, plan, input.moduleId, byPerson);
  await requireDraftRight(module, writer, byPerson);
  const existing = await findLiveDraft(context.db, plan.ehrId, writer.caller.id);
  refuseIfProposed(existing, byPerson);
  const base: SectionBase = existing?.base[input.moduleId] ?? {
    revision: input.readRevision,
    flat: await sectionAt(context, plan, input.moduleId, input.readRevision, byPerson),
  };
  const changes = accumulateChanges(base.flat, existing?.changes[input.moduleId] ?? {}, input.flat);
  await checkSection(context, module, applySectionSave(base.flat, changes, 'merge'), writer);
  const saved = await context.db.transaction(async (tx) => {
    const live = await findLiveDraft(tx, plan.ehrId, writer.caller.id, { forUpdate: true });
    refuseIfProposed(live, byPerson);
    if (JSON.stringify(live?.changes[input.moduleId]) !== JSON.stringify(existing?.changes[input.moduleId])) {
      throw new AppError(
        'conflict',
        'Your draft changed while this save was being checked (another tab?); read it again and save once more.',
      );
    }
    const row =
      live ??
      (await insertDraft(tx, {
        ehrId: plan.ehrId,
        authorId: writer.caller.id,
        author: actorOf(writer.caller),
        byPerson,
        base: {},
        changes: {},
      }));
    const next = await updateDraft(tx, {
      ...row,
      base: { ...row.base, [input.moduleId]: base },
      changes: { ...row.changes, [input.moduleId]: changes },
    });
    await writer.trail(tx, { ehrId: plan.ehrId, contributionId: undefined, versionUids: [] });
    return next;
  });
  return draftView(context, plan, saved);
}

function refuseIfProposed(draft: PersonalDraftRow | undefined, byPerson: boolean): void {
  if (draft?.state === 'proposed') {
    throw new AppError(
      'conflict',
      byPerson
        ? 'Your proposal is waiting for the professionals caring for you; withdraw it first if you want to change it.'
        : 'This draft is waiting to be merged.',
    );
  }
}

/** The section as the author has it is refused (422, every problem with its path) where a save of the plan's draft would be. */
async function checkSection(context: PlanContext, module: PlanModuleDefinition, flat: Flat, writer: PlanWriter): Promise<void> {
  const template = await context.template(module.templateId);
  const composition = context.toComposition(flat, template, writer, module);
  const { refused } = lifecycleValidation(template.validate(composition), 'incomplete');
  if (refused.length > 0) {
    throw new AppError('unprocessable', `${module.title} cannot be saved: ${refused.length} problem(s) in what was entered.`, {
      issues: refused,
    });
  }
}

/** The writer's own live draft of the plan, with what changed since they started and what conflicts. */
export async function readOwnDraft(context: PlanContext, ehrId: string, writer: PlanWriter): Promise<PersonalDraftView> {
  const plan = await context.require(ehrId);
  const draft = await findLiveDraft(context.db, ehrId, writer.caller.id);
  if (!draft) throw new AppError('not-found', 'You hold no draft of this plan; your first save of a section starts one.');
  return draftView(context, plan, draft);
}

/** One draft of the plan: its author's, or — for a professional who may write the plan — anyone's. */
export async function readDraftOf(context: PlanContext, ehrId: string, draftId: string, writer: PlanWriter): Promise<PersonalDraftView> {
  const plan = await context.require(ehrId);
  return draftView(context, plan, await requireVisibleDraft(context, ehrId, draftId, writer));
}

async function requireVisibleDraft(context: PlanContext, ehrId: string, draftId: string, writer: PlanWriter): Promise<PersonalDraftRow> {
  const draft = await readDraftById(context.db, ehrId, draftId);
  if (!draft || (isThePerson(writer) && draft.authorId !== writer.caller.id)) {
    throw new AppError('not-found', `This plan has no draft ${draftId} you can see.`);
  }
  return draft;
}

/** Every draft of the plan (the person sees only their own): who holds one, since when, where it stands. */
export async function listDraftsOf(context: PlanContext, ehrId: string, writer: PlanWriter): Promise<PersonalDraftSummary[]> {
  await context.require(ehrId);
  const drafts = await listDrafts(context.db, ehrId);
  return drafts
    .filter((draft) => !isThePerson(writer) || draft.authorId === writer.caller.id)
    .map(({ base: _base, changes, authorId: _author, ...rest }) => ({ ...rest, sections: Object.keys(changes) }));
}

async function draftView(context: PlanContext, plan: CarePlanRow, draft: PersonalDraftRow): Promise<PersonalDraftView> {
  const now = LIVE.includes(draft.state) ? await sectionNow(context, plan) : new Map<string, Flat>();
  const sections: DraftSectionView[] = [];
  for (const [moduleId, changes] of Object.entries(draft.changes)) {
    const base = draft.base[moduleId] ?? { revision: 0, flat: {} };
    const definition = context.catalogue.modulesOf([...plan.pathways, ...plan.draftPathways]).find((m) => m.id === moduleId);
    const template = definition ? await context.template(definition.templateId) : undefined;
    const labelOf = (path: string) => (template ? labelOfFlatPath(template.webTemplate, path) : path);
    const mine = applySectionSave(base.flat, changes, 'merge');
    const theirs = now.get(moduleId);
    const merge = theirs ? mergeSection(base.flat, changes, theirs) : undefined;
    sections.push({
      moduleId,
      title: definition?.title ?? moduleId,
      basedOnRevision: base.revision,
      changes: diffFlat(base.flat, mine, labelOf),
      changedSince: theirs ? diffFlat(base.flat, theirs, labelOf) : [],
      conflicts: (merge?.conflicts ?? []).map((conflict) => readable(moduleId, conflict, labelOf)),
      flat: mine,
    });
  }
  const { base: _base, changes: _changes, authorId: _author, ...rest } = draft;
  return { ...rest, planRevision: plan.revision, sections };
}

function readable(moduleId: string, conflict: FieldConflict, labelOf: (path: string) => string): DraftConflict {
  const text = (flat: Flat) => [...flatFields(flat).values()].join('; ') || undefined;
  return {
    moduleId,
    path: conflict.path,
    label: labelOf(conflict.path),
    startedFrom: text(conflict.base),
    mine: text(conflict.mine),
    now: text(conflict.theirs),
  };
}

/**
 * Merges a draft into the plan's shared draft, all its sections in one write: the author's own
 * (a professional), or the person's proposal (by a professional who may write the plan). Fields
 * both changed since the author started need a resolution (`mine` or `theirs`, by module and
 * path); without one the merge is refused (409) naming each. The draft is marked merged in the
 * same transaction, never deleted.
 */
export async function mergeDraft(
  context: PlanContext,
  input: {
    ehrId: string;
    draftId: string;
    baseRevision: number;
    resolutions: Readonly<Record<string, Readonly<Record<string, Resolution>>>>;
    changeSummary: string | undefined;
  },
  writer: PlanWriter,
): Promise<MergeResult> {
  if (isThePerson(writer)) throw new AppError('forbidden', 'A proposal is merged by one of the professionals caring for you.');
  const plan = await context.require(input.ehrId);
  refuseIfReadOnly(plan);
  const draft = await requireVisibleDraft(context, input.ehrId, input.draftId, writer);
  refuseUnmergeable(draft, writer);
  if (plan.revision !== input.baseRevision) {
    // The merge compares with the plan as the merger saw it; a newer plan may hold new conflicts.
    throw new AppError(
      'precondition-failed',
      `The plan is now at revision ${plan.revision}: read the draft again to see what changed, then merge.`,
      {
        headers: { ETag: `"${plan.revision}"` },
      },
    );
  }
  const patches = threeWayPatches(draft, await sectionNow(context, plan), input.resolutions);
  const saves = [];
  for (const { moduleId, patch } of patches)
    saves.push(await prepareSectionSave(context, plan, { moduleId, flat: patch, mode: 'merge' }, writer));
  const changeSummary =
    input.changeSummary ??
    (draft.byPerson ? `Proposed by ${draft.author.name}${draft.note ? `: ${draft.note}` : ''}` : `Merged ${draft.author.name}'s draft`);
  const close = async (tx: Parameters<typeof updateDraft>[0], revision: number | undefined) => {
    const live = await readDraftById(tx, input.ehrId, input.draftId, { forUpdate: true });
    if (!live || live.updatedAt !== draft.updatedAt)
      throw new AppError('conflict', 'The draft changed while it was being merged; read it again.');
    await updateDraft(tx, {
      ...live,
      state: 'merged',
      outcome: { by: actorOf(writer.caller), at: context.now(), ...(revision ? { revision } : {}) },
    });
  };
  let planAfter = plan;
  if (saves.length > 0) {
    const committed = await commitSectionSaves(
      context,
      saves,
      {
        ehrId: input.ehrId,
        baseRevision: input.baseRevision,
        changeSummary,
        event: 'draft-merged',
        after: (tx, next) => close(tx, next.revision),
      },
      writer,
    );
    planAfter = committed.plan;
  } else {
    // Everything it changed is already in the plan: the draft is done, and its closing audited.
    await context.db.transaction(async (tx) => {
      await close(tx, undefined);
      await writer.trail(tx, { ehrId: input.ehrId, contributionId: undefined, versionUids: [] });
    });
  }
  const merged = await readDraftById(context.db, input.ehrId, input.draftId);
  return {
    plan: await planView(context, planAfter, planAfter.draftState ? 'draft' : 'published'),
    draft: await draftView(context, planAfter, merged ?? draft),
    changes: saves.map((save) => ({ moduleId: save.moduleId, title: save.module.title, changes: sectionChanges(save) })),
  };
}

/** Only a draft in its author's hands is merged by its author; the person's only once proposed. */
function refuseUnmergeable(draft: PersonalDraftRow, writer: PlanWriter): void {
  if (draft.byPerson ? draft.state !== 'proposed' : draft.state !== 'open' || draft.authorId !== writer.caller.id) {
    throw new AppError(
      'conflict',
      draft.byPerson
        ? `This proposal is ${draft.state}; only a proposal waiting for a professional can be merged.`
        : draft.authorId !== writer.caller.id
          ? `This is ${draft.author.name}'s draft: only they can merge it.`
          : `This draft is ${draft.state}.`,
    );
  }
}

/** Each section's patch after the three-way merge; refused (409, naming each field) while a conflict has no resolution. */
function threeWayPatches(
  draft: PersonalDraftRow,
  now: ReadonlyMap<string, Flat>,
  resolutions: Readonly<Record<string, Readonly<Record<string, Resolution>>>>,
): { moduleId: string; patch: Flat }[] {
  const patches: { moduleId: string; patch: Flat }[] = [];
  const unresolved: { moduleId: string; conflict: FieldConflict }[] = [];
  for (const [moduleId, changes] of Object.entries(draft.changes)) {
    const base = draft.base[moduleId]?.flat ?? {};
    const merge = mergeSection(base, changes, now.get(moduleId) ?? {}, resolutions[moduleId] ?? {});
    for (const conflict of merge.conflicts) unresolved.push({ moduleId, conflict });
    if (Object.keys(merge.patch).length > 0) patches.push({ moduleId, patch: merge.patch });
  }
  if (unresolved.length > 0) {
    throw new AppError(
      'conflict',
      `${unresolved.length} field(s) were changed by someone else since this draft started: say for each whose value stays (resolutions: {"<module>": {"<path>": "mine" | "theirs"}}).`,
      {
        issues: unresolved.map(({ moduleId, conflict }) => ({
          path: `${moduleId}/${conflict.path}`,
          message: 'changed in the plan and in this draft',
        })),
      },
    );
  }
  return patches;
}

/** The person hands their draft to the professionals caring for them, with a message. */
export async function proposeOwnDraft(
  context: PlanContext,
  input: { ehrId: string; note: string | undefined },
  writer: PlanWriter,
): Promise<PersonalDraftView> {
  if (!isThePerson(writer))
    throw new AppError('conflict', 'A professional merges their own draft (…/drafts/{id}/merge) rather than proposing it.');
  return endOrHandOver(context, input.ehrId, writer, (draft) => {
    if (draft.state !== 'open') throw new AppError('conflict', 'Your proposal is already waiting for the professionals caring for you.');
    if (Object.keys(draft.changes).length === 0)
      throw new AppError('unprocessable', 'Your draft changes nothing yet: save a change to a section first.');
    return { ...draft, state: 'proposed', note: input.note?.trim() || null };
  });
}

/** The author takes their draft back: it stays, withdrawn, and a new one can be started. */
export async function withdrawOwnDraft(context: PlanContext, ehrId: string, writer: PlanWriter): Promise<PersonalDraftView> {
  return endOrHandOver(context, ehrId, writer, (draft) => ({
    ...draft,
    state: 'withdrawn',
    outcome: { by: actorOf(writer.caller), at: context.now() },
  }));
}

/** A professional declines the person's proposal, saying why (the person reads it). */
export async function declineProposal(
  context: PlanContext,
  input: { ehrId: string; draftId: string; reason: string },
  writer: PlanWriter,
): Promise<PersonalDraftView> {
  if (isThePerson(writer)) throw new AppError('forbidden', 'A proposal is answered by one of the professionals caring for you.');
  const plan = await context.require(input.ehrId);
  const reason = input.reason.trim();
  if (reason.length < 10 || reason.length > 1000) {
    throw new AppError('bad-request', 'Say why the proposal is declined, in 10 to 1000 characters: the person reads it.');
  }
  const declined = await context.db.transaction(async (tx) => {
    const draft = await readDraftById(tx, input.ehrId, input.draftId, { forUpdate: true });
    if (!draft?.byPerson) throw new AppError('not-found', `This plan has no proposal ${input.draftId}.`);
    if (draft.state !== 'proposed') throw new AppError('conflict', `This proposal is ${draft.state}; only a waiting one can be declined.`);
    const next = await updateDraft(tx, { ...draft, state: 'declined', outcome: { by: actorOf(writer.caller), at: context.now(), reason } });
    await writer.trail(tx, { ehrId: input.ehrId, contributionId: undefined, versionUids: [] });
    return next;
  });
  return draftView(context, plan, declined);
}

async function endOrHandOver(
  context: PlanContext,
  ehrId: string,
  writer: PlanWriter,
  change: (draft: PersonalDraftRow) => PersonalDraftRow,
): Promise<PersonalDraftView> {
  const plan = await context.require(ehrId);
  const updated = await context.db.transaction(async (tx) => {
    const draft = await findLiveDraft(tx, ehrId, writer.caller.id, { forUpdate: true });
    if (!draft) throw new AppError('not-found', 'You hold no draft of this plan.');
    const next = await updateDraft(tx, change(draft));
    await writer.trail(tx, { ehrId, contributionId: undefined, versionUids: [] });
    return next;
  });
  return draftView(context, plan, updated);
}
