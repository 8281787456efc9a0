import { isCanceled, type Appointment } from '../models/appointment';
import {
  cancelRefusal,
  canceledResult,
  type CanceledBy,
  type CanceledStatus,
  type CancelResult,
} from './cancelAppointment';
import { BookingError } from './errors';
import type { CancelOutcome } from './cancelOutcome';
import { canceledByOtherSide, type AlreadyCanceled } from './rules/cancelation';
import { dropPendingText, keepPendingText } from './pendingTexts';
import type { Store } from '../models/store';

/** What the cancelation workflow is started with; ids and the moment asked only, nothing personal. */
export interface CancellationStart {
  appointmentId: string;
  practiceId: string;
  clinicianId: string;
  /** When the client (or the practice) asked, recorded by the API: the moment the policy judges. */
  requestedAt: string;
  by: CanceledBy;
  /** The practice's choice; staff only. */
  status?: CanceledStatus;
  /** Executions started before reasons were kept by id carry the text; new ones never do (reasonId). */
  reason?: string | null;
  /** The reason the person wrote, kept in pending_texts until the cancel step records it (booking/pendingTexts.ts). */
  reasonId?: string | null;
  /** Whether the client gets the confirmation email (always for the client's own cancelation). */
  notifyClient: boolean;
  /** The client or staff user who asked; a clinician canceling their own appointment is not notified of it. */
  actorId?: string | null;
}

/** The workflow's answer: the cancelation, a business refusal, or null when no worker got to it in time. */
export type CancellationReport = CancelOutcome | null;

/** A cancel asked through the API: done (the first result when repeated), or durably under way. */
export type CancellationAnswer =
  { done: true; result: CancelResult } | { done: false; appointmentId: string };

/** The refusal telling the side that lost what happened: the status, who canceled and when. */
function alreadyCanceled({ code, message, status, canceledBy, canceledAt }: AlreadyCanceled): BookingError {
  return new BookingError(code, message, undefined, { status, canceledBy, canceledAt });
}

/**
 * Cancels an appointment through its workflow. A repeated cancel by the same side answers with the first result;
 * one already canceled by the other side, or by then started, is refused before any workflow starts, as is a
 * portal cancel the booked policy forbids. Who canceled comes from the row, never from this call: a cancel that
 * joined the other side's running workflow gets that workflow's result, and must still learn that it lost.
 */
export async function requestCancellation(
  db: Store,
  appointment: Appointment,
  input: Omit<CancellationStart, 'appointmentId' | 'clinicianId' | 'requestedAt'> & {
    requestedAt: Date;
    practicePhone?: string | null;
  },
  start: (input: CancellationStart) => Promise<CancellationReport>,
): Promise<CancellationAnswer> {
  const { by, requestedAt, practicePhone, reason, reasonId: _ignored, ...rest } = input;
  if (isCanceled(appointment.status)) {
    const lost = canceledByOtherSide(appointment, by);
    if (lost) throw alreadyCanceled(lost);
    return { done: true, result: canceledResult(appointment, false) };
  }
  const refusal = cancelRefusal(appointment, { by, requestedAt, practicePhone });
  if (refusal) throw refusal;
  // Only once nothing refuses: the workflow carries the kept text's id, never the text.
  const reasonId = await keepPendingText(db, appointment.practiceId, reason, requestedAt);
  const outcome = await start({
    ...rest,
    reasonId,
    appointmentId: appointment.id,
    clinicianId: appointment.clinicianId,
    requestedAt: requestedAt.toISOString(),
    by,
  });
  // With an outcome the cancel step has run: it took the reason, or (refused, or another run's) never will. Without
  // one, or when the start failed in a way that may still have started it, the step may yet need it: it stays
  // until taken or pruned.
  if (outcome) await dropPendingText(db, reasonId);
  // Durably started and judged at the recorded moment whenever a worker runs it; only the answer is late.
  if (!outcome) return { done: false, appointmentId: appointment.id };
  if (!outcome.ok) throw new BookingError(outcome.code, outcome.message);
  const lost = canceledByOtherSide(outcome, by);
  if (lost) throw alreadyCanceled(lost);
  const { ok: _ok, ...result } = outcome;
  return { done: true, result };
}
