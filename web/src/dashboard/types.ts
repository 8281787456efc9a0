import type { ResponseOf } from '../generated/api';

// The API's answers, generated from its OpenAPI document (npm run web:types): a renamed field fails the build.

export type StaffUser = ResponseOf<'GET /api/auth/me'>;
export type StaffRole = StaffUser['role'];

/** The cookie session as the dashboard knows it: who, and for how long; the token itself stays in the cookie. */
export type StaffSession = ResponseOf<'GET /api/auth/session'>;

export type NotificationItem = ResponseOf<'GET /api/notifications'>['items'][number];

export type StaffRequest = ResponseOf<'GET /api/appointment-requests/{id}'>;

export type CalendarEntry = ResponseOf<'GET /api/calendar'>['appointments'][number];
export type CalendarHold = ResponseOf<'GET /api/calendar'>['holds'][number];
export type CalendarTimeOff = ResponseOf<'GET /api/calendar'>['timeOff'][number];
export type AvailabilityWindow = ResponseOf<'GET /api/calendar'>['availability'][number];

export type Service = ResponseOf<'GET /api/services'>[number];

export const managesPractice = (user: StaffUser) =>
  user.role === 'admin_clinician' || user.role === 'practice_manager';

export const isClinician = (user: StaffUser) => user.role === 'admin_clinician' || user.role === 'clinician';
