import { CAREPLAN_CLOSED_TOPIC, CAREPLAN_DELETED_TOPIC, CAREPLAN_PUBLISHED_TOPIC } from '../../careplan/care-plan-service.js';
import { AppError } from '../../errors/app-error.js';
import type { OutboxEvent } from '../../events/outbox.js';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../../nhs/nhs-number.js';
import { planResourceId } from '../resources/plan-facts.js';
import { parseSearch, type SearchParameterDefinitions } from '../search/search-parameters.js';

/** What a subscription listens for, from its R4 criteria: a resource type, maybe one person, maybe some statuses. */
export interface SubscriptionCriteria {
  resourceType: 'Flag' | 'CarePlan';
  nhsNumber: string | undefined;
  statuses: string[] | undefined;
}

const PARAMETERS: SearchParameterDefinitions = {
  patient: { type: 'reference', targets: ['Patient'], description: 'Patient/<NHS number>, or :identifier' },
  subject: { type: 'reference', targets: ['Patient'], description: 'as patient' },
  status: { type: 'token', description: 'the resource status' },
};

const SETTINGS = { defaultCount: 0, maxCount: 0, includes: [], revincludes: [], lenient: false } as const;

/** `Flag`, `Flag?status=active`, `CarePlan?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018`. */
export function parseCriteria(criteria: string): SubscriptionCriteria {
  const [type = '', query = ''] = criteria.trim().split('?', 2);
  if (type !== 'Flag' && type !== 'CarePlan') {
    throw new AppError(
      'bad-request',
      `Subscription.criteria must be on Flag or CarePlan (e.g. Flag?status=active), not ${JSON.stringify(type)}.`,
    );
  }
  const values: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) (values[key] ??= []).push(value);
  const search = parseSearch(values, PARAMETERS, SETTINGS);
  let nhsNumber: string | undefined;
  let statuses: string[] | undefined;
  for (const filter of search.filters) {
    if (filter.type === 'reference') {
      for (const value of filter.values) {
        const number = value.kind === 'id' ? value.id : value.system === undefined || value.system === NHS_NUMBER_SYSTEM ? value.value : '';
        if (!isValidNhsNumber(number))
          throw new AppError('bad-request', `Subscription.criteria: ${filter.name} must name one person by NHS number.`);
        if (nhsNumber !== undefined && nhsNumber !== number)
          throw new AppError('bad-request', 'Subscription.criteria may name one person only.');
        nhsNumber = number;
      }
    } else if (filter.type === 'token' && filter.name === 'status') {
      statuses = filter.values.map((value) => value.code);
    }
  }
  return { resourceType: type, nhsNumber, statuses };
}

const FLAG_STATUS: Readonly<Record<string, string>> = {
  [CAREPLAN_PUBLISHED_TOPIC]: 'active',
  [CAREPLAN_CLOSED_TOPIC]: 'inactive',
  [CAREPLAN_DELETED_TOPIC]: 'entered-in-error',
};
const CAREPLAN_STATUS: Readonly<Record<string, string>> = {
  [CAREPLAN_PUBLISHED_TOPIC]: 'active',
  [CAREPLAN_CLOSED_TOPIC]: 'completed',
  [CAREPLAN_DELETED_TOPIC]: 'entered-in-error',
};

/** The resource an outbox event changed, as the criteria see it; undefined when the event does not match. */
export function matchEvent(
  criteria: SubscriptionCriteria,
  event: OutboxEvent,
): { focus: string; status: string; nhsNumber: string } | undefined {
  const statuses = criteria.resourceType === 'Flag' ? FLAG_STATUS : CAREPLAN_STATUS;
  const status = statuses[event.topic];
  const payload = (event.payload ?? {}) as { ehrId?: unknown; nhsNumber?: unknown };
  if (status === undefined || typeof payload.ehrId !== 'string' || typeof payload.nhsNumber !== 'string') return undefined;
  if (criteria.nhsNumber !== undefined && criteria.nhsNumber !== payload.nhsNumber) return undefined;
  if (criteria.statuses !== undefined && !criteria.statuses.includes(status)) return undefined;
  const id = criteria.resourceType === 'Flag' ? planResourceId(payload.ehrId, 'plan') : planResourceId(payload.ehrId);
  return { focus: `${criteria.resourceType}/${id}`, status, nhsNumber: payload.nhsNumber };
}
