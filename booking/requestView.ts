import type { AppointmentRequest } from '../models/appointmentRequest';

/** A request as the portal and dashboard show it. */
export function toRequestView(r: AppointmentRequest) {
  return {
    id: r.id,
    status: r.status,
    kind: r.kind ?? 'booking',
    clinicianId: r.clinicianId,
    serviceId: r.serviceId,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    clientId: r.clientId,
    message: r.message,
    declineNote: r.declineNote ?? null,
    appointmentId: r.appointmentId ?? null,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
  };
}

export type RequestView = ReturnType<typeof toRequestView>;
