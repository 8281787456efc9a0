import { ApplicationFailure } from '@temporalio/activity';
import { wakeAppointmentWorkflow } from './reminders';
import { cancelAppointment, type CanceledBy, type CanceledStatus } from '../booking/cancelAppointment';
import type { CancelOutcome } from '../booking/cancelOutcome';
import { BookingError } from '../booking/errors';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';
import { ringBell } from './bell';
import type { Store } from '../models/store';
import { isCanceled } from '../models/appointment';
import { appointmentUid, buildIcs, icsAttachment } from '../emails/ics';

/** Everything the cancelation emails need, loaded fresh by each activity. */
async function canceledContext(db: Store, appointmentId: string) {
  const appointment = await db.Appointment.findByPk(appointmentId);
  if (!appointment)
    throw ApplicationFailure.create({
      type: 'APPOINTMENT_NOT_FOUND',
      message: `appointment ${appointmentId} not found`,
      nonRetryable: true,
    });
  if (!isCanceled(appointment.status))
    throw ApplicationFailure.create({
      type: 'APPOINTMENT_NOT_CANCELED',
      message: `appointment ${appointmentId} is not canceled`,
      nonRetryable: true,
    });
  const [practice, clinician, service, client] = await Promise.all([
    db.Practice.findByPk(appointment.practiceId),
    db.StaffUser.findByPk(appointment.clinicianId),
    db.Service.findByPk(appointment.serviceId),
    db.Client.findByPk(appointment.clientId),
  ]);
  return {
    appointment,
    practice: practice!,
    clinician: clinician!,
    client: client!,
    common: {
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      practiceName: practice!.name,
      clinicianName: `${clinician!.firstName} ${clinician!.lastName}`,
      serviceName: service!.name,
      status: appointment.status as CanceledStatus,
      requestedAt: appointment.cancelRequestedAt!,
      canceledBy: appointment.canceledBy === 'staff' ? ('practice' as const) : ('client' as const),
    },
  };
}

/** Cancelation activities: the cancel itself, and the clinician's and the client's notices. */
export function createCancellationActivities({ db, clock, mailer, publicUrl, log }: ActivityDeps) {
  return {
    /** Cancels (or finds the first cancelation of) an appointment; a business refusal is returned, not retried. */
    async cancelAppointment(input: {
      appointmentId: string;
      requestedAt: string;
      by: CanceledBy;
      status?: CanceledStatus;
      reason?: string | null;
      reasonId?: string | null;
      actorId?: string | null;
    }): Promise<CancelOutcome> {
      try {
        const result = await cancelAppointment(db, {
          ...input,
          requestedAt: new Date(input.requestedAt),
          now: clock.now(),
        });
        log.info(
          { appointmentId: input.appointmentId, status: result.status, changed: result.changed },
          'cancelation',
        );
        // The reminders stop: woken, the appointment's workflow finds it canceled and ends.
        await wakeAppointmentWorkflow(input.appointmentId, { start: false });
        return { ok: true, ...result };
      } catch (err) {
        if (err instanceof BookingError) return { ok: false, code: err.code, message: err.message };
        throw err;
      }
    },

    /** Tells the clinician (email and bell) that an appointment was Canceled or Late Canceled, and when asked. */
    async notifyClinicianOfCancellation({ appointmentId }: { appointmentId: string }): Promise<void> {
      const ctx = await canceledContext(db, appointmentId);
      const key = `appointment-canceled-clinician/${appointmentId}`;
      await ringBell(db, {
        userId: ctx.clinician.id,
        kind: ctx.common.status === 'late_canceled' ? 'appointment_late_canceled' : 'appointment_canceled',
        appointmentId,
        dedupeKey: key,
      });
      await deliverEmail(mailer, {
        kind: 'appointment-canceled-clinician',
        to: ctx.clinician.email,
        idempotencyKey: key,
        props: {
          ...ctx.common,
          timeZone: ctx.clinician.timeZone ?? ctx.practice.timeZone,
          clientName: `${ctx.client.firstName} ${ctx.client.lastName}`,
          dashboardUrl: `${publicUrl}/app/calendar`,
        },
      });
    },

    /**
     * Confirms the cancelation to the client, with an .ics METHOD:CANCEL for the invite's UID and the SEQUENCE the
     * cancel raised, so the event leaves their calendar.
     */
    async sendCancellationToClient({ appointmentId }: { appointmentId: string }): Promise<void> {
      const ctx = await canceledContext(db, appointmentId);
      const { appointment } = ctx;
      const cancel = buildIcs({
        method: 'CANCEL',
        uid: appointmentUid(appointment.id),
        sequence: appointment.inviteSequence,
        startsAt: appointment.startsAt,
        endsAt: appointment.endsAt,
        summary: `${ctx.common.serviceName} with ${ctx.common.clinicianName}`,
        location: ctx.practice.name,
        // The cancelation's moment, not the attempt's: a retried send carries the same payload under its key.
        now: appointment.canceledAt ?? appointment.cancelRequestedAt!,
      });
      await deliverEmail(mailer, {
        kind: 'appointment-canceled',
        to: ctx.client.email,
        idempotencyKey: `appointment-canceled/${appointmentId}`,
        attachments: [icsAttachment(cancel, 'CANCEL')],
        props: {
          ...ctx.common,
          timeZone: ctx.client.timeZone ?? ctx.practice.timeZone,
          clientFirstName: ctx.client.firstName,
          portalUrl: ctx.practice.portalEnabled ? `${publicUrl}/portal/${ctx.practice.slug}` : undefined,
        },
      });
    },
  };
}
