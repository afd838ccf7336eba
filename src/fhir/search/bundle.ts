import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import type { ParsedSearch } from './search-parameters.js';

export interface SearchResult<T extends Resource = Resource> {
  matches: T[];
  /** Every match, not just this page; undefined when counting them would cost too much (a log). */
  total: number | undefined;
  /** For cursor-paged types: where the next page starts; undefined on the last page. */
  nextCursor?: string | undefined;
  /** Resources added by _include / _revinclude. */
  included: Resource[];
}

/**
 * A searchset Bundle with paging links (§3.1.1.3): self repeats the parameters understood (so a
 * client sees which it sent were ignored), first / previous / next / last page by `_offset`.
 */
export function searchsetBundle(
  baseUrl: string,
  type: string,
  search: ParsedSearch,
  result: SearchResult,
  paging: 'offset' | 'cursor' = 'offset',
): Bundle {
  const entry = [
    ...result.matches.map((resource): BundleEntry => ({ fullUrl: fullUrl(baseUrl, resource), resource, search: { mode: 'match' } })),
    ...result.included.map((resource): BundleEntry => ({ fullUrl: fullUrl(baseUrl, resource), resource, search: { mode: 'include' } })),
  ];
  const links = paging === 'cursor' ? cursorLinks(baseUrl, type, search, result) : offsetLinks(baseUrl, type, search, result);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(result.total === undefined ? {} : { total: result.total }),
    link: links,
    ...(entry.length > 0 ? { entry } : {}),
  };
}

function offsetLinks(baseUrl: string, type: string, search: ParsedSearch, result: SearchResult): BundleLink[] {
  const total = result.total ?? 0;
  const link = (offset: number): string => {
    const query = new URLSearchParams(search.canonical);
    query.set('_count', String(search.count));
    if (offset > 0) query.set('_offset', String(offset));
    return `${baseUrl}/${type}?${query.toString()}`;
  };
  const links: BundleLink[] = [
    { relation: 'self', url: link(search.offset) },
    { relation: 'first', url: link(0) },
  ];
  if (search.offset > 0) links.push({ relation: 'previous', url: link(Math.max(0, search.offset - search.count)) });
  if (search.count > 0 && search.offset + search.count < total) links.push({ relation: 'next', url: link(search.offset + search.count) });
  const lastOffset = search.count > 0 ? Math.max(0, Math.floor((total - 1) / search.count) * search.count) : 0;
  links.push({ relation: 'last', url: link(lastOffset) });
  return links;
}

/**
 * Links of a cursor-paged search (a log, newest first): self, first, and next while there is
 * more. There is no last or previous page: the head of a log moves, so only forward is stable.
 */
function cursorLinks(baseUrl: string, type: string, search: ParsedSearch, result: SearchResult): BundleLink[] {
  const link = (cursor: string | undefined): string => {
    const query = new URLSearchParams(search.canonical);
    query.set('_count', String(search.count));
    if (cursor !== undefined) query.set('_cursor', cursor);
    return `${baseUrl}/${type}?${query.toString()}`;
  };
  const links: BundleLink[] = [
    { relation: 'self', url: link(search.cursor) },
    { relation: 'first', url: link(undefined) },
  ];
  if (result.nextCursor !== undefined) links.push({ relation: 'next', url: link(result.nextCursor) });
  return links;
}

/** A history Bundle (§3.1.0.12): versions newest first, each with the interaction that made it. */
export function historyBundle(
  baseUrl: string,
  selfUrl: string,
  versions: readonly { resource: Resource; method: 'POST' | 'PUT' | 'DELETE' }[],
): Bundle {
  const entry = versions.map(({ resource, method }): BundleEntry => ({
    fullUrl: fullUrl(baseUrl, resource),
    ...(method === 'DELETE' ? {} : { resource }),
    request: { method, url: method === 'POST' ? resource.resourceType : `${resource.resourceType}/${resource.id ?? ''}` },
    response: {
      status: method === 'POST' ? '201 Created' : method === 'DELETE' ? '204 No Content' : '200 OK',
      ...(resource.meta?.lastUpdated === undefined ? {} : { lastModified: resource.meta.lastUpdated }),
      ...(resource.meta?.versionId === undefined ? {} : { etag: `W/"${resource.meta.versionId}"` }),
    },
  }));
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: versions.length,
    link: [{ relation: 'self', url: selfUrl }],
    ...(entry.length > 0 ? { entry } : {}),
  };
}

export function fullUrl(baseUrl: string, resource: Resource): string {
  return `${baseUrl}/${resource.resourceType}/${resource.id ?? ''}`;
}

/** One page of `items` as the parsed search asks for it. */
export function pageOf<T>(items: readonly T[], search: Pick<ParsedSearch, 'count' | 'offset'>): T[] {
  return items.slice(search.offset, search.offset + search.count);
}
