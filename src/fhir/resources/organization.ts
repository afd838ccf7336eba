import type { Organization } from '@medplum/fhirtypes';
import type { OrganisationKind } from '../../access/caller.js';
import type { Organisation } from '../../organisations/organisation-store.js';
import { ODS_ORGANISATION_SYSTEM, UK_CORE_PROFILES } from '../uk-core.js';

const ORGANIZATION_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type';

const KIND_NAMES: Readonly<Record<OrganisationKind, string>> = {
  'gp-practice': 'GP practice',
  'ambulance-service': 'Ambulance service',
  'nhs-111': 'NHS 111',
  'out-of-hours-gp': 'Out-of-hours GP service',
  'acute-trust': 'Acute trust',
  'community-trust': 'Community trust',
  hospice: 'Hospice',
  'care-home': 'Care home',
  'local-authority': 'Local authority',
};

/** An organisation taking part in the service as a UK Core Organization, its id the ODS code. */
export function toOrganization(organisation: Organisation, lastUpdated: string): Organization {
  const government = organisation.kind === 'local-authority';
  return {
    resourceType: 'Organization',
    id: organisation.odsCode,
    meta: { profile: [UK_CORE_PROFILES.Organization], lastUpdated },
    identifier: [{ system: ODS_ORGANISATION_SYSTEM, value: organisation.odsCode }],
    active: true,
    type: [
      {
        coding: [
          government
            ? { system: ORGANIZATION_TYPE, code: 'govt', display: 'Government' }
            : { system: ORGANIZATION_TYPE, code: 'prov', display: 'Healthcare Provider' },
        ],
        text: KIND_NAMES[organisation.kind],
      },
    ],
    name: organisation.name,
  };
}
