import type { Organization, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { FhirResourceType } from '../http/fhir-resource-type.js';
import { toOrganization } from '../resources/organization.js';
import { PROFESSIONAL_REGISTRATION_SYSTEM, toPractitioner, toPractitionerRole } from '../resources/practitioner.js';
import type { ParsedSearch, ReferenceValue, SearchFilter, TokenValue } from '../search/search-parameters.js';
import { ODS_ORGANISATION_SYSTEM, UCP_USER_SYSTEM, UK_CORE_PROFILES } from '../uk-core.js';
import { searchMemberships, searchOrganisations, searchStaff, type DirectoryQuery } from './directory-store.js';

/**
 * Organization, Practitioner and PractitionerRole: the directory of who takes part, which is not
 * any person's data, served to every authenticated caller whose token allows reading it.
 */
const DIRECTORY_POLICY = { kind: 'authenticated' } as const;

export function directoryResourceTypes(db: Database): FhirResourceType[] {
  return [organizationType(db), practitionerType(db), practitionerRoleType(db)] as FhirResourceType[];
}

function organizationType(db: Database): FhirResourceType<Organization> {
  return {
    type: 'Organization',
    profile: UK_CORE_PROFILES.Organization,
    documentation: 'The organisations taking part in the service; the id is the ODS code.',
    policy: DIRECTORY_POLICY,
    searchParameters: {
      identifier: { type: 'token', description: `The ODS code: ${ODS_ORGANISATION_SYSTEM}|X26` },
      name: { type: 'string', description: 'Part of the name, ignoring case' },
    },
    includes: [],
    revincludes: [],
    async read(id) {
      const { rows } = await searchOrganisations(db, { ids: [id], limit: 1, offset: 0 });
      return rows[0] && toOrganization(rows[0].organisation, rows[0].lastUpdated);
    },
    async search(search) {
      const ids = intersect(tokenCodes(search, '_id', undefined), tokenCodes(search, 'identifier', ODS_ORGANISATION_SYSTEM));
      const { rows, total } = await searchOrganisations(db, directoryQuery(search, ids));
      return { matches: rows.map((row) => toOrganization(row.organisation, row.lastUpdated)), total, included: [] };
    },
  };
}

function practitionerType(db: Database): FhirResourceType<Practitioner> {
  return {
    type: 'Practitioner',
    profile: UK_CORE_PROFILES.Practitioner,
    documentation: 'Staff who use the platform; the id is the platform user id.',
    policy: DIRECTORY_POLICY,
    searchParameters: {
      identifier: { type: 'token', description: `${UCP_USER_SYSTEM}|<user id> or ${PROFESSIONAL_REGISTRATION_SYSTEM}|<number>` },
      name: { type: 'string', description: 'Part of the name, ignoring case' },
    },
    includes: [],
    revincludes: ['PractitionerRole:practitioner'],
    async read(id) {
      const { rows } = await searchStaff(db, { ids: [id], limit: 1, offset: 0 });
      return rows[0] && toPractitioner(rows[0]);
    },
    async search(search) {
      const ids = intersect(tokenCodes(search, '_id', undefined), tokenCodes(search, 'identifier', UCP_USER_SYSTEM));
      const registrations = tokenCodes(search, 'identifier', PROFESSIONAL_REGISTRATION_SYSTEM);
      const { rows, total } = await searchStaff(db, { ...directoryQuery(search, ids), ...(registrations ? { registrations } : {}) });
      const matches = rows.map(toPractitioner);
      const wantsRoles = search.revinclude.length > 0 && matches.length > 0;
      const roles = wantsRoles ? await searchMemberships(db, { userIds: rows.map((row) => row.id), limit: 1000, offset: 0 }) : undefined;
      return { matches, total, included: roles?.rows.map(toPractitionerRole) ?? [] };
    },
  };
}

function practitionerRoleType(db: Database): FhirResourceType<PractitionerRole> {
  return {
    type: 'PractitionerRole',
    profile: UK_CORE_PROFILES.PractitionerRole,
    documentation: "A user's roles in one organisation; the id is the user id and the ODS code joined by a dot.",
    policy: DIRECTORY_POLICY,
    searchParameters: {
      practitioner: { type: 'reference', targets: ['Practitioner'], description: 'Practitioner/<user id>' },
      organization: {
        type: 'reference',
        targets: ['Organization'],
        description: `Organization/<ODS code>, or :identifier=${ODS_ORGANISATION_SYSTEM}|<ODS code>`,
      },
    },
    includes: ['PractitionerRole:practitioner', 'PractitionerRole:organization'],
    revincludes: [],
    async read(id) {
      const [userId = '', odsCode = ''] = id.split(/\.(?=[^.]+$)/);
      const { rows } = await searchMemberships(db, { pairs: [[userId, odsCode]], limit: 1, offset: 0 });
      return rows[0] && toPractitionerRole(rows[0]);
    },
    async search(search) {
      const pairs = tokenCodes(search, '_id', undefined)?.map((id) => id.split(/\.(?=[^.]+$)/) as [string, string]);
      const userIds = referenceIds(search, 'practitioner', undefined);
      const odsCodes = referenceIds(search, 'organization', ODS_ORGANISATION_SYSTEM);
      const { rows, total } = await searchMemberships(db, {
        ...(pairs ? { pairs } : {}),
        ...(userIds ? { userIds } : {}),
        ...(odsCodes ? { odsCodes } : {}),
        limit: search.count,
        offset: search.offset,
      });
      const matches = rows.map(toPractitionerRole);
      const included = [];
      if (search.include.some((include) => include.parameter === 'practitioner')) {
        included.push(...new Map(rows.map((row) => [row.user.id, toPractitioner(row.user)])).values());
      }
      if (search.include.some((include) => include.parameter === 'organization')) {
        included.push(
          ...new Map(rows.map((row) => [row.organisation.odsCode, toOrganization(row.organisation, row.lastUpdated)])).values(),
        );
      }
      return { matches, total, included };
    },
  };
}

function filtersNamed(search: ParsedSearch, name: string): SearchFilter[] {
  return search.filters.filter((filter) => filter.name === name);
}

/**
 * The codes a token parameter allows, within one system (undefined: the parameter was not
 * given). Repeated parameters AND, so the sets intersect; a value of another system matches
 * nothing; `:not` is refused, since no directory search needs it.
 */
function tokenCodes(search: ParsedSearch, name: string, system: string | undefined): string[] | undefined {
  let allowed: string[] | undefined;
  for (const filter of filtersNamed(search, name)) {
    if (filter.type !== 'token') continue;
    const codes = filter.values
      .filter((value: TokenValue) => value.system === undefined || value.system === system)
      .map((value) => value.code);
    allowed = intersect(allowed, codes);
  }
  return allowed;
}

function referenceIds(search: ParsedSearch, name: string, identifierSystem: string | undefined): string[] | undefined {
  let allowed: string[] | undefined;
  for (const filter of filtersNamed(search, name)) {
    if (filter.type !== 'reference') continue;
    const ids = filter.values.flatMap((value: ReferenceValue) => {
      if (value.kind === 'id') return [value.id];
      return identifierSystem !== undefined && (value.system === undefined || value.system === identifierSystem) ? [value.value] : [];
    });
    allowed = intersect(allowed, ids);
  }
  return allowed;
}

function intersect(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.filter((value) => b.includes(value));
}

function directoryQuery(search: ParsedSearch, ids: string[] | undefined): DirectoryQuery {
  const names = filtersNamed(search, 'name').flatMap((filter) => (filter.type === 'string' ? filter.values : []));
  const updated = filtersNamed(search, '_lastUpdated').flatMap((filter) => (filter.type === 'date' ? filter.values : []));
  let updatedFrom: Date | undefined;
  let updatedBefore: Date | undefined;
  for (const value of updated) {
    if (value.prefix === 'ne') throw new AppError('bad-request', '_lastUpdated: the prefix ne is not supported by this resource type.');
    if (value.prefix === 'ge' || value.prefix === 'sa' || value.prefix === 'gt' || value.prefix === 'eq') {
      const from = value.prefix === 'ge' || value.prefix === 'eq' ? value.start : value.end;
      updatedFrom = updatedFrom && updatedFrom > from ? updatedFrom : from;
    }
    if (value.prefix === 'lt' || value.prefix === 'eb' || value.prefix === 'le' || value.prefix === 'eq') {
      const before = value.prefix === 'le' || value.prefix === 'eq' ? value.end : value.start;
      updatedBefore = updatedBefore && updatedBefore < before ? updatedBefore : before;
    }
  }
  return {
    ...(ids ? { ids } : {}),
    ...(names.length > 0 ? { names } : {}),
    ...(updatedFrom ? { updatedFrom } : {}),
    ...(updatedBefore ? { updatedBefore } : {}),
    limit: search.count,
    offset: search.offset,
  };
}
