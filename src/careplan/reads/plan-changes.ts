import { AppError } from '../../errors/app-error.js';
import { compositionToFlat, type JsonObject as FlatJsonObject } from '../../openehr/flat/index.js';
import type { StoredVersion } from '../../openehr/service/version-service.js';
import { readRevision, type PlanHeader, type PlanRevision } from '../care-plan-store.js';
import { diffFlat, type FieldChange } from '../diff/flat-diff.js';
import { labelOfFlatPath } from '../diff/flat-fields.js';
import type { PlanContext } from '../plan-context.js';
import type { Flat, PlanChanges } from '../plan-model.js';

export type RevisionSelector = { revision: number } | { planVersion: number };

/** What differs between two revisions of the plan (by revision number or published plan version). */
export async function planDiff(context: PlanContext, ehrId: string, from: RevisionSelector, to: RevisionSelector): Promise<PlanChanges> {
  await context.require(ehrId);
  const [before, after] = await Promise.all([readRevision(context.db, ehrId, from), readRevision(context.db, ehrId, to)]);
  if (!before || !after) throw new AppError('not-found', `The plan has no ${!before ? describe(from) : describe(to)}.`);
  return changesBetween(context, ehrId, before, after);
}

/** What changed since the revision a stale writer based their edit on. */
export async function changesSince(
  context: PlanContext,
  ehrId: string,
  baseRevision: number,
  currentRevision: number,
): Promise<PlanChanges> {
  const [before, after] = await Promise.all([
    readRevision(context.db, ehrId, { revision: baseRevision }),
    readRevision(context.db, ehrId, { revision: currentRevision }),
  ]);
  if (!after) return { fromRevision: baseRevision, toRevision: currentRevision, header: [], modules: [] };
  return changesBetween(context, ehrId, before, after);
}

async function changesBetween(
  context: PlanContext,
  ehrId: string,
  before: PlanRevision | undefined,
  after: PlanRevision,
): Promise<PlanChanges> {
  const moduleIds = [...new Set([...Object.keys(before?.modules ?? {}), ...Object.keys(after.modules)])];
  const pathways = [...new Set([...(before?.header.pathways ?? []), ...after.header.pathways])];
  const modules: PlanChanges['modules'] = [];
  for (const moduleId of moduleIds) {
    const oldUid = before?.modules[moduleId];
    const newUid = after.modules[moduleId];
    if (oldUid === newUid) continue;
    const definition = context.catalogue.readableModule(pathways, moduleId);
    const [oldFlat, newFlat, template] = await Promise.all([
      flatOfVersionUid(context, ehrId, oldUid),
      flatOfVersionUid(context, ehrId, newUid),
      definition ? context.template(definition.templateId) : undefined,
    ]);
    const changes = diffFlat(oldFlat, newFlat, (path) => (template ? labelOfFlatPath(template.webTemplate, path) : path));
    if (changes.length > 0) modules.push({ moduleId, title: definition?.title ?? moduleId, changes });
  }
  return {
    fromRevision: before?.revision ?? 0,
    toRevision: after.revision,
    header: headerFieldChanges(before?.header, after.header),
    modules,
  };
}

async function flatOfVersionUid(context: PlanContext, ehrId: string, versionUid: string | undefined): Promise<Flat | undefined> {
  if (!versionUid) return undefined;
  const stored = await context.openehr.versions.readComposition(context.db, ehrId, versionUid);
  return stored ? flatOfVersion(context, stored) : undefined;
}

/** A stored composition version as the FLAT content its module's form shows. */
export async function flatOfVersion(context: PlanContext, version: StoredVersion): Promise<Flat | undefined> {
  if (!version.data || !version.templateId) return undefined;
  const template = await context.template(version.templateId);
  return compositionToFlat(version.data as FlatJsonObject, template.webTemplate, { skippedNode: template.skippedNode });
}

function describe(selector: RevisionSelector): string {
  return 'revision' in selector ? `revision ${selector.revision}` : `published version ${selector.planVersion}`;
}

const HEADER_FIELDS: readonly { key: string; label: string; render: (header: PlanHeader) => string | undefined }[] = [
  { key: 'status', label: 'Plan status', render: (header) => header.status },
  { key: 'pathways', label: 'Pathways', render: (header) => header.pathways.join(', ') || 'core plan only' },
  { key: 'reviewDate', label: 'Review date', render: (header) => header.reviewDate },
  {
    key: 'consent',
    label: 'Consent to share',
    render: ({ consent }) => (consent ? `${consent.toShare ? 'shares' : 'does not share'} (${consent.route})` : undefined),
  },
  {
    key: 'death',
    label: 'Death',
    render: ({ death }) =>
      death ? `${death.date}, ${death.place}${death.placeDiffersReason ? ` (${death.placeDiffersReason})` : ''}` : undefined,
  },
  {
    key: 'approver',
    label: 'Approved by',
    render: ({ approver, approvedAt }) => (approver ? `${approver.name}${approvedAt ? ` at ${approvedAt}` : ''}` : undefined),
  },
];

function headerFieldChanges(before: PlanHeader | undefined, after: PlanHeader): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of HEADER_FIELDS) {
    const old = before ? field.render(before) : undefined;
    const now = field.render(after);
    if (old === now) continue;
    changes.push({
      path: `header/${field.key}`,
      label: field.label,
      change: old === undefined ? 'added' : now === undefined ? 'removed' : 'changed',
      before: old,
      after: now,
    });
  }
  return changes;
}
