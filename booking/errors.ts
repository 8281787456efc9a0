/** Every permanent business refusal, one string union shared by the API (problem codes) and activities (failure types). */
export type BookingErrorCode =
  | 'SLOT_UNAVAILABLE'
  | 'NEW_CLIENTS_NOT_ACCEPTED'
  | 'SERVICE_NOT_OFFERED'
  | 'CLINICIAN_NOT_FOUND'
  | 'SERVICE_NOT_FOUND'
  | 'REQUEST_NOT_FOUND'
  | 'REQUEST_NOT_PENDING'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_MISMATCH'
  | 'TOO_MANY_PENDING_REQUESTS'
  | 'EMAIL_NOT_VERIFIED'
  | 'APPOINTMENT_NOT_FOUND'
  | 'APPOINTMENT_NOT_CANCELABLE'
  /** Canceled by the other side (the client, or the practice) first. */
  | 'APPOINTMENT_ALREADY_CANCELED'
  | 'CANCEL_BY_PHONE_ONLY'
  /** Attendance is marked once an appointment has started, and never on a canceled one. */
  | 'APPOINTMENT_NOT_STARTED'
  | 'APPOINTMENT_CANCELED'
  /** Only a scheduled appointment that has not started moves to another time. */
  | 'APPOINTMENT_NOT_RESCHEDULABLE'
  /** A client's move past the free-cancelation cutoff, or under the phone-only policy: with the number to call. */
  | 'RESCHEDULE_BY_PHONE_ONLY'
  /** One pending reschedule request per appointment. */
  | 'RESCHEDULE_ALREADY_REQUESTED'
  /** The database refuses the step's data (SQLSTATE class 22): a retry cannot succeed, nothing was changed. */
  | 'DATA_REJECTED'
  /** Another client of the practice signs in to the portal with this address (any case). */
  | 'CLIENT_EMAIL_TAKEN'
  | 'CLIENT_NOT_FOUND'
  /** Archived clients keep their history but cannot sign in, request, or be invited. */
  | 'CLIENT_ARCHIVED'
  /** The practice's client portal is off: there is nothing to invite a client to. */
  | 'PORTAL_DISABLED'
  /** The client shares an address another client signs in with, so an invitation would sign in someone else. */
  | 'CLIENT_SHARES_ADDRESS'
  /** Staff and invitations (booking/staff*.ts). */
  | 'STAFF_EMAIL_TAKEN'
  | 'STAFF_NOT_FOUND'
  | 'INVITATION_NOT_FOUND'
  | 'INVITATION_GONE'
  | 'LAST_ADMIN_CLINICIAN'
  | 'CLINICIAN_HAS_BOOKINGS'
  | 'WEAK_PASSWORD';

/** HTTP status each refusal maps to. */
export const bookingErrorStatus: Record<BookingErrorCode, number> = {
  SLOT_UNAVAILABLE: 409,
  NEW_CLIENTS_NOT_ACCEPTED: 403,
  SERVICE_NOT_OFFERED: 400,
  CLINICIAN_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  REQUEST_NOT_FOUND: 404,
  REQUEST_NOT_PENDING: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_MISMATCH: 422,
  TOO_MANY_PENDING_REQUESTS: 429,
  EMAIL_NOT_VERIFIED: 422,
  APPOINTMENT_NOT_FOUND: 404,
  APPOINTMENT_NOT_CANCELABLE: 409,
  APPOINTMENT_ALREADY_CANCELED: 409,
  CANCEL_BY_PHONE_ONLY: 409,
  APPOINTMENT_NOT_STARTED: 409,
  APPOINTMENT_CANCELED: 409,
  APPOINTMENT_NOT_RESCHEDULABLE: 409,
  RESCHEDULE_BY_PHONE_ONLY: 409,
  RESCHEDULE_ALREADY_REQUESTED: 409,
  DATA_REJECTED: 422,
  CLIENT_EMAIL_TAKEN: 409,
  CLIENT_NOT_FOUND: 404,
  CLIENT_ARCHIVED: 409,
  PORTAL_DISABLED: 409,
  CLIENT_SHARES_ADDRESS: 409,
  STAFF_EMAIL_TAKEN: 409,
  STAFF_NOT_FOUND: 404,
  INVITATION_NOT_FOUND: 404,
  INVITATION_GONE: 410,
  LAST_ADMIN_CLINICIAN: 409,
  CLINICIAN_HAS_BOOKINGS: 409,
  WEAK_PASSWORD: 400,
};

/** A business rule said no; nothing was changed. */
export class BookingError extends Error {
  constructor(
    readonly code: BookingErrorCode,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BookingError';
  }
}
