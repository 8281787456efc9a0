/** Why a new client may not book this clinician and service. */
export interface NewClientRefusal {
  code: 'NEW_CLIENTS_NOT_ACCEPTED' | 'SERVICE_NOT_OFFERED';
  message: string;
  field?: string;
}

/** The practice has turned new-client requests off (asked before anything else about a new client). */
export function practiceClosedToNewClients(practice: { allowNewClients: boolean }): NewClientRefusal | null {
  if (practice.allowNewClients) return null;
  return {
    code: 'NEW_CLIENTS_NOT_ACCEPTED',
    message: 'This practice is not accepting requests from new clients online.',
  };
}

/**
 * "May a new client book this?": only when the practice takes new clients online, and only the clinician's
 * initial consultation (a clinician without one takes no new clients). Null when allowed. Pure (no I/O): the
 * portal's clinician list and every availability query and submission ask the same question.
 */
export function newClientRefusal(
  practice: { allowNewClients: boolean },
  initialConsultationServiceId: string | null,
  serviceId: string,
): NewClientRefusal | null {
  const closed = practiceClosedToNewClients(practice);
  if (closed) return closed;
  if (initialConsultationServiceId === null || initialConsultationServiceId !== serviceId) {
    return {
      code: 'SERVICE_NOT_OFFERED',
      message: "New clients may request only the clinician's initial consultation.",
      field: '/serviceId',
    };
  }
  return null;
}

/** Whether the portal offers this clinician to new clients at all, given the services bookable online. */
export function acceptsNewClients(
  practice: { allowNewClients: boolean },
  initialConsultationServiceId: string | null,
  bookableServiceIds: readonly string[],
): boolean {
  return (
    initialConsultationServiceId !== null &&
    bookableServiceIds.includes(initialConsultationServiceId) &&
    newClientRefusal(practice, initialConsultationServiceId, initialConsultationServiceId) === null
  );
}
