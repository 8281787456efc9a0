import type { CancelResult } from './cancelAppointment';
import type { BookingErrorCode } from './errors';

/**
 * What a cancelation did: the appointment's (first) cancelation, or the business rule that refused it. The
 * activity returns it, the workflow carries it, and the API and the Temporal client read it.
 */
export type CancelOutcome =
  ({ ok: true } & CancelResult) | { ok: false; code: BookingErrorCode; message: string };
