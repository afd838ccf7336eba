import { publishedPlan, readablePathways, type Pathway, type PlanView } from '../../api/care-plan-api';
import { draftsOf, ownDraft, type DraftSummary, type PersonalDraft } from '../../api/drafts-api';
import { lookUpPerson } from '../../api/people-api';

/** The person's own plan as their pages need it: the published plan, the forms, and their drafts. */
export interface OwnPlan {
  plan: PlanView;
  pathways: Pathway[];
  /** Their draft still in their hands or waiting for their care team. */
  draft: PersonalDraft | undefined;
  /** Every draft they have made, newest first (merged, declined …). */
  drafts: DraftSummary[];
}

export async function ownPlanOf(nhsNumber: string): Promise<OwnPlan | undefined> {
  const identity = await lookUpPerson(nhsNumber);
  const ehrId = identity.kind === 'found' ? identity.person.plan?.ehrId : undefined;
  if (!ehrId) return undefined;
  const [plan, allPathways, draft, drafts] = await Promise.all([
    publishedPlan(ehrId),
    readablePathways(),
    ownDraft(ehrId),
    draftsOf(ehrId),
  ]);
  return { plan, pathways: allPathways, draft, drafts };
}

/** The sections a person may suggest changes to: what is about them, never a clinical decision. */
export function proposableModules(plan: PlanView): PlanView['modules'] {
  return plan.modules.filter((module) => module.kind === 'non-clinical' && !module.seniorDecision);
}
