import { Detail } from './Layout';
import { formatDateTime, type Instant } from './format';

/**
 * The rows that say which appointment an email is about: the service and the slot, and the clinician when the
 * reader is the client. One component, so every appointment email names them in the same words and order.
 */
export function AppointmentDetails({
  serviceName,
  slot,
  clinicianName,
}: {
  serviceName: string;
  /** The slot as formatSlot wrote it for the reader's zone. */
  slot: string;
  clinicianName?: string;
}) {
  return (
    <>
      <Detail label="Service" value={serviceName} />
      <Detail label="When" value={slot} />
      {clinicianName ? <Detail label="With" value={clinicianName} /> : null}
    </>
  );
}

/**
 * The rows of a cancelation email: the outcome, the client when the reader is the clinician, the appointment, and
 * the moment the cancelation was asked for (the one the policy judged), in the reader's zone.
 */
export function CancelationDetails({
  outcome,
  clientName,
  serviceName,
  slot,
  requestedAt,
  timeZone,
}: {
  outcome: string;
  clientName?: string;
  serviceName: string;
  slot: string;
  requestedAt: Instant;
  timeZone: string;
}) {
  return (
    <>
      <Detail label="Status" value={outcome} />
      {clientName !== undefined ? <Detail label="Client" value={clientName} /> : null}
      <AppointmentDetails serviceName={serviceName} slot={slot} />
      <Detail label="Cancelation asked for" value={formatDateTime(requestedAt, timeZone)} />
    </>
  );
}
