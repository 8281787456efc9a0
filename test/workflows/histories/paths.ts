/**
 * Every path of every workflow type that has a recorded history (record.ts makes them, replay.test.ts requires
 * them). A history file is `<code>-<path>.history.bin`, <code> naming the workflow code that recorded it: a commit,
 * or a name such as `step-attention`. A new workflow type or a new path adds its names here and is recorded.
 */
export const recordedPaths = {
  appointmentRequestWorkflow: [
    'request-approved',
    'request-declined-with-note',
    'request-withdrawn',
    'request-expired',
    'request-abandoned',
    'request-conflict-then-declined',
    'request-email-rejected',
    'request-email-retried-in-rounds',
    'request-pending',
    'request-approved-as-new-client',
    'request-reschedule-approved',
    'request-reschedule-closed-by-cancellation',
    'request-notice-refused',
  ],
  cancellationWorkflow: [
    'cancellation-canceled',
    'cancellation-late-canceled',
    'cancellation-by-clinician',
    'cancellation-phone-call-refused',
    'cancellation-data-rejected',
    'cancellation-email-rejected',
    'cancellation-with-kept-reason',
    'cancellation-closed-reschedule-request',
  ],
  portalEmailWorkflow: [
    'portal-email-sign-in-code-sent',
    'portal-email-verification-sent',
    'portal-email-skipped',
    'portal-email-rejected',
    'portal-email-invitation-sent',
  ],
  diagnosticsWorkflow: ['diagnostics'],
  staffInvitationWorkflow: [
    'staff-invitation-expired',
    'staff-invitation-accepted',
    'staff-invitation-revoked',
    'staff-invitation-rejected',
    'staff-invitation-abandoned',
  ],
  staffSignupNoticeWorkflow: ['staff-signup-notice-sent', 'staff-signup-notice-skipped'],
  passwordResetEmailWorkflow: ['password-reset-sent', 'password-reset-skipped', 'password-reset-rejected'],
  bookingConfirmationWorkflow: ['booking-confirmation-sent', 'booking-confirmation-rejected'],
  rescheduleInviteWorkflow: [
    'reschedule-invite-sent',
    'reschedule-invite-skipped',
    'reschedule-invite-rejected',
    'reschedule-invite-not-recorded',
  ],
  appointmentWorkflow: [
    'appointment-reminders-sent',
    'appointment-reminder-moved',
    'appointment-reminders-canceled',
    'appointment-not-recorded',
  ],
} as const;

/** One path's name, e.g. `request-expired`. */
export type RecordedPath = (typeof recordedPaths)[keyof typeof recordedPaths][number];

/** The path a history file holds: its name less the code prefix and the ending. */
export function pathOfFile(file: string): RecordedPath | null {
  const all: readonly string[] = Object.values(recordedPaths).flat();
  const name = file.replace(/\.history\.bin$/, '');
  return (all.find((p) => name.endsWith(`-${p}`)) as RecordedPath | undefined) ?? null;
}
