import type { ActivityDeps } from './deps';
import { createDiagnosticsActivities } from './diagnostics';
import { createRequestActivities } from './requests';
import { createCancellationActivities } from './cancellations';
import { reportingFailures } from './failures';
import { createPortalEmailActivities } from './portalEmails';
import { createStaffInvitationActivities } from './staffInvitations';
import { createPasswordResetEmailActivities } from './passwordResetEmail';
import { createBookingActivities } from './bookings';
import { createRescheduleActivities } from './reschedules';
import { createReminderActivities } from './reminders';

export type { ActivityDeps } from './deps';

/** Every activity the booking worker runs, bound to its dependencies; every failed attempt is reported. */
export function createActivities(deps: ActivityDeps) {
  return reportingFailures(
    {
      ...createDiagnosticsActivities(deps),
      ...createRequestActivities(deps),
      ...createCancellationActivities(deps),
      ...createPortalEmailActivities(deps),
      ...createStaffInvitationActivities(deps),
      ...createPasswordResetEmailActivities(deps),
      ...createBookingActivities(deps),
      ...createRescheduleActivities(deps),
      ...createReminderActivities(deps),
    },
    deps.log,
  );
}
