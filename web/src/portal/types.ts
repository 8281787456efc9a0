/** GET /portal/:slug */
export interface PortalInfo {
  name: string;
  slug: string;
  timeZone: string;
  phone: string | null;
  allowNewClients: boolean;
  cancellationPolicy: string;
}

export interface PortalService {
  id: string;
  name: string;
  durationMinutes: number;
}

/** GET /portal/:slug/clinicians */
export interface PortalClinician {
  id: string;
  firstName: string;
  lastName: string;
  services: PortalService[];
  newClients: { accepted: boolean; initialConsultationServiceId: string | null };
}

/** One offered slot. */
export interface Slot {
  startsAt: string;
  endsAt: string;
}

/** A signed-in portal client, as kept for this tab. */
export interface ClientSession {
  token: string;
  expiresAt: string;
  client: { id: string; firstName: string; lastName: string; email: string };
}

/** One appointment in GET /portal/:slug/me/appointments. */
export interface PortalAppointment {
  id: string;
  status: 'scheduled' | 'canceled' | 'late_canceled';
  startsAt: string;
  endsAt: string;
  clinician: { id: string; firstName: string; lastName: string };
  service: { id: string; name: string };
  cancellationPolicy: string;
  canceledAt: string | null;
  canCancelOnline?: boolean;
  freeCancelationUntil?: string | null;
  cancelNowAs?: 'canceled' | 'late_canceled' | null;
  practicePhone?: string | null;
}

/** A request as GET /portal/:slug/me/requests lists it. */
export interface PortalRequest {
  id: string;
  status: string;
  clinicianId: string;
  serviceId: string;
  startsAt: string;
  endsAt: string;
  declineNote: string | null;
  createdAt: string;
}
