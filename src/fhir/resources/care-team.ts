import type { CareTeam } from '@medplum/fhirtypes';
import type { PlanActor } from '../../careplan/care-plan-store.js';
import { narrative } from './narrative.js';
import { planResourceId, type PlanFacts } from './plan-facts.js';
import { actorReference, organizationReference, patientReference } from './references.js';

/**
 * The people and organisations who hold the plan among them: who wrote it and who approved it,
 * with their organisations, which are also what gives them access (the care team of the access
 * policy). Organisations known only by code are listed by code.
 */
export function toCareTeam(plan: PlanFacts, organisations: readonly { odsCode: string; name?: string }[]): CareTeam {
  const people = uniqueActors([plan.header.author, plan.header.approver]);
  return {
    resourceType: 'CareTeam',
    id: planResourceId(plan.ehrId),
    meta: { versionId: String(plan.revision), lastUpdated: plan.updatedAt },
    text: narrative(
      `Care team of the urgent care plan: ${[...people.map((person) => person.name), ...organisations.map((o) => o.name ?? o.odsCode)].join(', ') || 'none recorded'}.`,
    ),
    status: plan.status === 'published' || plan.status === 'draft' || plan.status === 'awaiting-approval' ? 'active' : 'inactive',
    name: 'Urgent care plan care team',
    subject: patientReference(plan.nhsNumber),
    participant: [
      ...people.map((person) => ({
        role: [{ text: person === plan.header.approver ? 'Approver of the plan' : 'Author of the plan' }],
        member: actorReference(person),
        ...(person.odsCode ? { onBehalfOf: organizationReference(person.odsCode, person.organisation) } : {}),
      })),
      ...organisations.map((organisation) => ({
        role: [{ text: 'Care team organisation' }],
        member: organizationReference(organisation.odsCode, organisation.name),
      })),
    ],
    ...(organisations.length > 0 ? { managingOrganization: organisations.map((o) => organizationReference(o.odsCode, o.name)) } : {}),
  };
}

function uniqueActors(actors: (PlanActor | undefined)[]): PlanActor[] {
  const seen = new Map<string, PlanActor>();
  for (const actor of actors) if (actor && !seen.has(actor.id)) seen.set(actor.id, actor);
  return [...seen.values()];
}
