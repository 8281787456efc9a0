/** Why a decision on a request is refused because the request no longer waits for one. */
export interface NotPending<S extends string> {
  code: 'REQUEST_NOT_PENDING';
  message: string;
  status: S;
}

/**
 * "Is it still pending?": null when a decision (approve, decline, withdraw) may go ahead, else the refusal naming
 * the status the request reached. The one rule the API, the decision transaction and the workflow all apply.
 * Pure (no I/O), so workflows may import it.
 */
export function pendingRefusal<S extends string>(request: { status: S }): NotPending<S> | null {
  if (request.status === 'pending') return null;
  return {
    code: 'REQUEST_NOT_PENDING',
    message: `This request is already ${request.status}.`,
    status: request.status,
  };
}

/** The refusal of an approval whose slot has started: the request can only expire now. */
export function startedRefusal<S extends string>(status: S): NotPending<S> {
  return {
    code: 'REQUEST_NOT_PENDING',
    message: 'The time of this request has already started, so it can no longer be approved; it has expired.',
    status,
  };
}

/**
 * When an unanswered request expires (epoch ms): when its slot starts or when it is older than the practice's
 * request lifetime, whichever comes first. The workflow's timer is this; the dashboard orders pending requests
 * by the same moment, written in SQL (api/appointmentRequests.ts answerFirst).
 */
export function requestExpiresAt(request: {
  startsAt: string | Date;
  requestedAt: string | Date;
  lifetimeHours: number;
}): number {
  const ms = (t: string | Date) => (typeof t === 'string' ? Date.parse(t) : t.getTime());
  const requestedAt = ms(request.requestedAt);
  return requestedAt + Math.min(ms(request.startsAt) - requestedAt, request.lifetimeHours * 3_600_000);
}
