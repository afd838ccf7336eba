import { RELATIONSHIP_KINDS } from '../../access/access-policy.js';
import type { AllowedQueryScope } from '../../access/query-scope.js';
import type { EhrScope } from './query-service.js';

/**
 * The executor's EHR scope for a caller's query scope: a condition on the EHR's subject (the
 * person's NHS number), written into the compiled SQL with every value as a parameter.
 *
 * A related organisation sees people with a care-team or registered-GP relationship to it; the
 * person in launch context is added unless they have withdrawn consent to share (as for a single
 * read, access-policy.ts).
 */
export function ehrScopeFor(scope: AllowedQueryScope): EhrScope {
  switch (scope.kind) {
    case 'all':
      return { kind: 'all' };
    case 'self':
      return { kind: 'restricted', subjectCondition: (subject, param) => `(${subject} = ${param(scope.nhsNumber)})` };
    case 'related':
      return {
        kind: 'restricted',
        subjectCondition: (subject, param) => {
          const related = `${subject} IN (SELECT pr.nhs_number FROM person_relationship pr WHERE pr.ods_code = ${param(scope.odsCode)} AND pr.kind = ANY(${param([...RELATIONSHIP_KINDS])}::text[]))`;
          if (scope.launchNhsNumber === undefined) return `(${related})`;
          const launch = param(scope.launchNhsNumber);
          return `(${related} OR (${subject} = ${launch} AND NOT EXISTS (SELECT 1 FROM person_consent pc WHERE pc.nhs_number = ${launch} AND NOT pc.consent_to_share)))`;
        },
      };
  }
}
