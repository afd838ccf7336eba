import type { Provenance } from '@medplum/fhirtypes';
import type { PlanRevision } from '../../careplan/care-plan-store.js';
import { narrative } from './narrative.js';
import { planResourceId } from './plan-facts.js';
import { actorReference, organizationReference } from './references.js';

const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

const ACTIVITY: Readonly<Record<string, { code: string; display: string }>> = {
  created: { code: 'CREATE', display: 'create' },
  deleted: { code: 'DELETE', display: 'delete' },
};
const UPDATE = { code: 'UPDATE', display: 'revise' };

/** Who changed the plan, when and why: one Provenance per revision, targeting the CarePlan version it made. */
export function toProvenance(ehrId: string, revision: PlanRevision): Provenance {
  const activity = ACTIVITY[revision.event] ?? UPDATE;
  const { actor } = revision;
  return {
    resourceType: 'Provenance',
    id: planResourceId(ehrId, `revision-${revision.revision}`),
    text: narrative(
      `${revision.event} by ${actor.name}${actor.organisation ? ` (${actor.organisation})` : ''} at ${revision.recordedAt}${revision.changeSummary ? `: ${revision.changeSummary}` : ''}`,
    ),
    target: [{ reference: `CarePlan/${planResourceId(ehrId)}/_history/${revision.revision}` }],
    recorded: revision.recordedAt,
    ...(revision.changeSummary ? { reason: [{ text: revision.changeSummary }] } : {}),
    activity: { coding: [{ system: DATA_OPERATION, ...activity }], text: revision.event },
    agent: [
      {
        type: {
          coding: [
            {
              system: PARTICIPATION_TYPE,
              code: revision.event === 'published' ? 'verifier' : 'author',
              display: revision.event === 'published' ? 'Verifier' : 'Author',
            },
          ],
        },
        who: actorReference(actor),
        ...(actor.odsCode ? { onBehalfOf: organizationReference(actor.odsCode, actor.organisation) } : {}),
      },
    ],
  };
}
