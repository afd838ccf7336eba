import type { AppError, ErrorIssue } from '../errors/app-error.js';

export const PROBLEM_JSON = 'application/problem+json';

/** RFC 9457 problem details, with the error code and request id as extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: readonly ErrorIssue[];
}

export function toProblemDetails(error: AppError, instance: string, requestId: string): ProblemDetails {
  return {
    type: `urn:ucp:error:${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance,
    code: error.code,
    requestId,
    ...(error.issues.length > 0 ? { errors: error.issues } : {}),
  };
}
