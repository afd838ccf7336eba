import { AppError, type ErrorIssue } from '../../errors/app-error.js';

/**
 * FHIR R4 search parameters (§3.1.1), parsed into typed values before any search runs: each
 * resource type declares the parameters it supports, and anything else — an unknown parameter, a
 * modifier a type does not have, a date that is not one — is refused with every problem listed,
 * unless the client asked for lenient handling (`Prefer: handling=lenient`), when unknown
 * parameters are dropped and reported back by their absence from the self link.
 */

export type SearchParameterType = 'token' | 'reference' | 'date' | 'string';

export interface SearchParameterDefinition {
  type: SearchParameterType;
  /** For reference parameters: the resource types it may point at (checked for `Type/id` values). */
  targets?: readonly string[];
  description: string;
}

export type SearchParameterDefinitions = Readonly<Record<string, SearchParameterDefinition>>;

export const DATE_PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb'] as const;
export type DatePrefix = (typeof DATE_PREFIXES)[number];

export interface TokenValue {
  /** Undefined: any system; '' (from `|code`): no system. */
  system: string | undefined;
  code: string;
}

export type ReferenceValue =
  { kind: 'id'; type: string | undefined; id: string } | { kind: 'identifier'; system: string | undefined; value: string };

export interface DateValue {
  prefix: DatePrefix;
  /** The value as written (without prefix). */
  text: string;
  /** The range the value stands for at its precision: [start, end). */
  start: Date;
  end: Date;
}

/** One parameter's condition; repeated parameters are ANDed, comma-separated values ORed. */
export type SearchFilter =
  | { name: string; type: 'token'; modifier: 'not' | undefined; values: TokenValue[] }
  | { name: string; type: 'reference'; values: ReferenceValue[] }
  | { name: string; type: 'date'; values: DateValue[] }
  | { name: string; type: 'string'; modifier: 'exact' | 'contains' | undefined; values: string[] };

export interface IncludeParameter {
  /** `PractitionerRole:organization` → source PractitionerRole, parameter organization. */
  source: string;
  parameter: string;
  target: string | undefined;
}

export interface ParsedSearch {
  filters: SearchFilter[];
  include: IncludeParameter[];
  revinclude: IncludeParameter[];
  count: number;
  offset: number;
  /** Where a cursor-paged search resumes (`_cursor`, from a next link); undefined for the first page. */
  cursor: string | undefined;
  /** The parameters understood, in a canonical order: what the self link repeats. */
  canonical: [string, string][];
}

export interface SearchSettings {
  defaultCount: number;
  maxCount: number;
  /** `Type:parameter` pairs that may be included (`_include`) with results of this type. */
  includes: readonly string[];
  /** `Type:parameter` pairs of other types that may be reverse-included (`_revinclude`). */
  revincludes: readonly string[];
  lenient: boolean;
  /**
   * How pages are reached: `offset` (`_offset`, for results that hold still) or `cursor` (`_cursor`,
   * for a log that grows at its head while a client pages through it). Offset when not given.
   */
  paging?: 'offset' | 'cursor';
}

/** Parameters every resource type has (§3.1.1.0). */
export const COMMON_PARAMETERS: SearchParameterDefinitions = {
  _id: { type: 'token', description: 'The logical id of the resource' },
  _lastUpdated: { type: 'date', description: 'When the resource last changed (meta.lastUpdated), with a prefix: ge2026-01-01' },
};

const RESULT_PARAMETERS = new Set(['_count', '_offset', '_cursor', '_include', '_revinclude', '_format', '_summary', '_total']);

export type QueryValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export function parseSearch(query: QueryValues, definitions: SearchParameterDefinitions, settings: SearchSettings): ParsedSearch {
  const issues: ErrorIssue[] = [];
  const all: SearchParameterDefinitions = { ...COMMON_PARAMETERS, ...definitions };
  const parsed: ParsedSearch = {
    filters: [],
    include: [],
    revinclude: [],
    count: settings.defaultCount,
    offset: 0,
    cursor: undefined,
    canonical: [],
  };
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    for (const value of typeof raw === 'string' ? [raw] : raw) {
      const problem = parseOne(parsed, key, value, all, settings);
      if (problem !== undefined && !(settings.lenient && problem.unknown)) issues.push({ path: key, message: problem.message });
    }
  }
  if (issues.length > 0) {
    throw new AppError('bad-request', `The search parameters are not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.`, {
      issues,
    });
  }
  parsed.canonical.sort(([a], [b]) => a.localeCompare(b));
  return parsed;
}

