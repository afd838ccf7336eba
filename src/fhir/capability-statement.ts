import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { interactionsOf, type FhirResourceType } from './http/fhir-resource-type.js';
import { COMMON_PARAMETERS } from './search/search-parameters.js';

export interface CapabilityContext {
  baseUrl: string;
  softwareVersion: string;
  /** Published when the SMART authorization server runs: where to authorize and get tokens. */
  smart?: { authorizeUrl: string; tokenUrl: string } | undefined;
  /** Types served beyond the searchable ones (Subscription), with their interactions. */
  extraResources?: readonly CapabilityStatementRestResource[];
  /** The instant this build's statement was made, for `date`. */
  date: string;
}

/** What this server serves, described from the very definitions its routes are made from. */
export function capabilityStatement(types: readonly FhirResourceType[], context: CapabilityContext): CapabilityStatement {
  const resources = types.map((definition): CapabilityStatementRestResource => ({
    type: definition.type,
    ...(definition.profile ? { profile: definition.profile } : {}),
    documentation: definition.documentation,
    interaction: interactionsOf(definition),
    versioning: definition.history ? 'versioned' : 'no-version',
    readHistory: definition.history !== undefined,
    ...(definition.includes.length > 0 ? { searchInclude: [...definition.includes] } : {}),
    ...(definition.revincludes.length > 0 ? { searchRevInclude: [...definition.revincludes] } : {}),
    searchParam: Object.entries({ ...COMMON_PARAMETERS, ...definition.searchParameters }).map(([name, parameter]) => ({
      name,
      type: parameter.type,
      documentation: parameter.description,
    })),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: context.date,
    publisher: 'Urgent Care Plan',
    kind: 'instance',
    software: { name: 'Urgent Care Plan', version: context.softwareVersion },
    implementation: { description: 'Urgent Care Plan FHIR R4 facade (UK Core)', url: context.baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Errors are OperationOutcomes; searches page with _count and the Bundle links (_offset, or _cursor for the audit trail, which grows at its head); unknown parameters are refused unless Prefer: handling=lenient.',
        security: {
          cors: false,
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
              text: 'OAuth 2.0 bearer tokens: SMART App Launch 2 (see .well-known/smart-configuration) or the platform client credentials',
            },
          ],
          ...(context.smart
            ? {
                extension: [
                  {
                    url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                    extension: [
                      { url: 'authorize', valueUri: context.smart.authorizeUrl },
                      { url: 'token', valueUri: context.smart.tokenUrl },
                    ],
                  },
                ],
              }
            : {}),
        },
        resource: [...resources, ...(context.extraResources ?? [])].sort((a, b) => a.type.localeCompare(b.type)),
      },
    ],
  };
}
