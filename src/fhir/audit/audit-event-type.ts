import type { AuditEvent } from '@medplum/fhirtypes';
import type { FastifyRequest } from 'fastify';
import type { AuditQuery } from '../../audit/audit-query.js';
import type { AuditEntry } from '../../audit/audit-record.js';
import { toFhirAuditEvent } from '../../audit/fhir-audit-event.js';
import { AppError } from '../../errors/app-error.js';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../../nhs/nhs-number.js';
import type { FhirResourceType } from '../http/fhir-resource-type.js';
import type { DateValue, ParsedSearch, ReferenceValue, SearchFilter } from '../search/search-parameters.js';
import { UCP_USER_SYSTEM } from '../uk-core.js';

/** The scope that lets an auditor see every organisation's entries, as for a person's access report. */
export const ALL_ORGANISATIONS_SCOPE = 'audit:all-organisations';

const AGENT_TARGETS = ['Practitioner', 'PractitionerRole', 'Device', 'Organization', 'Patient', 'RelatedPerson'];

/**
 * The audit trail as FHIR AuditEvents, for auditors (`audit:read`, as /api/audit): each row of
 * the log mapped by the one mapping the audit export uses (src/audit/fhir-audit-event.ts); the
 * row's position is the id. An auditor sees what was done by or within their own organisation, or
 * everything with the `audit:all-organisations` scope. Reading the trail is itself a read of the
 * people it names, audited through the caller's repository before the answer leaves. Newest
 * first; pages by position (`_cursor` in the next link), so entries appended while an auditor
 * pages never shift or repeat what follows.
 */
export function auditEventType(settings: { systemId: string }): FhirResourceType<AuditEvent> {
  const asResource = (entry: AuditEntry): AuditEvent => ({
    ...toFhirAuditEvent(entry, { systemId: settings.systemId }),
    // An audit entry is written once and never changes: its one version is when it was recorded.
    meta: { versionId: '1', lastUpdated: entry.recordedAt },
  });
  return {
    type: 'AuditEvent',
    profile: undefined,
    documentation:
      "The audit trail, for auditors: their organisation's entries (every organisation's with the audit:all-organisations scope), newest first. Reading it is audited.",
    // A token needs fhir:read (or user/AuditEvent.rs), checked with every FHIR interaction.
    policy: { kind: 'permission', permission: 'audit:read' },
    searchParameters: {
      patient: {
        type: 'reference',
        targets: ['Patient'],
        description: `The person the entry is about: Patient/<NHS number>, or :identifier=${NHS_NUMBER_SYSTEM}|<NHS number>`,
      },
      agent: {
        type: 'reference',
        targets: AGENT_TARGETS,
        description: `Who acted: their user or client id (agent=<id>, or :identifier=${UCP_USER_SYSTEM}|<id>)`,
      },
      date: { type: 'date', description: 'When the entry was recorded, with a prefix: ge2026-01-01, lt2026-02-01T09:00:00Z' },
    },
    includes: [],
    revincludes: [],
    paging: 'cursor',
    async read(id, request) {
      if (!/^[1-9]\d{0,15}$/.test(id)) return undefined;
      const page = await request.repository.auditReport({ ...auditorScope(request), seq: Number(id), limit: 1 });
      const entry = page.entries[0];
      return entry && asResource(entry);
    },
    async search(search, request) {
      const page = await request.repository.auditReport({
        ...auditorScope(request),
        ...queryOf(search),
        limit: Math.max(search.count, 1),
        ...(search.cursor === undefined ? {} : { cursor: search.cursor }),
      });
      // _count=0 asks for no entries; the query still needs a limit of one.
      const matches = search.count === 0 ? [] : page.entries.map(asResource);
      return { matches, total: undefined, included: [], nextCursor: search.count === 0 ? undefined : page.nextCursor };
    },
  };
}

/** The organisation an auditor's reads are limited to; none with the wider scope. */
function auditorScope(request: FastifyRequest): Pick<AuditQuery, 'odsCode'> {
  const { caller } = request.repository;
  if (caller.scopes?.includes(ALL_ORGANISATIONS_SCOPE) === true) return {};
  if (!caller.organisation) throw new AppError('forbidden', 'An auditor acts for an organisation; this caller acts for none.');
  return { odsCode: caller.organisation.odsCode };
}

/** The search's filters as the audit query's (every one must match). */
function queryOf(search: ParsedSearch): Omit<AuditQuery, 'limit'> {
  const query: Omit<AuditQuery, 'limit'> = {};
  for (const filter of search.filters) {
    switch (filter.name) {
      case 'patient':
        query.nhsNumber = patientOf(onlyValue(filter));
        break;
      case 'agent':
        query.actorId = agentOf(onlyValue(filter));
        break;
      case '_id':
        query.seq = seqOf(filter);
        break;
      case 'date':
      case '_lastUpdated':
        if (filter.type !== 'date' || filter.values.length !== 1 || !filter.values[0]) {
          throw new AppError(
            'bad-request',
            `The search parameters are not valid: ${filter.name}: give one date per parameter (repeat it for a range).`,
          );
        }
        narrow(query, filter.name, filter.values[0]);
        break;
    }
  }
  return query;
}

function onlyValue(filter: SearchFilter): ReferenceValue {
  if (filter.type !== 'reference' || filter.values.length !== 1 || !filter.values[0]) {
    throw new AppError('bad-request', `The search parameters are not valid: ${filter.name}: give one value (search once per value).`);
  }
  return filter.values[0];
}

function patientOf(value: ReferenceValue): string {
  const number = value.kind === 'id' ? value.id : value.system === undefined || value.system === NHS_NUMBER_SYSTEM ? value.value : '';
  if (!isValidNhsNumber(number)) {
    throw new AppError(
      'bad-request',
      `The search parameters are not valid: patient: name one person by a valid NHS number (${NHS_NUMBER_SYSTEM}).`,
    );
  }
  return number;
}

function agentOf(value: ReferenceValue): string {
  if (value.kind === 'id') return value.id;
  if (value.system !== undefined && value.system !== UCP_USER_SYSTEM) {
    throw new AppError(
      'bad-request',
      `The search parameters are not valid: agent: agents are named by user or client id (${UCP_USER_SYSTEM}).`,
    );
  }
  return value.value;
}

function seqOf(filter: SearchFilter): number {
  const code = filter.type === 'token' && filter.values.length === 1 && filter.modifier === undefined ? filter.values[0]?.code : undefined;
  if (code === undefined || !/^[1-9]\d{0,15}$/.test(code)) {
    throw new AppError('bad-request', 'The search parameters are not valid: _id: give one AuditEvent id (a whole number).');
  }
  return Number(code);
}

/** Each date condition narrows the recorded-at range [from, to); the conditions are ANDed. */
function narrow(query: Omit<AuditQuery, 'limit'>, name: string, value: DateValue): void {
  const bounds: Readonly<Record<DateValue['prefix'], { from?: Date; to?: Date } | undefined>> = {
    eq: { from: value.start, to: value.end },
    ge: { from: value.start },
    gt: { from: value.end },
    sa: { from: value.end },
    le: { to: value.end },
    lt: { to: value.start },
    eb: { to: value.start },
    ne: undefined,
  };
  const bound = bounds[value.prefix];
  if (!bound) throw new AppError('bad-request', `The search parameters are not valid: ${name}: the prefix ne is not supported here.`);
  if (bound.from && (!query.from || bound.from > query.from)) query.from = bound.from;
  if (bound.to && (!query.to || bound.to < query.to)) query.to = bound.to;
}