interface Problem {
  message: string;
  unknown?: boolean;
}

function parseOne(
  parsed: ParsedSearch,
  key: string,
  value: string,
  all: SearchParameterDefinitions,
  settings: SearchSettings,
): Problem | undefined {
  if (RESULT_PARAMETERS.has(key)) return parseResultParameter(parsed, key, value, settings);
  const [name = '', modifier] = key.split(':', 2) as [string, string | undefined];
  const definition = Object.hasOwn(all, name) ? all[name] : undefined;
  if (!definition)
    return { message: `is not a search parameter of this resource type; it supports ${Object.keys(all).join(', ')}`, unknown: true };
  if (value === '') return { message: 'has no value' };
  const filter = parseFilter(name, definition, modifier, value);
  if ('message' in filter) return filter;
  parsed.filters.push(filter);
  parsed.canonical.push([key, value]);
  return undefined;
}

function parseResultParameter(parsed: ParsedSearch, key: string, value: string, settings: SearchSettings): Problem | undefined {
  const paging = settings.paging ?? 'offset';
  if ((key === '_offset' && paging === 'cursor') || (key === '_cursor' && paging === 'offset')) {
    return { message: `this type pages with ${paging === 'cursor' ? '_cursor (follow the next link)' : '_offset'}` };
  }
  switch (key) {
    case '_cursor':
      if (!/^[1-9]\d{0,15}$/.test(value)) return { message: 'is not a position this server gave out (follow the next link)' };
      parsed.cursor = value;
      return undefined;
    case '_count':
    case '_offset': {
      if (!/^\d{1,9}$/.test(value)) return { message: 'must be a whole number' };
      const number = Number(value);
      if (key === '_count') {
        if (number > settings.maxCount) return { message: `must be at most ${settings.maxCount}` };
        parsed.count = number;
      } else parsed.offset = number;
      return undefined;
    }
    case '_include':
    case '_revinclude': {
      const allowed = key === '_include' ? settings.includes : settings.revincludes;
      const [source = '', parameter = '', target] = value.split(':', 3);
      if (!allowed.includes(`${source}:${parameter}`)) {
        return { message: `${value} is not supported here; ${allowed.length > 0 ? `supported: ${allowed.join(', ')}` : 'nothing is'}` };
      }
      (key === '_include' ? parsed.include : parsed.revinclude).push({ source, parameter, target });
      parsed.canonical.push([key, value]);
      return undefined;
    }
    case '_total':
      return ['none', 'estimate', 'accurate'].includes(value) ? undefined : { message: 'must be none, estimate or accurate' };
    default:
      // _format is checked by the plugin; _summary is accepted and ignored (the full resource is a valid answer).
      return undefined;
  }
}

function parseFilter(
  name: string,
  definition: SearchParameterDefinition,
  modifier: string | undefined,
  value: string,
): SearchFilter | Problem {
  const parts = splitValues(value);
  switch (definition.type) {
    case 'token': {
      if (modifier !== undefined && modifier !== 'not') return { message: `the modifier :${modifier} is not supported for a token` };
      return { name, type: 'token', modifier, values: parts.map(parseToken) };
    }
    case 'string': {
      if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') {
        return { message: `the modifier :${modifier} is not supported for a string` };
      }
      return { name, type: 'string', modifier, values: parts };
    }
    case 'date': {
      if (modifier !== undefined) return { message: `a date takes no modifier (:${modifier})` };
      const values: DateValue[] = [];
      for (const part of parts) {
        const date = parseDate(part);
        if (typeof date === 'string') return { message: date };
        values.push(date);
      }
      return { name, type: 'date', values };
    }
    case 'reference': {
      if (modifier === 'identifier') {
        return { name, type: 'reference', values: parts.map((part) => ({ kind: 'identifier', ...tokenAsIdentifier(parseToken(part)) })) };
      }
      const targets = definition.targets ?? [];
      if (modifier !== undefined && !targets.includes(modifier)) return { message: `the modifier :${modifier} is not supported here` };
      const values: ReferenceValue[] = [];
      for (const part of parts) {
        const reference = parseReference(part, modifier, targets);
        if (typeof reference === 'string') return { message: reference };
        values.push(reference);
      }
      return { name, type: 'reference', values };
    }
  }
}

