/** Who canceled: the client from the portal, or the practice from the dashboard. */
export type Canceler = 'client' | 'staff';

/** The fields of an appointment that say whether, by whom and when it was canceled. */
export interface CancelState {
  status: string;
  canceledBy: Canceler | null;
  canceledAt: Date | string | null;
}

/** The refusal told to the side that lost a cancel race: what happened, by whom, when. */
export interface AlreadyCanceled {
  code: 'APPOINTMENT_ALREADY_CANCELED';
  message: string;
  status: string;
  canceledBy: Canceler | null;
  canceledAt: string | null;
}

/**
 * "Was it already canceled by the other side?": null when the appointment is still scheduled or was canceled by
 * `by` itself (a repeat answers with the first result), else the refusal naming the status, the other side and
 * the moment. Pure (no I/O).
 */
export function canceledByOtherSide(appointment: CancelState, by: Canceler): AlreadyCanceled | null {
  if (appointment.status === 'scheduled' || appointment.canceledBy === by) return null;
  const what = appointment.status === 'late_canceled' ? 'marked Late Canceled' : 'canceled';
  const who =
    appointment.canceledBy === 'staff'
      ? ' by the practice'
      : appointment.canceledBy === 'client'
        ? ' by the client'
        : '';
  const canceledAt = appointment.canceledAt ? new Date(appointment.canceledAt).toISOString() : null;
  return {
    code: 'APPOINTMENT_ALREADY_CANCELED',
    message: `This appointment was already ${what}${who}.`,
    status: appointment.status,
    canceledBy: appointment.canceledBy,
    canceledAt,
  };
}

/**
 * What a client is told when the booked policy only takes cancelations by phone: the practice's number when it
 * has one. The same words whether the API refuses before a workflow starts or the cancelation step refuses.
 */
export function phoneOnlyMessage(phone: string | null | undefined): string {
  return phone
    ? `This appointment can't be canceled online; to cancel, please call ${phone}.`
    : "This appointment can't be canceled online; to cancel, please call your clinician or the practice.";
}
