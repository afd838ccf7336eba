import type { Flag } from '@medplum/fhirtypes';
import { CAREPLAN_CLOSED_TOPIC, CAREPLAN_DELETED_TOPIC, CAREPLAN_PUBLISHED_TOPIC } from '../../careplan/care-plan-service.js';
import type { OutboxEvent } from '../../events/outbox.js';
import { narrative } from '../resources/narrative.js';
import { planResourceId } from '../resources/plan-facts.js';
import { patientReference } from '../resources/references.js';
import { SNOMED, UK_CORE_PROFILES } from '../uk-core.js';

export const FLAG_FEED_TOPICS = [CAREPLAN_PUBLISHED_TOPIC, CAREPLAN_CLOSED_TOPIC, CAREPLAN_DELETED_TOPIC] as const;

const STATUS: Readonly<Record<string, Flag['status']>> = {
  [CAREPLAN_PUBLISHED_TOPIC]: 'active',
  [CAREPLAN_CLOSED_TOPIC]: 'inactive',
  [CAREPLAN_DELETED_TOPIC]: 'entered-in-error',
};

/**
 * The "urgent care plan in place" flag as one outbox event left it, for systems that poll: who,
 * whether the flag stands, and the plan version — what a local flag needs, and no clinical
 * content. Undefined for events that change no flag.
 */
export function flagOfEvent(event: OutboxEvent): Flag | undefined {
  const status = STATUS[event.topic];
  const payload = (event.payload ?? {}) as { ehrId?: unknown; nhsNumber?: unknown; planVersion?: unknown };
  if (!status || typeof payload.ehrId !== 'string' || typeof payload.nhsNumber !== 'string') return undefined;
  return {
    resourceType: 'Flag',
    id: planResourceId(payload.ehrId, 'plan'),
    meta: { profile: [UK_CORE_PROFILES.Flag], versionId: String(payload.planVersion ?? 0), lastUpdated: event.occurredAt },
    text: narrative(
      status === 'active' ? 'Urgent care plan in place.' : `Urgent care plan ${status === 'inactive' ? 'closed' : 'withdrawn'}.`,
    ),
    status,
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'advance-directive', display: 'Advance Directive' },
        ],
      },
    ],
    code: { coding: [{ system: SNOMED, code: '734163000', display: 'Care plan' }], text: 'Urgent care plan' },
    subject: patientReference(payload.nhsNumber),
  };
}
