import type { CallerOrganisation, DataSecurityStatus, OrganisationKind } from '../access/caller.js';
import { accessChanged } from '../access/access-generation.js';
import type { Queryable } from '../db/database.js';
import { CHECK_VIOLATION, databaseErrorCode } from '../db/database-error-code.js';
import { AppError } from '../errors/app-error.js';

export type Organisation = CallerOrganisation;

type OrganisationRow = { ods_code: string; name: string; kind: OrganisationKind; ics: string; data_security_status: DataSecurityStatus };

function toOrganisation(row: OrganisationRow): Organisation {
  return { odsCode: row.ods_code, name: row.name, kind: row.kind, ics: row.ics, dataSecurityStatus: row.data_security_status };
}

const COLUMNS = 'ods_code, name, kind, ics, data_security_status';

/** Creates or updates an organisation by ODS code. The database's checks refuse unknown kinds and systems. */
export async function upsertOrganisation(db: Queryable, organisation: Organisation): Promise<Organisation> {
  try {
    const { rows } = await db.query<OrganisationRow>(
      `INSERT INTO organisation (ods_code, name, kind, ics, data_security_status) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (ods_code) DO UPDATE SET name = excluded.name, kind = excluded.kind, ics = excluded.ics,
         data_security_status = excluded.data_security_status, updated_at = now()
       RETURNING ${COLUMNS}`,
      [organisation.odsCode, organisation.name, organisation.kind, organisation.ics, organisation.dataSecurityStatus],
    );
    const row = rows[0];
    if (!row) throw new Error('organisation upsert returned no row');
    accessChanged();
    return toOrganisation(row);
  } catch (error) {
    if (databaseErrorCode(error) === CHECK_VIOLATION) {
      throw new AppError(
        'bad-request',
        `The organisation ${organisation.odsCode} is not valid: ${error instanceof Error ? error.message : ''}`,
        { cause: error },
      );
    }
    throw error;
  }
}

export async function findOrganisation(db: Queryable, odsCode: string): Promise<Organisation | undefined> {
  const { rows } = await db.query<OrganisationRow>(`SELECT ${COLUMNS} FROM organisation WHERE ods_code = $1`, [odsCode]);
  return rows[0] && toOrganisation(rows[0]);
}

export async function listOrganisations(db: Queryable, filter: { ics?: string } = {}): Promise<Organisation[]> {
  const { rows } = await db.query<OrganisationRow>(
    `SELECT ${COLUMNS} FROM organisation WHERE ($1::text IS NULL OR ics = $1) ORDER BY name`,
    [filter.ics ?? null],
  );
  return rows.map(toOrganisation);
}

/** The integrated care systems the register holds (from its organisations, never a fixed list), with how many organisations each. */
export async function listIntegratedCareSystems(db: Queryable): Promise<{ ics: string; organisations: number }[]> {
  const { rows } = await db.query<{ ics: string; organisations: number | string }>(
    'SELECT ics, count(*) AS organisations FROM organisation GROUP BY ics ORDER BY ics',
  );
  return rows.map((row) => ({ ics: row.ics, organisations: Number(row.organisations) }));
}
