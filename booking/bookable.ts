import { Op, type Transaction } from 'sequelize';
import { StaffUser } from '../models/staffUser';
import { Service } from '../models/service';
import { BookingPreferences } from '../models/bookingPreferences';
import type { Practice } from '../models/practice';
import { BookingError } from './errors';

/** Clinicians who take online requests, with their preferences. */
export async function bookableClinicians(practice: Practice, transaction?: Transaction) {
  const clinicians = await StaffUser.findAll({
    where: { practiceId: practice.id, role: { [Op.in]: ['clinician', 'admin_clinician'] } },
    order: [
      ['lastName', 'ASC'],
      ['firstName', 'ASC'],
    ],
    transaction,
  });
  const prefs = await BookingPreferences.findAll({
    where: { clinicianId: clinicians.map((c) => c.id) },
    transaction,
  });
  const byId = new Map(prefs.map((p) => [p.clinicianId, p]));
  return clinicians
    .map((c) => ({ clinician: c, prefs: byId.get(c.id) ?? null }))
    .filter(({ prefs: p }) => p === null || p.onlineBookingEnabled);
}

/**
 * The clinician and service a portal visitor may book: an existing (signed-in) client any bookable service, a
 * new client only the clinician's initial consultation, and only when the practice takes new clients.
 */
export async function bookableFor(
  practice: Practice,
  clinicianId: string,
  serviceId: string,
  signedIn: boolean,
  transaction?: Transaction,
) {
  const found = (await bookableClinicians(practice, transaction)).find(
    ({ clinician }) => clinician.id === clinicianId,
  );
  if (!found) throw new BookingError('CLINICIAN_NOT_FOUND', 'No such clinician takes online requests here.');
  const service = await Service.findOne({
    where: { id: serviceId, practiceId: practice.id, bookableOnline: true },
    transaction,
  });
  if (!service) throw new BookingError('SERVICE_NOT_FOUND', 'No such service can be booked online.');
  if (!signedIn) {
    if (!practice.allowNewClients) {
      throw new BookingError(
        'NEW_CLIENTS_NOT_ACCEPTED',
        'This practice is not accepting requests from new clients online.',
      );
    }
    if (found.prefs?.initialConsultationServiceId !== service.id) {
      throw new BookingError(
        'SERVICE_NOT_OFFERED',
        "New clients may request only the clinician's initial consultation.",
        '/serviceId',
      );
    }
  }
  return { clinician: found.clinician, service };
}
