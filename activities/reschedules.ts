import { ApplicationFailure, Context } from '@temporalio/activity';
import { cancellationCutoff } from '../booking/cancellationPolicy';
import type { RescheduleInviteInput } from '../booking/reschedule';
import { contactPhone } from '../booking/staffProfile';
import { appointmentUid, buildIcs, icsAttachment } from '../emails/ics';
import type { CancellationTerms } from '../emails/request-approved';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';
import { wakeAppointmentWorkflow } from './reminders';

// The move's transaction commits within moments of starting the workflow (it is started inside it).
const NOT_RECORDED_AFTER_MS = 60_000;

/** The updated invite after a staff reschedule: same UID as every invite of the appointment, a higher SEQUENCE. */
export function createRescheduleActivities({ db, mailer, publicUrl }: ActivityDeps) {
  return {
    async sendRescheduledInvite(
      input: RescheduleInviteInput & {
        /** When the workflow first asked (epoch ms): a step run in rounds is scheduled anew each round. */
        since?: number;
      },
    ): Promise<'sent' | 'skipped'> {
      const appointment = await db.Appointment.findOne({
        where: { id: input.appointmentId, practiceId: input.practiceId },
      });
      if (!appointment || appointment.inviteSequence < input.sequence) {
        const info = Context.current().info;
        if (
          info.currentAttemptScheduledTimestampMs - (input.since ?? info.scheduledTimestampMs) >=
          NOT_RECORDED_AFTER_MS
        )
          throw ApplicationFailure.create({
            type: 'RESCHEDULE_NOT_RECORDED',
            message: `reschedule ${input.appointmentId}/${input.sequence} was never committed`,
            nonRetryable: true,
          });
        // Expected while the API's transaction commits: typed, so the workflow does not flag it to operators.
        throw ApplicationFailure.create({
          type: 'RESCHEDULE_NOT_YET_RECORDED',
          message: `reschedule ${input.appointmentId}/${input.sequence} not committed yet`,
        });
      }
      // The move is committed: the appointment's reminders re-plan for its new time (started if none ran yet).
      await wakeAppointmentWorkflow(appointment.id, { start: true });
      // A later move or a cancelation has its own email, with a higher sequence still: this one would be stale.
      if (appointment.inviteSequence > input.sequence || appointment.status !== 'scheduled') return 'skipped';
      const [practice, clinician, service, client, moves] = await Promise.all([
        db.Practice.findByPk(appointment.practiceId),
        db.StaffUser.findByPk(appointment.clinicianId),
        db.Service.findByPk(appointment.serviceId),
        db.Client.findByPk(appointment.clientId),
        db.AuditEntry.findAll({
          where: { entity: 'appointment', entityId: appointment.id, action: 'appointment.reschedule' },
        }),
      ]);
      const move = moves.find(
        (m) => (m.newValue as { inviteSequence?: number } | null)?.inviteSequence === input.sequence,
      );
      const previous = move?.oldValue as { startsAt: string; endsAt: string } | undefined;
      const clinicianName = `${clinician!.firstName} ${clinician!.lastName}`;
      const timeZone = client!.timeZone ?? practice!.timeZone;
      const cancellation: CancellationTerms =
        appointment.cancellationPolicy === 'phone_call'
          ? { policy: 'phone_call' }
          : {
              policy: appointment.cancellationPolicy,
              freeUntil: cancellationCutoff(appointment.startsAt, appointment.cancellationPolicy)!,
              // Moved inside the cutoff, a cancelation now is late: the email says so, as for a late booking.
              bookedAt: input.rescheduledAt,
            };
      const ics = buildIcs({
        uid: appointmentUid(appointment.id),
        sequence: input.sequence,
        startsAt: appointment.startsAt,
        endsAt: appointment.endsAt,
        summary: `${service!.name} with ${clinicianName}`,
        description: `${practice!.name}${practice!.phone ? `, ${practice!.phone}` : ''}`,
        location: practice!.name,
        now: new Date(input.rescheduledAt),
      });
      await deliverEmail(mailer, {
        kind: 'appointment-rescheduled',
        to: client!.email,
        idempotencyKey: `appointment-rescheduled/${appointment.id}/${input.sequence}`,
        attachments: [icsAttachment(ics)],
        props: {
          startsAt: appointment.startsAt,
          endsAt: appointment.endsAt,
          previousStartsAt: previous?.startsAt ?? appointment.startsAt,
          previousEndsAt: previous?.endsAt ?? appointment.endsAt,
          timeZone,
          practiceName: practice!.name,
          practicePhone: contactPhone(clinician!, practice!) ?? undefined,
          clientFirstName: client!.firstName,
          clinicianName,
          serviceName: service!.name,
          cancellation,
          portalUrl: `${publicUrl}/portal/${practice!.slug}`,
        },
      });
      return 'sent';
    },
  };
}
