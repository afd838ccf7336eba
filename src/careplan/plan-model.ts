import { AppError, type ErrorIssue } from '../errors/app-error.js';
import type { JsonValue } from '../openehr/flat/index.js';
import type { PlanModuleDefinition } from './catalogue/plan-catalogue.js';
import type { CarePlanRow, PlanHeader } from './care-plan-store.js';
import type { FieldChange } from './diff/flat-diff.js';

export const CAREPLAN_PUBLISHED_TOPIC = 'careplan.published';
export const CAREPLAN_CLOSED_TOPIC = 'careplan.closed';
export const CAREPLAN_DELETED_TOPIC = 'careplan.deleted';

/** A module's content as the generated forms read and write it: FLAT paths to values. */
export type Flat = Record<string, JsonValue>;

export interface ModuleContent {
  moduleId: string;
  title: string;
  pathwayId: string;
  templateId: string;
  kind: PlanModuleDefinition['kind'];
  seniorDecision: boolean;
  /** Where this content is: the open draft, or the published plan; `empty` when nothing is recorded. */
  source: 'draft' | 'published' | 'empty';
  versionUid: string | null;
  committedAt: string | null;
  committer: string | null;
  flat: Flat | null;
}

export interface PlanView {
  ehrId: string;
  nhsNumber: string;
  status: CarePlanRow['status'];
  draftState: CarePlanRow['draftState'];
  revision: number;
  planVersion: number;
  pathways: string[];
  reviewDate: string | null;
  latestReviewDate: string;
  header: PlanHeader;
  modules: ModuleContent[];
  updatedAt: string;
}

export interface PlanChanges {
  fromRevision: number;
  toRevision: number;
  header: FieldChange[];
  modules: { moduleId: string; title: string; changes: FieldChange[] }[];
}

/** A write based on a revision that is no longer current: the caller gets what changed since. */
export class StalePlanError extends AppError {
  constructor(
    readonly currentRevision: number,
    readonly changes: PlanChanges,
  ) {
    super(
      'precondition-failed',
      `The plan has changed since revision ${changes.fromRevision} you edited: it is now at revision ${currentRevision}. ` +
        'Look at what changed (changes), merge your edits into the current plan and save again with If-Match: "' +
        `${currentRevision}".`,
      { headers: { ETag: `"${currentRevision}"` } },
    );
  }
}

export interface SaveResult {
  plan: PlanView;
  moduleId: string;
  versionUid: string;
  /** What the template still needs before the plan can be submitted; saving a draft does not require it. */
  incomplete: ErrorIssue[];
  /** What this save changed in the section, field by field (removals included). */
  changes: FieldChange[];
}

export interface SubmitResult {
  plan: PlanView;
  warnings: string[];
}

export function emptyHeader(): PlanHeader {
  return {
    status: 'draft',
    pathways: [],
    changeSummary: undefined,
    author: undefined,
    approver: undefined,
    approvedAt: undefined,
    reviewDate: undefined,
    consent: undefined,
    death: undefined,
    deletion: undefined,
  };
}
