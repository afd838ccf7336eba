import type { Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import type { Role } from '../../access/roles.js';
import type { Organisation } from '../../organisations/organisation-store.js';
import { ODS_ORGANISATION_SYSTEM, UCP_USER_SYSTEM, UK_CORE_PROFILES } from '../uk-core.js';

/** A user of the platform as the staff directory shows them; never a person reading their own plan. */
export interface StaffMember {
  id: string;
  displayName: string;
  professionalRegistrationId: string | undefined;
  active: boolean;
  lastUpdated: string;
}

export interface StaffMembership {
  user: StaffMember;
  organisation: Organisation;
  roles: readonly Role[];
  lastUpdated: string;
}

/** Identifies staff registrations whose register the platform does not know (it stores the number as given). */
export const PROFESSIONAL_REGISTRATION_SYSTEM = 'https://urgentcareplan.nhs.uk/Id/professional-registration';

export function toPractitioner(user: StaffMember): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: user.id,
    meta: { profile: [UK_CORE_PROFILES.Practitioner], lastUpdated: user.lastUpdated },
    identifier: [
      { system: UCP_USER_SYSTEM, value: user.id },
      ...(user.professionalRegistrationId === undefined
        ? []
        : [{ system: PROFESSIONAL_REGISTRATION_SYSTEM, value: user.professionalRegistrationId }]),
    ],
    active: user.active,
    // The platform holds one display name as the person gave it; splitting it into parts would guess.
    name: [{ text: user.displayName }],
  };
}

/** The role code system of the platform's own roles (src/access/roles.ts). */
export const UCP_ROLE_SYSTEM = 'https://urgentcareplan.nhs.uk/CodeSystem/role';

/** A PractitionerRole's id: the user and the organisation, which together identify a membership. */
export function practitionerRoleId(userId: string, odsCode: string): string {
  return `${userId}.${odsCode}`;
}

export function toPractitionerRole(membership: StaffMembership): PractitionerRole {
  const { user, organisation } = membership;
  return {
    resourceType: 'PractitionerRole',
    id: practitionerRoleId(user.id, organisation.odsCode),
    meta: { profile: [UK_CORE_PROFILES.PractitionerRole], lastUpdated: membership.lastUpdated },
    active: user.active,
    practitioner: { reference: `Practitioner/${user.id}`, display: user.displayName },
    organization: {
      reference: `Organization/${organisation.odsCode}`,
      identifier: { system: ODS_ORGANISATION_SYSTEM, value: organisation.odsCode },
      display: organisation.name,
    },
    code: membership.roles.map((role) => ({ coding: [{ system: UCP_ROLE_SYSTEM, code: role }], text: role })),
  };
}
