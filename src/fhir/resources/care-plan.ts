import type { CarePlan } from '@medplum/fhirtypes';
import type { PlanView } from '../../careplan/care-plan-service.js';
import { flatFields } from '../../careplan/diff/flat-fields.js';
import { SNOMED, UK_CORE_PROFILES } from '../uk-core.js';
import { h, labelledTable, narrative, type Html } from './narrative.js';
import { planPeriod, planResourceId, type Summary } from './plan-facts.js';
import { actorReference, organizationReference, patientReference } from './references.js';

export const UCP_PATHWAY_SYSTEM = 'https://urgentcareplan.nhs.uk/CodeSystem/pathway';

/** The label of a module's FLAT path (from its web template); the caller knows the templates. */
export type FlatLabeller = (moduleId: string, path: string) => string;

const STATUS: Readonly<Record<PlanView['status'], CarePlan['status']>> = {
  draft: 'draft',
  'awaiting-approval': 'draft',
  published: 'active',
  closed: 'completed',
  deleted: 'entered-in-error',
};

export interface CarePlanInput {
  plan: PlanView;
  summary: Summary | undefined;
  /** Pathway id → its title. */
  pathwayTitles: Readonly<Record<string, string>>;
  labelOf: FlatLabeller;
  /**
   * The FHIR version this is (plan-versions.ts); without it, the plan's revision and last change,
   * for a one-off export that serves no history.
   */
  version?: { versionId: string; lastUpdated: string };
}

/**
 * The whole plan as a UK Core CarePlan: status, period, author, pathways as categories, the care
 * team, the review as a scheduled activity, and every module written out as readable XHTML, so a
 * record system that shows only the narrative still shows the plan a clinician agreed.
 */
export function toCarePlan({ plan, summary, pathwayTitles, labelOf, version }: CarePlanInput): CarePlan {
  const { header } = plan;
  const author = header.approver ?? header.author;
  return {
    resourceType: 'CarePlan',
    id: planResourceId(plan.ehrId),
    meta: {
      profile: [UK_CORE_PROFILES.CarePlan],
      versionId: version?.versionId ?? String(plan.revision),
      lastUpdated: version?.lastUpdated ?? plan.updatedAt,
    },
    text: narrative(...planNarrative({ plan, summary, pathwayTitles, labelOf })),
    identifier: [{ system: 'https://urgentcareplan.nhs.uk/Id/ehr-id', value: plan.ehrId }],
    status: STATUS[plan.status],
    intent: 'plan',
    category: [
      { coding: [{ system: SNOMED, code: '734163000', display: 'Care plan' }], text: 'Urgent care plan' },
      ...plan.pathways.map((pathway) => ({
        coding: [{ system: UCP_PATHWAY_SYSTEM, code: pathway, display: pathwayTitles[pathway] ?? pathway }],
      })),
    ],
    title: 'Urgent care plan',
    ...(summary?.focusOfCare ? { description: summary.focusOfCare } : {}),
    subject: patientReference(plan.nhsNumber),
    period: planPeriod(plan),
    ...(header.author?.odsCode ? { author: organizationReference(header.author.odsCode, header.author.organisation) } : {}),
    ...(author ? { contributor: [actorReference(author)] } : {}),
    careTeam: [{ reference: `CareTeam/${planResourceId(plan.ehrId)}` }],
    ...(plan.reviewDate
      ? {
          activity: [
            {
              detail: {
                kind: 'Task',
                code: { text: 'Review of the urgent care plan' },
                status: plan.status === 'published' ? 'scheduled' : 'cancelled',
                scheduledPeriod: { start: plan.reviewDate },
                description: `Review the plan by ${plan.reviewDate}`,
              },
            },
          ],
        }
      : {}),
  };
}

function planNarrative({ plan, summary, pathwayTitles, labelOf }: CarePlanInput): (Html | undefined)[] {
  const { header } = plan;
  const facts = [
    { label: 'Status', value: `${plan.status}${plan.planVersion > 0 ? `, version ${plan.planVersion}` : ''}` },
    ...(plan.pathways.length > 0 ? [{ label: 'Pathways', value: plan.pathways.map((id) => pathwayTitles[id] ?? id).join(', ') }] : []),
    ...(plan.reviewDate ? [{ label: 'Review date', value: plan.reviewDate }] : []),
    ...(header.approver
      ? [
          {
            label: 'Approved by',
            value: `${header.approver.name}${header.approver.organisation ? `, ${header.approver.organisation}` : ''}${header.approvedAt ? ` on ${header.approvedAt.slice(0, 10)}` : ''}`,
          },
        ]
      : []),
    ...(header.death ? [{ label: 'Died', value: `${header.death.date}, ${header.death.place}` }] : []),
  ];
  return [
    h('h2', 'Urgent care plan'),
    labelledTable(facts),
    summary ? summarySection(summary) : undefined,
    ...moduleSections(plan, labelOf),
  ];
}

function summarySection(summary: Summary): Html {
  const rows = [
    ...(summary.cpr ? [{ label: 'CPR recommendation', value: summary.cpr.recommendation }] : []),
    ...(summary.focusOfCare ? [{ label: 'Focus of care', value: summary.focusOfCare }] : []),
    ...(summary.ceilingOfTreatment ? [{ label: 'Ceiling of treatment', value: summary.ceilingOfTreatment }] : []),
    ...summary.whoToCallFirst.map((contact) => ({
      label: 'Call first',
      value: [contact.name, contact.relationship, contact.telephone].filter(Boolean).join(', '),
    })),
    ...summary.allergies.map((allergy) => ({ label: 'Allergy', value: [allergy.substance, allergy.reaction].filter(Boolean).join(': ') })),
    ...summary.diagnoses.map((diagnosis) => ({ label: 'Diagnosis', value: diagnosis })),
  ];
  return h('div', h('h3', 'Emergency summary'), labelledTable(rows) ?? h('p', 'Nothing recorded.'));
}

function moduleSections(plan: PlanView, labelOf: FlatLabeller): Html[] {
  return plan.modules
    .filter((module) => module.flat !== null)
    .map((module) => {
      const rows = [...flatFields(module.flat ?? {})].map(([path, value]) => ({ label: labelOf(module.moduleId, path), value }));
      return h('div', h('h3', module.title), labelledTable(rows) ?? h('p', 'Nothing recorded.'));
    });
}

/** A label from the path alone, for when no web template is at hand: its last segment in words. */
export function labelFromPath(_moduleId: string, path: string): string {
  const last = path.split('/').at(-1) ?? path;
  const [name = last, index] = last.split(':');
  const words = name.replace(/_/g, ' ').trim();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${index !== undefined && Number(index) > 0 ? ` #${Number(index) + 1}` : ''}`;
}
