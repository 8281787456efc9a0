import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { RefusedNotice } from '../activities/requests';
import type { RequestWorkflowInput } from '../booking/submitRequest';
import { pendingRefusal, requestExpiresAt } from '../booking/rules/requests';
import { bookingStatusKey, clinicianIdKey, practiceIdKey } from '../temporal/searchAttributes';
import { notificationPolicy, notificationSteps } from './notifications';
import { stepAttention, type FailingStep, type StepPolicy } from './stepAttention';

type Activities = ReturnType<typeof createActivities>;

/** Statuses a request workflow moves through; `abandoned` means the API never committed the request. */
export type RequestWorkflowStatus =
  'recording' | 'pending' | 'approved' | 'declined' | 'expired' | 'withdrawn' | 'abandoned';

export interface ApproveInput {
  actorId: string;
  /** Book a possible duplicate as a client of its own rather than for the client with the same address. */
  asNewClient?: boolean;
}
export interface DeclineInput {
  actorId: string;
  /** Updates sent before notes were kept by id carry the text; new ones never do (noteId). */
  note?: string | null;
  /** The note, kept in pending_texts until the close step records it (booking/pendingTexts.ts). */
  noteId?: string | null;
}
export interface WithdrawInput {
  clientId: string;
}

/** What a decision update answers: the new status, or why nothing changed. */
export type DecisionResult =
  | { ok: true; status: RequestWorkflowStatus; appointmentId?: string }
  | {
      ok: false;
      code:
        | 'REQUEST_NOT_PENDING'
        | 'SLOT_UNAVAILABLE'
        | 'REQUEST_NOT_FOUND'
        | 'CLIENT_ARCHIVED'
        | 'APPOINTMENT_NOT_RESCHEDULABLE';
      message: string;
      status: RequestWorkflowStatus;
    };

/** The clinician approves; answers with the appointment, or a conflict that leaves the request pending. */
export const approveUpdate = defineUpdate<DecisionResult, [ApproveInput]>('approve');
/** The clinician declines, optionally with a note that is emailed to the client. */
export const declineUpdate = defineUpdate<DecisionResult, [DeclineInput]>('decline');
/** The client withdraws their own pending request. */
export const withdrawUpdate = defineUpdate<DecisionResult, [WithdrawInput]>('withdraw');
/**
 * The appointment a reschedule request would move was canceled, and the request closed (`withdrawn`) in that
 * transaction (booking/requestClosing.ts); sent by the cancelation workflow so this one ends now, not at its deadline.
 */
export const appointmentCanceledSignal = defineSignal('appointmentCanceled');
/** The workflow's view of the request, for operators and tests. */
export const getStatusQuery = defineQuery<{
  status: RequestWorkflowStatus;
  deadline: string;
  emailFailures: string[];
  /** The step that keeps failing (or failed for good), with its attempts and last error; null when none. */
  failingStep: FailingStep | null;
}>('getStatus');

// Database work: retried through short outages of PostgreSQL (unlimited attempts, backing off to 30 s).
const databasePolicy: StepPolicy = {
  startToCloseTimeout: '30 seconds',
  initialInterval: '1 second',
  maximumInterval: '30 seconds',
  maximumIntervalMs: 30_000,
};
// The activity itself gives up (REQUEST_NOT_RECORDED) once the database has said "no such row" for a minute;
// an unreachable database is waited out however long it takes. "Not yet" is an answer, not a fault.
const recordedPolicy: StepPolicy = {
  ...databasePolicy,
  startToCloseTimeout: '10 seconds',
  backoffCoefficient: 2,
  quietTypes: ['REQUEST_NOT_YET_RECORDED', 'REQUEST_NOT_RECORDED'],
};
const activities = (options: ActivityOptions) => proxyActivities<Activities>(options);
/**
 * A short database step run inside the workflow task that asks for it: its result is one marker event, with no
 * activity task, no round trip through the server's task queue and no further workflow task to read the result.
 */
