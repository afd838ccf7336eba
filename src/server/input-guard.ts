import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type ErrorIssue } from '../errors/app-error.js';

/**
 * One guard for everything a request brings in — the parsed body of any media type, the query
 * string and the path parameters — before any schema, handler or database sees it. It refuses
 * what no API of ours means and what would otherwise fail deep inside (answering 500):
 *
 * - NUL (U+0000): PostgreSQL text and jsonb cannot hold it (SQLSTATE 22P05).
 * - Lone UTF-16 surrogates (a `\ud800` escape without its pair): not Unicode text; jsonb refuses
 *   them (22P02) and they cannot be encoded as UTF-8 for anyone else either.
 * - Nesting deeper than MAX_DEPTH: recursive code (validators, converters, the database's own
 *   jsonb functions) would run out of stack. The deepest openEHR content we know nests about
 *   25 levels; 100 leaves room for any real template.
 * - `__proto__` as a key from any parser (the JSON parser already refuses it): it would reach the
 *   prototype of objects built from the input.
 *
 * Walks iteratively, so a hostile input cannot make the guard itself overflow. Refusals are
 * `bad-request` with the path of the first offending value, in each API family's own format.
 */
export const MAX_DEPTH = 100;

/** At most this many issues are listed; the first is what the client needs to fix. */
const MAX_ISSUES = 5;

type Part = 'body' | 'query' | 'params';

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const issues = [...inspect(request.params, 'params'), ...inspect(request.query, 'query'), ...inspect(request.body, 'body')].slice(
      0,
      MAX_ISSUES,
    );
    if (issues.length > 0) {
      throw new AppError('bad-request', `The request cannot be accepted: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, {
        issues,
      });
    }
  });
}

/** The problems of one part of a request, located by JSON pointer; empty when it is acceptable. */
export function inspect(value: unknown, part: Part): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const item = stack.pop();
    if (!item) break;
    const where = `${part}${item.path}`;
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) issues.push({ path: where, message: problem });
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null || Buffer.isBuffer(item.value)) continue;
    if (item.depth >= MAX_DEPTH) {
      issues.push({ path: where, message: `is nested more than ${MAX_DEPTH} levels deep` });
      continue;
    }
    const entries: [string, unknown][] = Array.isArray(item.value)
      ? item.value.map((element, index) => [String(index), element])
      : Object.keys(item.value).map((key) => [key, (item.value as Record<string, unknown>)[key]]);
    for (const [key, child] of entries) {
      const path = `${item.path}/${escapePointer(key)}`;
      if (!Array.isArray(item.value)) {
        const keyProblem = key === '__proto__' ? 'is a forbidden key' : textProblem(key);
        if (keyProblem) {
          issues.push({ path: `${part}${path}`, message: `(a key) ${keyProblem}` });
          continue;
        }
      }
      stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return issues;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return undefined;
}

/** RFC 6901: the path shows keys as sent, with `~` and `/` escaped; control characters are shown as escapes. */
function escapePointer(key: string): string {
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return shown
    .replaceAll('~', '~0')
    .replaceAll('/', '~1')
    .replace(/[\p{Cc}\ud800-\udfff]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
