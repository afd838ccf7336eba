import type { CapabilityStatementRestResourceInteraction, Resource } from '@medplum/fhirtypes';
import type { FastifyRequest } from 'fastify';
import type { RoutePolicy } from '../../http/route-policy.js';
import type { SearchResult } from '../search/bundle.js';
import type { ParsedSearch, SearchParameterDefinitions } from '../search/search-parameters.js';

/**
 * One resource type the facade serves: its search parameters and includes, the policy its routes
 * declare, and plain functions that answer each interaction. The plugin turns it into routes and
 * the capability statement into a description of it, so what is served and what is described
 * cannot drift. Person-data types supply functions that read through the caller's repository.
 */
export interface FhirResourceType<T extends Resource = Resource> {
  type: T['resourceType'];
  /** The UK Core profile its resources claim. */
  profile: string | undefined;
  documentation: string;
  policy: RoutePolicy;
  searchParameters: SearchParameterDefinitions;
  includes: readonly string[];
  revincludes: readonly string[];
  /** How searches page: by `_offset` (the default), or by `_cursor` for a log that grows at its head. */
  paging?: 'offset' | 'cursor';
  read(id: string, request: FastifyRequest): Promise<T | undefined>;
  search(search: ParsedSearch, request: FastifyRequest): Promise<SearchResult<T>>;
  /** Version history, newest first; absent when the type keeps none. */
  history?(id: string, request: FastifyRequest): Promise<{ resource: T; method: 'POST' | 'PUT' | 'DELETE' }[] | undefined>;
}

export function interactionsOf(definition: FhirResourceType): CapabilityStatementRestResourceInteraction[] {
  const codes: CapabilityStatementRestResourceInteraction['code'][] = ['read', 'search-type'];
  if (definition.history) codes.push('vread', 'history-instance');
  return codes.map((code) => ({ code }));
}
