import type { JsonValue } from '../../openehr/flat/index.js';
import type { PlanActor, PlanHeader, PlanStatus } from '../care-plan-store.js';

/**
 * The plan header as a FLAT `UCP - Plan.v1` composition (web template root `urgent_care_plan`).
 * Pure: the service turns it into canonical JSON with the template and writes it as the header
 * composition, so everything the lifecycle knows is in the record, not only in the projections.
 */

export const PLAN_HEADER_TEMPLATE_ID = 'UCP - Plan.v1';
const ROOT = 'urgent_care_plan';

const STATUS: Readonly<Record<PlanStatus, { code: string; text: string }>> = {
  draft: { code: 'at0003', text: 'Draft' },
  'awaiting-approval': { code: 'at0004', text: 'Awaiting approval' },
  published: { code: 'at0005', text: 'Published' },
  closed: { code: 'at0006', text: 'Closed' },
  // A deleted plan keeps its last state's meaning of "not current": closed, with deleted = true.
  deleted: { code: 'at0006', text: 'Closed' },
};

const CONSENT: Readonly<Record<string, { status: [string, string]; route?: [string, string] }>> = {
  explicit: {
    status: ['882921000000109', 'Consent given for sharing end of life care coordination record'],
    route: ['at0004', 'Explicit consent'],
  },
  'best-interests': {
    status: [
      '882961000000101',
      'Best interests decision made on behalf of patient (Mental Capacity Act 2005) for sharing end of life care coordination record',
    ],
    route: ['at0005', 'Best interests decision'],
  },
  lpa: {
    status: [
      '883001000000106',
      'Consent given by appointed person with lasting power of attorney for personal welfare for sharing end of life care coordination record',
    ],
    route: ['at0006', 'Lasting power of attorney'],
  },
  withdrawn: { status: ['882941000000102', 'Withdrawal of consent for sharing end of life care coordination record'] },
};

/** NHS Data Dictionary DEATH LOCATION TYPE CODE, by the words people use for the place. */
export const DEATH_LOCATION_TYPES: readonly { code: string; text: string; pattern: RegExp }[] = [
  { code: '10', text: 'Hospital', pattern: /hospital/i },
  { code: '21', text: "Patient's own home", pattern: /^(own )?home$|own home|usual place of residence/i },
  { code: '22', text: 'Other private residence', pattern: /private residence/i },
  { code: '30', text: 'Hospice', pattern: /hospice/i },
  { code: '41', text: 'Care home with nursing', pattern: /nursing home|care home with nursing/i },
  { code: '40', text: 'Care home', pattern: /care home/i },
];

export interface HeaderFlatOptions {
  /** The pathway every plan has, listed first. */
  corePathwayId: string;
  /** Title of a pathway by id (the header lists them coded). */
  pathwayTitle: (id: string) => string;
  /** When the header is written (consent's date recorded). */
  now: string;
}

export function planHeaderFlat(header: PlanHeader, options: HeaderFlatOptions): Record<string, JsonValue> {
  const flat: Record<string, JsonValue> = {};
  const at = (path: string, value: JsonValue | undefined) => {
    if (value !== undefined && value !== '') flat[`${ROOT}/${path}`] = value;
  };
  const status = STATUS[header.status];
  at('plan_status/status|code', status.code);
  at('plan_status/status|value', status.text);
  at('plan_status/change_summary', header.changeSummary);
  // Every plan has the core plan; the header lists it first, then the pathways it adds.
  [options.corePathwayId, ...header.pathways].forEach((id, index) => {
    at(`plan_status/pathways_included:${index}|code`, id);
    at(`plan_status/pathways_included:${index}|value`, options.pathwayTitle(id));
    at(`plan_status/pathways_included:${index}|terminology`, 'UCP-pathway');
  });
  actor('plan_status/author', header.author);
  actor('plan_status/approver', header.approver);
  at('plan_status/approval_time', header.approvedAt);
  at('plan_status/planned_review_date', header.reviewDate);
  if (header.deletion) {
    at('plan_status/deleted', true);
    at('plan_status/reason_for_deletion', header.deletion.reason);
  }
  if (header.consent) {
    const consent = CONSENT[header.consent.toShare ? header.consent.route : 'withdrawn'] ?? CONSENT['withdrawn'];
    if (consent) {
      at('consent_to_share/consent_status|code', consent.status[0]);
      at('consent_to_share/consent_status|value', consent.status[1]);
      if (consent.route) {
        at('consent_to_share/consent_route|code', consent.route[0]);
        at('consent_to_share/consent_route|value', consent.route[1]);
      }
    }
    at('consent_to_share/date_recorded', options.now);
  }
  if (header.death) {
    at('death/date_of_death', header.death.date);
    at('death/source|code', 'at0004');
    at('death/source|value', 'Recorded by a professional');
    const type = DEATH_LOCATION_TYPES.find((candidate) => candidate.pattern.test(header.death?.place ?? '')) ?? {
      code: '50',
      text: 'Other',
    };
    at('death/place_of_death_type|code', type.code);
    at('death/place_of_death_type|value', type.text);
    at('death/place_of_death', header.death.place);
    if (header.death.placeDiffersReason) {
      at('death/died_in_preferred_place', false);
      at('death/reason_place_differed_from_preferred', header.death.placeDiffersReason);
    }
  }
  return flat;

  function actor(path: string, person: PlanActor | undefined): void {
    if (!person) return;
    at(`${path}/name`, person.name);
    at(`${path}/identifier|id`, person.id);
    at(`${path}/identifier|issuer`, 'UCP');
    at(`${path}/organisation/name`, person.organisation ?? undefined);
    if (person.odsCode) {
      at(`${path}/organisation/ods_code|id`, person.odsCode);
      at(`${path}/organisation/ods_code|issuer`, 'NHS England ODS');
    }
  }
}
