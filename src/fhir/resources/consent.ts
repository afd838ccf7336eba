import type { Consent } from '@medplum/fhirtypes';
import type { ConsentRecord } from '../../careplan/care-plan-store.js';
import { UK_CORE_PROFILES } from '../uk-core.js';
import { narrative } from './narrative.js';
import { planResourceId, type PlanFacts } from './plan-facts.js';
import { organizationReference, patientReference } from './references.js';

const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

const ROUTES: Readonly<Record<ConsentRecord['route'], string>> = {
  explicit: 'the person gave explicit consent',
  'best-interests': 'shared in the person’s best interests (Mental Capacity Act 2005)',
  lpa: 'consent given by the holder of a lasting power of attorney for health and welfare',
  withdrawn: 'the person withdrew consent',
};

/**
 * The person's decision about sharing their plan, as the plan records it: to share it with every
 * service that may meet them in a crisis (permit), or only within their care team (deny). Undefined
 * when the plan records no decision.
 */
export function toConsent(plan: PlanFacts): Consent | undefined {
  const consent = plan.header.consent;
  if (!consent) return undefined;
  const permit = consent.toShare && consent.route !== 'withdrawn';
  const recorder = plan.header.approver ?? plan.header.author;
  return {
    resourceType: 'Consent',
    id: planResourceId(plan.ehrId, 'consent'),
    meta: { profile: [UK_CORE_PROFILES.Consent], versionId: String(plan.revision), lastUpdated: plan.updatedAt },
    text: narrative(
      `${permit ? 'Share the urgent care plan with services that may meet the person in a crisis' : 'Do not share the urgent care plan beyond the care team'}: ${ROUTES[consent.route]}.`,
    ),
    status: 'active',
    scope: { coding: [{ system: CONSENT_SCOPE, code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: ACT_CODE, code: 'INFA', display: 'information access' }] }],
    patient: patientReference(plan.nhsNumber),
    dateTime: plan.header.approvedAt ?? plan.updatedAt,
    ...(recorder?.odsCode ? { organization: [organizationReference(recorder.odsCode, recorder.organisation)] } : {}),
    sourceReference: { reference: `CarePlan/${planResourceId(plan.ehrId)}` },
    policyRule: { text: ROUTES[consent.route] },
    provision: { type: permit ? 'permit' : 'deny', purpose: [{ system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }] },
  };
}