/** Comma separates values; `\,` is a literal comma (§3.1.1.1.7). */
function splitValues(value: string): string[] {
  return value
    .split(/(?<!\\),/)
    .map((part) => part.replaceAll('\\,', ',').replaceAll('\\|', '|').replaceAll('\\$', '$').replaceAll('\\\\', '\\'));
}

function parseToken(value: string): TokenValue {
  const bar = value.search(/(?<!\\)\|/);
  if (bar < 0) return { system: undefined, code: value };
  return { system: value.slice(0, bar), code: value.slice(bar + 1) };
}

function tokenAsIdentifier(token: TokenValue): { system: string | undefined; value: string } {
  return { system: token.system === '' ? undefined : token.system, value: token.code };
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function parseReference(value: string, typeModifier: string | undefined, targets: readonly string[]): ReferenceValue | string {
  const local = value.replace(/^https?:\/\/[^?#]*?\/(?=[A-Z][A-Za-z]+\/[^/]+$)/, '');
  const slash = local.indexOf('/');
  const type = slash < 0 ? typeModifier : local.slice(0, slash);
  const id = slash < 0 ? local : local.slice(slash + 1);
  if (type !== undefined && !targets.includes(type)) return `${type} is not a type this parameter refers to (${targets.join(', ')})`;
  if (!ID.test(id)) return `${JSON.stringify(value)} is not a reference (an id, Type/id, or use :identifier for system|value)`;
  return { kind: 'id', type, id };
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** A date with an optional prefix; the range it covers follows its precision (§3.1.1.4.2). */
export function parseDate(text: string): DateValue | string {
  const prefixed = DATE_PREFIXES.find((prefix) => text.startsWith(prefix) && /^\d/.test(text.slice(2)));
  const prefix: DatePrefix = prefixed ?? 'eq';
  const value = prefixed ? text.slice(2) : text;
  const match = DATE.exec(value);
  if (!match)
    return `${JSON.stringify(text)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime, optionally after eq, ne, gt, lt, ge, le, sa or eb)`;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (hour !== undefined && zone === undefined) return `${JSON.stringify(text)} has a time but no time zone (add Z or ±hh:mm)`;
  const start = new Date(
    `${year}-${month ?? '01'}-${day ?? '01'}T${hour ?? '00'}:${minute ?? '00'}:${second ?? '00'}.${(fraction ?? '0').padEnd(3, '0').slice(0, 3)}${zone ?? 'Z'}`,
  );
  if (Number.isNaN(start.getTime()) || (month !== undefined && (Number(month) < 1 || Number(month) > 12)))
    return `${JSON.stringify(text)} is not a real date`;
  const end = new Date(start);
  if (month === undefined) end.setUTCFullYear(end.getUTCFullYear() + 1);
  else if (day === undefined) end.setUTCMonth(end.getUTCMonth() + 1);
  else if (hour === undefined) end.setUTCDate(end.getUTCDate() + 1);
  else if (second === undefined) end.setUTCMinutes(end.getUTCMinutes() + 1);
  else end.setTime(end.getTime() + (fraction === undefined ? 1000 : 1));
  return { prefix, text: value, start, end };
}

/** Whether an instant (or a period) satisfies a date value with its prefix. */
export function dateMatches(condition: DateValue, from: Date, to: Date = from): boolean {
  const { start, end } = condition;
  switch (condition.prefix) {
    case 'eq':
      return from >= start && to < end;
    case 'ne':
      return !(from >= start && to < end);
    case 'gt':
    case 'sa':
      return to >= end;
    case 'lt':
    case 'eb':
      return from < start;
    case 'ge':
      return to >= start;
    case 'le':
      return from < end;
  }
}

export function tokenMatches(value: TokenValue, system: string | undefined, code: string): boolean {
  if (value.code !== code) return false;
  if (value.system === undefined) return true;
  if (value.system === '') return system === undefined;
  return value.system === system;
}
