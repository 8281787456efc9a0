import { ExclusionConstraintError, Op, QueryTypes } from 'sequelize';
import type { Appointment } from '../models/appointment';
import type { Store } from '../models/store';
import { recordStaffChange, type StaffActor } from './audit';
import { clinicianOf } from './clinicians';
import { BookingError } from './errors';
import { lockClinicianSchedule } from './schedule';

/** What the confirmation workflow runs on: ids only, nothing personal (DESIGN.md section 9). */
export interface BookingConfirmationInput {
  appointmentId: string;
  practiceId: string;
  clinicianId: string;
}

export interface StaffBookingInput {
  clinicianId: string;
  clientId: string;
  serviceId: string;
  startsAt: Date;
}

const slotTaken = (what: string) =>
  new BookingError(
    'SLOT_UNAVAILABLE',
    `That time overlaps ${what} in the clinician's calendar. Pick another time.`,
    '/startsAt',
  );

/**
 * Books a client directly, as staff do for a client who phoned: no minimum notice, no start-time grid and no
 * availability windows (those govern online requests only), but never over an appointment, a pending request's
 * hold or time off. The appointment, its hold, the audit entry and the confirmation workflow's start succeed or
 * fail together: the workflow is started inside the transaction, and one whose transaction rolls back finds no
 * appointment and ends without an email. Who may book for whom is the caller's (api/) decision.
 */
export async function bookAppointment(
  db: Store,
  actor: StaffActor,
  input: StaffBookingInput,
  startWorkflow: (w: BookingConfirmationInput) => Promise<void>,
): Promise<Appointment> {
  try {
    return await db.sequelize.transaction(async (transaction) => {
      // The same lock as portal submissions and approvals, so the checks below see every committed hold.
      await lockClinicianSchedule(db, input.clinicianId, transaction);
      const clinician = await clinicianOf(db, actor.practiceId, input.clinicianId, transaction);
      if (!clinician || !clinician.active)
        throw new BookingError('CLINICIAN_NOT_FOUND', 'No such clinician in this practice.', '/clinicianId');
      const service = await db.Service.findOne({
        where: { id: input.serviceId, practiceId: actor.practiceId },
        transaction,
      });
      if (!service)
        throw new BookingError('SERVICE_NOT_FOUND', 'No such service in this practice.', '/serviceId');
      const client = await db.Client.findOne({
        where: { id: input.clientId, practiceId: actor.practiceId },
        transaction,
      });
      if (!client)
        throw new BookingError('CLIENT_NOT_FOUND', 'No such client in this practice.', '/clientId');
      if (client.archivedAt)
        throw new BookingError(
          'CLIENT_ARCHIVED',
          `${client.firstName} ${client.lastName} is archived. Restore the client before booking.`,
          '/clientId',
        );
      const practice = (await db.Practice.findByPk(actor.practiceId, { transaction }))!;
      const startsAt = input.startsAt;
      const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);

      const [held] = await db.sequelize.query<{ kind: string }>(
        `SELECT kind FROM time_holds WHERE clinician_id = :clinicianId AND during && tstzrange(:startsAt, :endsAt)
          ORDER BY kind LIMIT 1`,
        {
          replacements: { clinicianId: clinician.id, startsAt, endsAt },
          type: QueryTypes.SELECT,
          transaction,
        },
      );
      if (held)
        throw slotTaken(held.kind === 'appointment' ? 'another appointment' : "a client's pending request");
      const off = await db.TimeOff.findOne({
        where: { clinicianId: clinician.id, startsAt: { [Op.lt]: endsAt }, endsAt: { [Op.gt]: startsAt } },
        transaction,
      });
      if (off) throw slotTaken('time off');

      const hold = await db.TimeHold.create(
        { clinicianId: clinician.id, during: db.TimeHold.range(startsAt, endsAt), kind: 'appointment' },
        { transaction },
      );
      const appointment = await db.Appointment.create(
        {
          practiceId: actor.practiceId,
          clinicianId: clinician.id,
          serviceId: service.id,
          clientId: client.id,
          requestId: null,
          startsAt,
          endsAt,
          cancellationPolicy: practice.cancellationPolicy,
          holdId: hold.id,
        },
        { transaction },
      );
      await recordStaffChange(db, transaction, actor, {
        action: 'appointment.book',
        entity: 'appointment',
        entityId: appointment.id,
        oldValue: null,
        newValue: {
          clinicianId: clinician.id,
          clientId: client.id,
          serviceId: service.id,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
        },
      });
      await startWorkflow({
        appointmentId: appointment.id,
        practiceId: actor.practiceId,
        clinicianId: clinician.id,
      });
      return appointment;
    });
  } catch (err) {
    // The exclusion constraint on time_holds is the last word when a portal request races past the checks.
    if (err instanceof ExclusionConstraintError) throw slotTaken('a booking made a moment ago');
    throw err;
  }
}