const localActivities = (options: ActivityOptions): Activities => {
  const local: LocalActivityOptions = {
    startToCloseTimeout: options.startToCloseTimeout,
    ...(options.scheduleToCloseTimeout !== undefined
      ? { scheduleToCloseTimeout: options.scheduleToCloseTimeout }
      : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    // Every retry waits on a server timer: a worker sleeping between attempts would hold the workflow task open
    // through a database outage, and a time-skipping test could not skip the wait.
    localRetryThreshold: 1,
  };
  const proxy = proxyLocalActivities<Activities>(local);
  return new Proxy(proxy, {
    get:
      (target, name: string) =>
      async (...args: unknown[]) => {
        try {
          return await (target[name as keyof Activities] as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          throw asActivityFailure(err, name, options);
        }
      },
  });
};

/**
 * A local activity's last failure reaches the workflow as its cause alone (the SDK gives no ActivityFailure with a
 * retry state); stepAttention tells "attempts used up, run another round" from "failed for good" by that state, as
 * for an activity, so it is put back.
 */
function asActivityFailure(err: unknown, activityType: string, options: ActivityOptions): unknown {
  if (err instanceof ActivityFailure || !(err instanceof Error)) return err;
  const permanent =
    err instanceof ApplicationFailure &&
    (err.nonRetryable || (options.retry?.nonRetryableErrorTypes ?? []).includes(err.type ?? ''));
  const timedOut = err instanceof TimeoutFailure && err.timeoutType !== 'START_TO_CLOSE';
  return new ActivityFailure(
    err.message,
    activityType,
    undefined,
    permanent ? 'NON_RETRYABLE_FAILURE' : timedOut ? 'TIMEOUT' : 'MAXIMUM_ATTEMPTS_REACHED',
    undefined,
    err,
  );
}

/**
 * Requests started since this patch: database steps run as local activities, the two notices of a new request
 * go out in one activity (each email still under its own idempotency key), and the search attributes the starter
 * set are not written again. Until the first notice is sent that is two workflow tasks and one activity task,
 * where the earlier shape took four to six workflow tasks and three activity tasks (bench/results/load.md).
 */
export const LOCAL_STEPS_PATCH = 'request-local-steps';

/**
 * One appointment request: notify the clinician and the client, wait for approve / decline / withdraw until the
 * slot starts or the practice's request lifetime runs out, then book or release the slot and tell the client.
 */
export async function appointmentRequestWorkflow(
  input: RequestWorkflowInput,
): Promise<{ status: RequestWorkflowStatus; appointmentId?: string }> {
  let status = 'recording' as RequestWorkflowStatus;
  let busy = false;
  let appointmentId: string | undefined;
  const steps = stepAttention();
  const { failures: emailFailures, notify } = notificationSteps({ requestId: input.requestId }, steps);
  const localSteps = patched(LOCAL_STEPS_PATCH);
  /** Where the workflow's database steps run: in its own task since LOCAL_STEPS_PATCH, as activities before. */
  const database = localSteps ? localActivities : activities;
  // Measured from the execution's start on the server (the moment the API recorded the request, inside its
  // transaction), so the deadline neither depends on the API's and Temporal's clocks agreeing nor slips when no
  // worker was running to pick the workflow up.
  const waitMs = requestExpiresAt(input) - Date.parse(input.requestedAt);
  const deadline = workflowInfo().startTime.getTime() + waitMs;

  const ids = [
    { key: practiceIdKey, value: input.practiceId },
    { key: clinicianIdKey, value: input.clinicianId },
  ];
  // The starter (temporal/requests.ts) sets all three at the start; since LOCAL_STEPS_PATCH the first status change
  // repeats the ids instead, for an execution started without them, in the same command.
  let idsWritten = !localSteps;
  const setStatus = (next: RequestWorkflowStatus) => {
    status = next;
    upsertSearchAttributes([...(idsWritten ? [] : ids), { key: bookingStatusKey, value: next }]);
    idsWritten = true;
  };
  if (!localSteps) upsertSearchAttributes([...ids, { key: bookingStatusKey, value: status }]);

  /** Decisions run one at a time, and never while the request is being expired. */
  const decide = async (run: () => Promise<DecisionResult>): Promise<DecisionResult> => {
    await condition(() => !busy && status !== 'recording');
    const notPending = pendingRefusal({ status });
    if (notPending) return { ok: false, ...notPending };
    busy = true;
    try {
      return await run();
    } finally {
      busy = false;
    }
  };

  const closedAs =
    (closed: 'declined' | 'withdrawn') =>
    async (args: { actorId?: string; note?: string | null; noteId?: string | null; clientId?: string }) => {
      const outcome = await steps.run('closeRequest', databasePolicy, (options) =>
        database(options).closeRequest({
          requestId: input.requestId,
          status: closed,
          // An update sent before notes were kept by id still carries its text; a new one only the id.
          ...(args.note != null ? { note: args.note } : { noteId: args.noteId ?? null }),
          actorId: args.actorId ?? null,
        }),
      );
      if (!outcome.ok)
        return {
          ok: false as const,
          code: outcome.code,
          message: 'This request is no longer pending.',
          status: (outcome.status ?? status) as RequestWorkflowStatus,
        };
      setStatus(closed);
      return { ok: true as const, status };
    };

  // Recording is let through: the decision waits in `decide` until the request is recorded. The status rides in
  // the details so the caller learns what the request became.
  const rejectUnlessPending = (_input: unknown) => {
    const notPending = status === 'recording' ? null : pendingRefusal({ status });
    if (notPending)
      throw ApplicationFailure.create({
        type: notPending.code,
        message: notPending.message,
        details: [notPending.status],
      });
  };
  setHandler(
    approveUpdate,
    ({ actorId, asNewClient }) =>
      decide(async () => {
        // The same activity as ever, with one more field in its input when asked: the commands are unchanged.
        const outcome = await steps.run('approveRequest', databasePolicy, (options) =>
          database(options).approveRequest({
            requestId: input.requestId,
            actorId,
            ...(asNewClient ? { asNewClient: true } : {}),
          }),
        );
        if (!outcome.ok)
          return {
            ok: false,
            code: outcome.code,
            message: outcome.message,
            status: (outcome.status ?? status) as RequestWorkflowStatus,
          };
        appointmentId = outcome.appointmentId;
        setStatus('approved');
        return { ok: true, status, appointmentId };
      }),
    { validator: rejectUnlessPending },
  );
  setHandler(declineUpdate, (args) => decide(() => closedAs('declined')(args)), {
    validator: rejectUnlessPending,
  });
  setHandler(withdrawUpdate, (args) => decide(() => closedAs('withdrawn')(args)), {
    validator: rejectUnlessPending,
  });
  // Only a cancelation that closed this request sends it, so no earlier history holds it: its commands are new ones.
  // The close step finds the row already withdrawn and answers so; nothing is written twice.
  setHandler(appointmentCanceledSignal, () => {
    void decide(() => closedAs('withdrawn')({}));
  });
  setHandler(getStatusQuery, () => ({
    status,
    deadline: new Date(deadline).toISOString(),
    emailFailures,
    failingStep: steps.failingStep(),
  }));

  try {
    const since = Date.now();
    await steps.run('confirmRequestRecorded', recordedPolicy, (options) =>
      database(options).confirmRequestRecorded({
        requestId: input.requestId,
        since,
        // Lets the step wait for the submission's transaction instead of retrying until it commits.
        ...(localSteps ? { clinicianId: input.clinicianId } : {}),
      }),
    );
  } catch {
    setStatus('abandoned');
    return { status };
  }
  setStatus('pending');
  if (localSteps) {
    try {
      await steps.run('announceRequest', notificationPolicy, (options) =>
        activities(options).announceRequest({ requestId: input.requestId }),
      );
    } catch (err) {
      for (const failure of announcementFailures(err)) {
        emailFailures.push(`${failure.label}: ${failure.message}`);
        log.warn('notification failed permanently', {
          step: failure.label,
          requestId: input.requestId,
          error: failure.type,
        });
      }
    }
  } else
    await Promise.all([
      notify('clinician notified', 'notifyClinicianOfRequest', (options) =>
        activities(options).notifyClinicianOfRequest({ requestId: input.requestId }),
      ),
      notify('receipt to client', 'sendRequestReceived', (options) =>
        activities(options).sendRequestReceived({ requestId: input.requestId }),
      ),
    ]);

  while (status === 'pending') {
    const remaining = deadline - Date.now();
    if (remaining > 0) {
      await condition(() => status !== 'pending', remaining);
      continue;
    }
    await condition(() => !busy);
    if (status !== 'pending') break;
    const outcome = await steps.run('closeRequest', databasePolicy, (options) =>
      database(options).closeRequest({ requestId: input.requestId, status: 'expired' }),
    );
    setStatus(outcome.ok ? 'expired' : ((outcome.status ?? 'expired') as RequestWorkflowStatus));
  }
  // Let an update that just finished deliver its answer before the workflow completes.
  await condition(() => !busy);

  if (status === 'approved' || status === 'declined' || status === 'expired') {
    const outcome = status;
    await notify(`outcome ${outcome} to client`, 'sendOutcomeToClient', (options) =>
      activities(options).sendOutcomeToClient({ requestId: input.requestId, outcome }),
    );
  } else if (status === 'withdrawn') {
    await notify('withdrawal to clinician', 'notifyClinicianWithdrawn', (options) =>
      activities(options).notifyClinicianWithdrawn({ requestId: input.requestId }),
    );
  }
  if (emailFailures.length)
    log.warn('request finished with undelivered notifications', {
      requestId: input.requestId,
      workflowId: workflowInfo().workflowId,
      count: emailFailures.length,
    });
  return { status, appointmentId };
}

/**
 * The notices announceRequest could not deliver for good (the provider refused them), each under the label the
 * separate steps used; any other failure of the step (its day of retries ran out) is one line for both.
 */
function announcementFailures(err: unknown): RefusedNotice[] {
  const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
  const refused = (cause?.details?.[0] as { refused?: RefusedNotice[] } | undefined)?.refused;
  if (refused?.length) return refused;
  return [
    {
      label: 'new request notices',
      type: cause?.type ?? 'unknown',
      message: cause?.message ?? String(err),
    },
  ];
}
