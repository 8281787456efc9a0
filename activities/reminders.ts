import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { cancellationCutoff } from '../booking/cancellationPolicy';
import { claimReminder, planReminders, type ReminderClaim, type ReminderPlan } from '../booking/reminders';
import { reminderOptOutUrl } from '../booking/reminderOptOut';
import {
  appointmentChangedSignalName,
  appointmentWorkflowId,
  appointmentWorkflowType,
} from '../booking/rules/reminders';
import { contactPhone } from '../booking/staffProfile';
import type { Clock } from '../lib/clock';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';

// The booking's transaction commits right after the workflow starts; a minute without the row means it rolled back.
const NOT_RECORDED_AFTER_MS = 60_000;

/**
 * "Now" for a reminder decision: the later of the worker's clock and the moment Temporal scheduled this attempt.
 * In production they agree; under a time-skipping test server only Temporal's time moves, and taking the later one
 * means a stale clock can never make a started appointment look ahead.
 */
function decisionTime(clock: Clock): Date {
  const scheduled = Context.current().info.currentAttemptScheduledTimestampMs;
  return new Date(Math.max(clock.now().getTime(), scheduled));
}

/**
 * Wakes an appointment's workflow to read the database again (after a booking, a move or a cancelation).
 * `start` also starts it when none runs (an appointment from before reminders existed); otherwise a missing
 * workflow is fine: there is nothing to tell. Callable from any activity (it uses the worker's own client).
 */
export async function wakeAppointmentWorkflow(
  appointmentId: string,
  opts: { start: boolean },
): Promise<void> {
  const { client, info } = Context.current();
  const workflowId = appointmentWorkflowId(appointmentId);
  if (opts.start) {
    await client.workflow.signalWithStart(appointmentWorkflowType, {
      workflowId,
      taskQueue: info.taskQueue,
      args: [{ appointmentId }],
      signal: appointmentChangedSignalName,
      signalArgs: [],
    });
    return;
  }
  try {
    await client.workflow.getHandle(workflowId).signal(appointmentChangedSignalName);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/** Activities of an appointment's reminders (workflows/appointment.ts). */
export function createReminderActivities({ db, clock, mailer, publicUrl, codes, log }: ActivityDeps) {
  return {
    /**
     * Where an appointment's reminders stand, from the database alone (status, start, next moment by the
     * practice's current settings, sent so far). Retried while the booking may still be committing; null once it
     * evidently never did.
     */
    async planReminders({ appointmentId }: { appointmentId: string }): Promise<ReminderPlan | null> {
      const plan = await planReminders(db, appointmentId, decisionTime(clock));
      if (plan) return plan;
      const info = Context.current().info;
      if (info.currentAttemptScheduledTimestampMs - info.scheduledTimestampMs >= NOT_RECORDED_AFTER_MS)
        return null;
      throw ApplicationFailure.create({
        type: 'APPOINTMENT_NOT_YET_RECORDED',
        message: `appointment ${appointmentId} is not recorded (yet)`,
      });
    },

    /**
     * Sends the reminder the workflow found due, after re-checking everything in the database at send time
     * (booking/reminders.ts claimReminder): 'stale' when it is no longer due (moved, canceled, started, settings
     * changed, already sent), and the workflow asks again.
     */
    async sendAppointmentReminder(input: {
      appointmentId: string;
      startsAt: string;
      offsetHours: number;
    }): Promise<ReminderClaim> {
      const now = decisionTime(clock);
      const claim = await claimReminder(
        db,
        {
          appointmentId: input.appointmentId,
          startsAt: new Date(input.startsAt),
          offsetHours: input.offsetHours,
          now,
        },
        async ({ appointment, practice, clinician, service, client, offsetHours }) => {
          const portal = `${publicUrl}/portal/${practice.slug}`;
          const stopRemindersUrl = reminderOptOutUrl(codes, {
            publicUrl,
            slug: practice.slug,
            clientId: client.id,
          });
          const policy = appointment.cancellationPolicy;
          try {
            await deliverEmail(mailer, {
              kind: 'appointment-reminder',
              to: client.email,
              // Per appointment, start time and offset: a retry is one email, a moved appointment gets its own.
              idempotencyKey: `appointment-reminder/${appointment.id}/${offsetHours}h/${appointment.startsAt.toISOString()}`,
              headers: {
                'List-Unsubscribe': `<${stopRemindersUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              },
              props: {
                startsAt: appointment.startsAt,
                endsAt: appointment.endsAt,
                timeZone: client.timeZone ?? practice.timeZone,
                practiceName: practice.name,
                clientFirstName: client.firstName,
                clinicianName: `${clinician.firstName} ${clinician.lastName}`,
                serviceName: service.name,
                cancellationPolicy: policy,
                freeUntil: cancellationCutoff(appointment.startsAt, policy) ?? undefined,
                // The moment, not the attempt: a retried send carries the same payload under its key.
                remindedAt: new Date(appointment.startsAt.getTime() - offsetHours * 3_600_000),
                practicePhone: contactPhone(clinician, practice) ?? undefined,
                myAppointmentsUrl: practice.portalEnabled ? `${portal}/me` : undefined,
                stopRemindersUrl,
              },
            });
          } catch (err) {
            if (err instanceof ApplicationFailure && err.type === 'EMAIL_REJECTED') return 'rejected';
            throw err;
          }
          return 'sent';
        },
      );
      log.info({ appointmentId: input.appointmentId, offsetHours: input.offsetHours, ...claim }, 'reminder');
      return claim;
    },
  };
}
