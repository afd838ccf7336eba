import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { AppError } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-catalogue.js';

/** FHIR issue types (http://hl7.org/fhir/issue-type) for each code of the error catalogue. */
const ISSUE_TYPES: Readonly<Record<ErrorCode, OperationOutcomeIssue['code']>> = {
  'bad-request': 'invalid',
  'malformed-json': 'structure',
  'invalid-request': 'invalid',
  unauthenticated: 'login',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  'route-not-found': 'not-supported',
  'method-not-allowed': 'not-supported',
  'not-acceptable': 'not-supported',
  conflict: 'conflict',
  gone: 'deleted',
  'precondition-failed': 'conflict',
  'payload-too-large': 'too-long',
  'unsupported-media-type': 'not-supported',
  unprocessable: 'processing',
  'precondition-required': 'business-rule',
  'too-many-requests': 'throttled',
  internal: 'exception',
  unavailable: 'transient',
};

export const UCP_ERROR_SYSTEM = 'https://urgentcareplan.nhs.uk/CodeSystem/error';

/**
 * An AppError as a FHIR OperationOutcome: one issue for the error (its catalogue code as a coding,
 * so clients can act on it as on problem+json's `code`), then one per located problem, with its
 * path as the issue's expression.
 */
export function toOperationOutcome(error: AppError, requestId: string): OperationOutcome {
  const severity = error.status >= 500 ? 'fatal' : 'error';
  const code = ISSUE_TYPES[error.code];
  const main: OperationOutcomeIssue = {
    severity,
    code,
    details: { coding: [{ system: UCP_ERROR_SYSTEM, code: error.code, display: error.title }], text: error.detail },
    diagnostics: `request id ${requestId}`,
  };
  const located = error.issues.map((issue): OperationOutcomeIssue => ({
    severity,
    code,
    details: { text: issue.message },
    expression: [issue.path],
  }));
  return { resourceType: 'OperationOutcome', id: requestId, issue: [main, ...located] };
}

/** An OperationOutcome that reports success with a message (for operations that return nothing else). */
export function informationOutcome(text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', details: { text } }] };
}
