import type { Database } from '../db/database.js';
import type { EventHandling } from '../delivery/outbox-consumer.js';
import type { OutboxEvent } from '../events/outbox.js';
import { NRL_TYPES, type NrlClient, type NrlPointer, type NrlType } from './nrl-client.js';
import { pointerChangeFor } from './nrl-pointer-plan.js';

export interface NrlPublisherSettings {
  custodianOdsCode: string;
  /** The FHIR base a consumer retrieves the plan from. */
  fhirBaseUrl: string;
}

type PointerRow = { type_code: string; type_display: string | null; pointer_id: string; status: string; event_seq: string };

/**
 * Keeps the locator in step with the plans, one outbox event at a time: the pointers a plan needs
 * are created or updated (a new version, the same pointer), the ones it no longer needs are
 * superseded or marked entered in error. The table of pointers records the event that last
 * changed each, so handling an event again (after a crash) changes nothing twice.
 */
export function nrlPointerPublisher(db: Database, client: NrlClient, settings: NrlPublisherSettings) {
  return async (_consumer: string, event: OutboxEvent): Promise<EventHandling> => {
    const change = pointerChangeFor(event);
    if (!change) return 'skipped';
    const { rows } = await db.query<PointerRow>(
      'SELECT type_code, type_display, pointer_id, status, event_seq FROM nrl_pointer WHERE nhs_number = $1 AND ehr_id = $2',
      [change.nhsNumber, change.ehrId],
    );
    const byType = new Map(rows.map((row) => [row.type_code, row]));
    const pointer = (type: NrlType, status: NrlPointer['status']): NrlPointer => ({
      masterIdentifier: `${change.ehrId}/${type.code}`,
      nhsNumber: change.nhsNumber,
      type,
      status,
      custodianOdsCode: settings.custodianOdsCode,
      url: `${settings.fhirBaseUrl}/CarePlan/${change.ehrId}`,
      contentType: 'application/fhir+json',
      date: event.occurredAt,
      version: change.planVersion,
    });
    for (const type of change.current) {
      const existing = byType.get(type.code);
      if (existing && Number(existing.event_seq) >= event.seq) continue;
      if (existing) await client.update(existing.pointer_id, pointer(type, 'current'));
      const id = existing?.pointer_id ?? (await client.create(pointer(type, 'current')));
      await record(db, change, type, id, 'current', event.seq);
    }
    const kept = new Set<string>(change.current.map((type) => type.code));
    for (const row of rows) {
      if (kept.has(row.type_code) || row.status === change.others || Number(row.event_seq) >= event.seq) continue;
      // A pathway's own type keeps the display it was created with; rows from before it was kept are one of the fixed types.
      const type =
        row.type_display !== null
          ? { code: row.type_code, display: row.type_display }
          : Object.values(NRL_TYPES).find((candidate) => candidate.code === row.type_code);
      if (!type) continue;
      await client.update(row.pointer_id, pointer(type, change.others));
      await record(db, change, type, row.pointer_id, change.others, event.seq);
    }
    return 'handled';
  };
}

async function record(
  db: Database,
  change: { nhsNumber: string; ehrId: string; planVersion: number },
  type: NrlType,
  pointerId: string,
  status: NrlPointer['status'],
  seq: number,
): Promise<void> {
  await db.query(
    `INSERT INTO nrl_pointer (nhs_number, type_code, type_display, ehr_id, pointer_id, status, plan_version, event_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (nhs_number, type_code, pointer_id) DO UPDATE SET status = EXCLUDED.status, plan_version = EXCLUDED.plan_version,
       event_seq = EXCLUDED.event_seq, type_display = EXCLUDED.type_display, updated_at = now()`,
    [change.nhsNumber, type.code, type.display, change.ehrId, pointerId, status, change.planVersion, seq],
  );
}
