import { Op, type WhereOptions } from 'sequelize';
import type { Appointment } from '../models/appointment';
import type { Store } from '../models/store';
import { BookingError } from './errors';

/** Rows keyed by id. */
const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const distinct = (ids: string[]) => [...new Set(ids)];

/** One appointment of a practice (and of a client, when given); APPOINTMENT_NOT_FOUND otherwise. */
export async function findAppointment(
  db: Store,
  where: { id: string; practiceId: string; clientId?: string },
): Promise<Appointment> {
  const appointment = await db.Appointment.findOne({ where });
  if (!appointment) throw new BookingError('APPOINTMENT_NOT_FOUND', 'No such appointment.');
  return appointment;
}

/** A client's appointments by start, with the clinicians and services they name. */
export async function clientAppointments(db: Store, opts: { practiceId: string; clientId: string }) {
  const rows = await db.Appointment.findAll({
    where: { practiceId: opts.practiceId, clientId: opts.clientId },
    order: [['startsAt', 'ASC']],
  });
  const [clinicians, services] = await Promise.all([
    db.StaffUser.findAll({ where: { id: distinct(rows.map((r) => r.clinicianId)) } }),
    db.Service.findAll({ where: { id: distinct(rows.map((r) => r.serviceId)) } }),
  ]);
  return { rows, clinicians: byId(clinicians), services: byId(services) };
}

/** The practice's appointments overlapping [from, to) (one clinician's when given), with their clients and services. */
export async function calendarAppointments(
  db: Store,
  opts: { practiceId: string; from: Date; to: Date; clinicianId?: string },
) {
  const where: WhereOptions<Appointment> = {
    practiceId: opts.practiceId,
    startsAt: { [Op.lt]: opts.to },
    endsAt: { [Op.gt]: opts.from },
  };
  if (opts.clinicianId) where.clinicianId = opts.clinicianId;
  const rows = await db.Appointment.findAll({
    where,
    order: [
      ['startsAt', 'ASC'],
      ['id', 'ASC'],
    ],
  });
  const [clients, services] = await Promise.all([
    db.Client.findAll({ where: { id: distinct(rows.map((r) => r.clientId)) } }),
    db.Service.findAll({ where: { id: distinct(rows.map((r) => r.serviceId)) } }),
  ]);
  return { rows, clients: byId(clients), services: byId(services) };
}
