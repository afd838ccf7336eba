import type { Static } from 'typebox';
import type { ProblemSchema } from '../../../src/http/schemas';

/**
 * The one way the web app talks to the server: same origin, the session cookie, JSON in and out,
 * the CSRF token on every change, and problem+json turned into an ApiProblem the pages can show.
 */

/** A field-level problem of an error answer: the problem schema's `errors` (src/http/schemas.ts). */
export type ProblemIssue = NonNullable<Static<typeof ProblemSchema>['errors']>[number];

/** An error answer of the API (application/problem+json), with what the page needs to explain it. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly issues: readonly ProblemIssue[];
  /** The whole problem document (a stale write carries `currentRevision` and `changes`). */
  readonly body: Readonly<Record<string, unknown>>;

  constructor(status: number, body: Record<string, unknown>) {
    const detail = typeof body['detail'] === 'string' ? body['detail'] : `The server answered ${status}.`;
    super(detail);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = typeof body['code'] === 'string' ? body['code'] : `http-${status}`;
    this.title = typeof body['title'] === 'string' ? body['title'] : 'Error';
    this.detail = detail;
    // problem+json carries the field-level problems as `errors` (src/http/problem-details.ts).
    const issues = body['errors'] ?? body['issues'];
    this.issues = Array.isArray(issues) ? (issues as ProblemIssue[]) : [];
    this.body = body;
  }
}

let csrfToken: string | undefined;

/** Set once the session is known (sign-in answer or GET /auth/session). */
export function rememberCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when any request finds the session gone, so the app can send the person to sign in. */
let onSignedOut: (() => void) | undefined;
export function whenSignedOut(listener: (() => void) | undefined): void {
  onSignedOut = listener;
}

/** Called after every answer from the server: each request keeps the session alive. */
let onActivity: (() => void) | undefined;
export function whenActive(listener: (() => void) | undefined): void {
  onActivity = listener;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not treat a 401 as the session having ended (the sign-in and session calls themselves). */
  expectUnauthenticated?: boolean;
}

export interface ApiResponse<T> {
  body: T;
  etag: string | undefined;
  status: number;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  if (response.status !== 401) onActivity?.();
  const text = await response.text();
  const parsed = text.length > 0 ? parseJson(text) : null;
  if (!response.ok) {
    const problem = new ApiProblem(response.status, isRecord(parsed) ? parsed : {});
    if (response.status === 401 && !options.expectUnauthenticated) onSignedOut?.();
    throw problem;
  }
  return { body: parsed as T, etag: response.headers.get('etag') ?? undefined, status: response.status };
}

export async function getJson<T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
  return (await request<T>(path, options)).body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
