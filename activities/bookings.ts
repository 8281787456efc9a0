import { ApplicationFailure, Context } from '@temporalio/activity';
import { cancellationCutoff } from '../booking/cancellationPolicy';
import { contactPhone } from '../booking/staffProfile';
import { appointmentUid, buildIcs, icsAttachment } from '../emails/ics';
import type { CancellationTerms } from '../emails/request-approved';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';

// The booking's transaction commits right after the workflow starts; a minute without the row means it rolled back.
const NOT_RECORDED_AFTER_MS = 60_000;

/** Activities of appointments staff book directly. */
export function createBookingActivities({ db, mailer, publicUrl }: ActivityDeps) {
  return {
    /**
     * Emails the client the confirmation of an appointment staff booked, with its .ics invite (SEQUENCE 0, the
     * UID every later update and cancelation of it shares). Retried while the booking may still be committing;
     * 'skipped' once it evidently rolled back, or when the appointment is no longer scheduled.
     */
    async sendBookingConfirmation({ appointmentId }: { appointmentId: string }): Promise<'sent' | 'skipped'> {
      const appointment = await db.Appointment.findByPk(appointmentId);
      if (!appointment) {
        const info = Context.current().info;
        if (info.currentAttemptScheduledTimestampMs - info.scheduledTimestampMs >= NOT_RECORDED_AFTER_MS)
          return 'skipped';
        throw ApplicationFailure.create({
          type: 'APPOINTMENT_NOT_YET_RECORDED',
          message: `appointment ${appointmentId} is not recorded (yet)`,
        });
      }
      if (appointment.status !== 'scheduled') return 'skipped';
      const [practice, clinician, service, client] = await Promise.all([
        db.Practice.findByPk(appointment.practiceId),
        db.StaffUser.findByPk(appointment.clinicianId),
        db.Service.findByPk(appointment.serviceId),
        db.Client.findByPk(appointment.clientId),
      ]);
      if (!practice || !clinician || !service || !client)
        throw ApplicationFailure.create({
          type: 'APPOINTMENT_INCOMPLETE',
          message: `appointment ${appointmentId} lost its practice, clinician, service or client`,
          nonRetryable: true,
        });
      const clinicianName = `${clinician.firstName} ${clinician.lastName}`;
      const policy = appointment.cancellationPolicy;
      const cancellation: CancellationTerms =
        policy === 'phone_call'
          ? { policy: 'phone_call' }
          : {
              policy,
              freeUntil: cancellationCutoff(appointment.startsAt, policy)!,
              bookedAt: appointment.createdAt,
            };
      const ics = buildIcs({
        uid: appointmentUid(appointment.id),
        startsAt: appointment.startsAt,
        endsAt: appointment.endsAt,
        summary: `${service.name} with ${clinicianName}`,
        description: `${practice.name}${practice.phone ? `, ${practice.phone}` : ''}`,
        location: practice.name,
        sequence: appointment.inviteSequence,
        // The booking's moment, not the attempt's: a retried send must carry the same payload under its key.
        now: appointment.createdAt,
      });
      await deliverEmail(mailer, {
        kind: 'request-approved',
        to: client.email,
        idempotencyKey: `appointment-booked/${appointment.id}`,
        attachments: [icsAttachment(ics)],
        props: {
          startsAt: appointment.startsAt,
          endsAt: appointment.endsAt,
          timeZone: client.timeZone ?? practice.timeZone,
          practiceName: practice.name,
          clientFirstName: client.firstName,
          clinicianName,
          serviceName: service.name,
          practicePhone: contactPhone(clinician, practice) ?? undefined,
          cancellation,
          bookedByPractice: true,
          portalUrl: practice.portalEnabled ? `${publicUrl}/portal/${practice.slug}` : undefined,
        },
      });
      return 'sent';
    },
  };
}
