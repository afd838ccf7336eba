import type { DocumentReference } from '@medplum/fhirtypes';
import { SNOMED } from '../uk-core.js';
import { planResourceId, type PlanFacts } from './plan-facts.js';
import { organizationReference, patientReference } from './references.js';

/** The printable plan: a PDF made by the web app's server side at a route under /api. */
export interface PlanDocument {
  /** Absolute URL the PDF is fetched from (authorised and audited like any read of the plan). */
  url: string;
  title: string;
}

/**
 * The plan's PDF as a DocumentReference, for record systems that file documents: current while
 * the plan is, superseded once it is closed or deleted.
 */
export function toDocumentReference(plan: PlanFacts, document: PlanDocument): DocumentReference {
  const author = plan.header.approver ?? plan.header.author;
  return {
    resourceType: 'DocumentReference',
    id: planResourceId(plan.ehrId, 'pdf'),
    meta: { versionId: String(plan.planVersion), lastUpdated: plan.updatedAt },
    status: plan.status === 'published' ? 'current' : plan.status === 'deleted' ? 'entered-in-error' : 'superseded',
    type: { coding: [{ system: SNOMED, code: '734163000', display: 'Care plan' }], text: 'Urgent care plan' },
    category: [{ coding: [{ system: SNOMED, code: '734163000', display: 'Care plan' }] }],
    subject: patientReference(plan.nhsNumber),
    date: plan.updatedAt,
    ...(author?.odsCode
      ? {
          author: [organizationReference(author.odsCode, author.organisation)],
          custodian: organizationReference(author.odsCode, author.organisation),
        }
      : {}),
    description: document.title,
    content: [{ attachment: { contentType: 'application/pdf', url: document.url, title: document.title, creation: plan.updatedAt } }],
    context: { related: [{ reference: `CarePlan/${planResourceId(plan.ehrId)}` }] },
  };
}
