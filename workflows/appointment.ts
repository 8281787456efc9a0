import {
  condition,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ReminderPlan } from '../booking/reminders';
import { appointmentChangedSignalName } from '../booking/rules/reminders';
import { hasStarted } from '../booking/rules/started';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../temporal/searchAttributes';

type Activities = ReturnType<typeof createActivities>;

/** What the workflow runs on: the appointment id alone; everything else is read from the database. */
export interface AppointmentWorkflowInput {
  appointmentId: string;
}

/** How the workflow ended: the appointment started, ended otherwise (canceled, marked), or was never recorded. */
export type AppointmentWorkflowOutcome = 'started' | 'ended' | 'not-recorded';

/** Where the reminders stand, for operators (the Temporal UI) and tests. */
export interface AppointmentReminderStatus {
  status: string | null;
  startsAt: string | null;
  nextReminderAt: string | null;
  offsetHours: number | null;
  sent: ReminderPlan['sent'];
}

/** Wakes the workflow to ask the database again; sent after a move or a cancelation. It carries nothing. */
export const appointmentChangedSignal = defineSignal(appointmentChangedSignalName);
export const getAppointmentStatusQuery = defineQuery<AppointmentReminderStatus>('getStatus');

// A send re-checks everything in the database and is safe to retry until the appointment starts (then it answers
// 'stale' and the workflow ends), so retrying without a deadline cannot send late or twice.
const { planReminders, sendAppointmentReminder } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

// Settings can change while the workflow sleeps toward a far moment, and no signal says so: it asks again at least
// this often. A day keeps the history small (about eight events a day) and a new offset at most a day late.
const REPLAN_MS = 24 * 3_600_000;

/**
 * An appointment's reminders (DESIGN.md section 8). The database is the truth: the workflow asks an activity for
 * the next reminder moment, sleeps until then (or until appointmentChanged wakes it, or a day has passed), asks
 * again and sends through an activity that re-checks at send time and records the reminder in the same
 * transaction. A lost signal, a restart or workers down across a moment therefore never send twice, late, or
 * after the start. Ends once the appointment has started or is no longer scheduled.
 */
export async function appointmentWorkflow({
  appointmentId,
}: AppointmentWorkflowInput): Promise<AppointmentWorkflowOutcome> {
  let changed = false;
  let status: AppointmentReminderStatus = {
    status: null,
    startsAt: null,
    nextReminderAt: null,
    offsetHours: null,
    sent: [],
  };
  setHandler(appointmentChangedSignal, () => {
    changed = true;
  });
  setHandler(getAppointmentStatusQuery, () => status);
  let attributes: string | null = null;
  for (;;) {
    // Cleared before asking, so a signal that arrives while the activity runs still wakes the next wait.
    changed = false;
    const plan = await planReminders({ appointmentId });
    if (!plan) return 'not-recorded';
    // Upserted only when they change: each upsert is an event in the history.
    const seen = `${plan.practiceId}/${plan.clinicianId}/${plan.status}`;
    if (seen !== attributes) {
      upsertSearchAttributes([
        { key: practiceIdKey, value: plan.practiceId },
        { key: clinicianIdKey, value: plan.clinicianId },
        { key: bookingStatusKey, value: plan.status },
      ]);
      attributes = seen;
    }
    status = {
      status: plan.status,
      startsAt: plan.startsAt,
      nextReminderAt: plan.next?.at ?? null,
      offsetHours: plan.next?.offsetHours ?? null,
      sent: plan.sent,
    };
    if (plan.status !== 'scheduled') return 'ended';
    if (hasStarted(plan, Date.now())) return 'started';
    const wakeAt = Date.parse(plan.next?.at ?? plan.startsAt);
    const wait = Math.min(wakeAt - Date.now(), REPLAN_MS);
    if (wait > 0 || !plan.next) {
      await condition(() => changed, Math.max(wait, 1));
      continue;
    }
    await sendAppointmentReminder({
      appointmentId,
      startsAt: plan.startsAt,
      offsetHours: plan.next.offsetHours,
    });
  }
}
