import { Op, QueryTypes, type Transaction } from 'sequelize';

import type { Practice } from '../models/practice';
import { BookingError } from './errors';
import { newClientRefusal, practiceClosedToNewClients } from './rules/newClients';
import type { Store } from '../models/store';

/** Clinicians who take online requests, with their preferences. */
export async function bookableClinicians(db: Store, practice: Practice, transaction?: Transaction) {
  const clinicians = await db.StaffUser.findAll({
    // A deactivated clinician takes no new requests (their history stays).
    where: { practiceId: practice.id, role: { [Op.in]: ['clinician', 'admin_clinician'] }, active: true },
    order: [
      ['lastName', 'ASC'],
      ['firstName', 'ASC'],
    ],
    transaction,
  });
  const prefs = await db.BookingPreferences.findAll({
    where: { clinicianId: clinicians.map((c) => c.id) },
    transaction,
  });
  const byId = new Map(prefs.map((p) => [p.clinicianId, p]));
  return clinicians
    .map((c) => ({ clinician: c, prefs: byId.get(c.id) ?? null }))
    .filter(({ prefs: p }) => p === null || p.onlineBookingEnabled);
}

/** What bookableFor judges: the clinician and service as the practice has them (nulls where it has none). */
export interface BookableRow {
  clinician_id: string | null;
  online_booking_enabled: boolean | null;
  initial_consultation_service_id: string | null;
  service_id: string | null;
  service_name: string | null;
  duration_minutes: number | null;
}

/** The row bookableFor judges, in one round trip. */
export async function bookableRow(
  db: Store,
  practiceId: string,
  clinicianId: string,
  serviceId: string,
  transaction?: Transaction,
): Promise<BookableRow> {
  const [row] = await db.sequelize.query<BookableRow>(
    `SELECT u.id AS clinician_id, p.online_booking_enabled, p.initial_consultation_service_id,
            s.id AS service_id, s.name AS service_name, s.duration_minutes
       FROM (SELECT 1) one
       LEFT JOIN staff_users u
              ON u.id = :clinicianId AND u.practice_id = :practiceId AND u.role IN ('clinician', 'admin_clinician')
                 AND u.active
       LEFT JOIN booking_preferences p ON p.clinician_id = u.id
       LEFT JOIN services s ON s.id = :serviceId AND s.practice_id = :practiceId AND s.bookable_online`,
    { replacements: { clinicianId, serviceId, practiceId }, type: QueryTypes.SELECT, transaction },
  );
  return row;
}

/** The clinician and service of row a visitor may book, or the refusal (see bookableFor). */
export function judgeBookable(
  practice: Practice,
  row: BookableRow,
  signedIn: boolean,
): { clinician: { id: string }; service: { id: string; name: string; durationMinutes: number } } {
  if (!row.clinician_id || row.online_booking_enabled === false) {
    throw new BookingError('CLINICIAN_NOT_FOUND', 'No such clinician takes online requests here.');
  }
  if (!row.service_id) throw new BookingError('SERVICE_NOT_FOUND', 'No such service can be booked online.');
  if (!signedIn) {
    const refusal = newClientRefusal(practice, row.initial_consultation_service_id, row.service_id);
    if (refusal) throw new BookingError(refusal.code, refusal.message, refusal.field);
  }
  return {
    clinician: { id: row.clinician_id },
    service: { id: row.service_id, name: row.service_name!, durationMinutes: row.duration_minutes! },
  };
}

/**
 * The clinician and service a portal visitor may book: an existing (signed-in) client any bookable service, a
 * new client only the clinician's initial consultation, and only when the practice takes new clients. One round
 * trip: it runs on every availability query and every submission.
 */
export async function bookableFor(
  db: Store,
  practice: Practice,
  clinicianId: string,
  serviceId: string,
  signedIn: boolean,
  transaction?: Transaction,
): Promise<{ clinician: { id: string }; service: { id: string; name: string; durationMinutes: number } }> {
  return judgeBookable(
    practice,
    await bookableRow(db, practice.id, clinicianId, serviceId, transaction),
    signedIn,
  );
}

/** Refuses a new client where the practice has turned new-client requests off. */
export function assertAcceptsNewClients(practice: Practice): void {
  const refusal = practiceClosedToNewClients(practice);
  if (refusal) throw new BookingError(refusal.code, refusal.message);
}
