import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { CompiledTemplate } from '../../openehr/service/template-service.js';
import type { VersionChange } from '../../openehr/service/version-service.js';
import type { CarePlanRow, PlanHeader } from '../care-plan-store.js';
import { planHeaderFlat } from '../header/plan-header-flat.js';
import type { PlanContext } from '../plan-context.js';
import type { PlanWriter } from '../plan-writer.js';
import { deletionOf } from './version-changes.js';

/** `published`: a new complete header version (and the draft header deleted); `draft`: the draft header; `none`: untouched. */
export type HeaderMode = 'published' | 'draft' | 'none';

export interface HeaderWrite {
  changes: VersionChange[];
  headerId: string | null;
  draftHeaderId: string | null;
  /** The header object this write versions, if any. */
  headerObjectId: string | undefined;
}

/**
 * The header's part of a write: the draft header (an incomplete composition of its own) while a
 * draft is open, the published header (complete) when the plan is published, closed or deleted.
 */
export async function headerWrite(
  tx: Queryable,
  context: PlanContext,
  input: {
    ehrId: string;
    current: Pick<CarePlanRow, 'headerId' | 'draftHeaderId'>;
    header: PlanHeader;
    mode: HeaderMode;
    template: CompiledTemplate | undefined;
    writer: PlanWriter;
  },
): Promise<HeaderWrite> {
  const { ehrId, current, template, mode } = input;
  const unchanged = { changes: [], headerId: current.headerId, draftHeaderId: current.draftHeaderId, headerObjectId: undefined };
  if (mode === 'none' || !template) return unchanged;
  const flat = planHeaderFlat(input.header, {
    corePathwayId: context.catalogue.core.id,
    pathwayTitle: (id) => context.pathwayTitle(id),
    now: context.now(),
  });
  const data = context.toComposition(flat, template, input.writer, { title: 'Plan header', templateId: template.templateId });
  const target = mode === 'published' ? current.headerId : current.draftHeaderId;
  const latest = target ? await context.openehr.versions.read(tx, { ehrId, objectType: 'COMPOSITION', objectId: target }) : undefined;
  const live = latest && latest.lifecycleState !== 'deleted' ? latest : undefined;
  const objectId = live?.objectId ?? randomUUID();
  const changes: VersionChange[] = [
    {
      objectType: 'COMPOSITION',
      objectId,
      precedingVersion: live?.version,
      changeType: live ? 'modification' : 'creation',
      lifecycleState: mode === 'published' ? 'complete' : 'incomplete',
      data,
      templateId: template.templateId,
      templateVersion: template.version,
    },
  ];
  if (mode === 'draft') return { changes, headerId: current.headerId, draftHeaderId: objectId, headerObjectId: objectId };
  if (current.draftHeaderId) {
    const draft = await context.openehr.versions.read(tx, { ehrId, objectType: 'COMPOSITION', objectId: current.draftHeaderId });
    if (draft && draft.lifecycleState !== 'deleted') changes.push(deletionOf(draft));
  }
  return { changes, headerId: objectId, draftHeaderId: null, headerObjectId: objectId };
}
