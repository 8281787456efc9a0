export type StaffRole = 'admin_clinician' | 'clinician' | 'practice_manager';

export interface StaffUser {
  id: string;
  practiceId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
  timeZone: string | null;
}

/** What POST /api/auth/login answers, kept for this tab. */
export interface StaffSession {
  token: string;
  expiresAt: string;
  idleTimeoutMinutes: number;
  user: StaffUser;
}

export interface NotificationItem {
  id: string;
  kind: string;
  requestId: string | null;
  appointmentId: string | null;
  startsAt: string | null;
  requestStatus: string | null;
  decided: boolean;
  read: boolean;
  createdAt: string;
}

export interface StaffRequest {
  id: string;
  status: string;
  clinicianId: string;
  serviceId: string;
  startsAt: string;
  endsAt: string;
  message: string | null;
  declineNote: string | null;
  appointmentId: string | null;
  createdAt: string;
  client: { firstName: string; lastName: string; email: string; phone: string | null; isNew: boolean };
  possibleDuplicate: boolean;
  service: { id: string; name: string; durationMinutes: number };
  clinician: { id: string; firstName: string; lastName: string };
  waitingMinutes: number | null;
}

export interface CalendarEntry {
  id: string;
  status: 'scheduled' | 'canceled' | 'late_canceled';
  clinicianId: string;
  client: { id: string; firstName: string; lastName: string };
  service: { id: string; name: string };
  startsAt: string;
  endsAt: string;
  canceledBy: 'client' | 'staff' | null;
  cancelReason: string | null;
}

export interface Service {
  id: string;
  name: string;
  durationMinutes: number;
  bookableOnline: boolean;
}

export const managesPractice = (user: StaffUser) =>
  user.role === 'admin_clinician' || user.role === 'practice_manager';

export const isClinician = (user: StaffUser) => user.role === 'admin_clinician' || user.role === 'clinician';
