import type { ActivityDeps } from './deps';
import { createDiagnosticsActivities } from './diagnostics';
import { createRequestActivities } from './requests';
import { createCancellationActivities } from './cancellations';
import { createPortalEmailActivities } from './portalEmails';

export type { ActivityDeps } from './deps';

/** Every activity the booking worker runs, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDiagnosticsActivities(deps),
    ...createRequestActivities(deps),
    ...createCancellationActivities(deps),
    ...createPortalEmailActivities(deps),
  };
}
