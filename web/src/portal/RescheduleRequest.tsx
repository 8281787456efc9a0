import { useState } from 'react';
import { ApiError, call } from '../api';
import { formatRange, fullName, zoneName } from '../format';
import { Alert, StepHeading, messageOf } from '../ui';
import { SLOT_TAKEN } from './NewClientFlow';
import { SlotPicker } from './SlotPicker';
import type { PortalAppointment, PortalInfo, Slot } from './types';

/**
 * "Request a different time" for one of the client's appointments: the booking flow's slot picker for the same
 * clinician and service, then a confirmation naming both times. The appointment keeps its time until the clinician
 * approves; the request holds the new one.
 */
export function RescheduleRequest({
  practice,
  appointment: a,
  token,
  zone,
  onZoneChange,
  onBack,
  onSent,
  onRefused,
}: {
  practice: PortalInfo;
  appointment: PortalAppointment;
  token: string;
  zone: string;
  onZoneChange: (zone: string) => void;
  onBack: () => void;
  onSent: (slot: Slot) => void;
  /** The server says it can no longer be moved online (late, phone-only, or already asked): show the list again. */
  onRefused: (text: string) => void;
}) {
  const [week, setWeek] = useState<string | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const now = formatRange(a.startsAt, a.endsAt, zone);

  const send = async () => {
    if (!slot) return;
    setSending(true);
    setError(null);
    try {
      await call(`/portal/${encodeURIComponent(practice.slug)}/me/appointments/${a.id}/reschedule-requests`, {
        method: 'POST',
        token,
        body: { startsAt: slot.startsAt },
      });
      onSent(slot);
    } catch (err) {
      setSending(false);
      if (err instanceof ApiError && err.code === 'SLOT_UNAVAILABLE') {
        setNotice(SLOT_TAKEN);
        setSlot(null);
        setRefresh((n) => n + 1);
      } else if (
        err instanceof ApiError &&
        (err.code === 'RESCHEDULE_BY_PHONE_ONLY' ||
          err.code === 'RESCHEDULE_ALREADY_REQUESTED' ||
          err.code === 'APPOINTMENT_NOT_RESCHEDULABLE')
      ) {
        onRefused(err.detail);
      } else {
        setError(err);
      }
    }
  };

  return (
    <section aria-label="Request a different time">
      <p>
        {a.service.name} with {fullName(a.clinician)}, now <strong>{now}</strong>. Your appointment keeps this
        time until {fullName(a.clinician)} approves the new one.
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onBack}>
          Back to my appointments
        </button>
      </div>
      {notice && <Alert kind="warning">{notice}</Alert>}
      {!slot && (
        <SlotPicker
          slug={practice.slug}
          clinicianId={a.clinician.id}
          serviceId={a.service.id}
          token={token}
          zone={zone}
          practiceZone={practice.timeZone}
          onZoneChange={onZoneChange}
          week={week}
          onWeekChange={setWeek}
          refreshKey={refresh}
          onSelect={(s) => {
            setSlot(s);
            setNotice(null);
            setError(null);
          }}
        />
      )}
      {slot && (
        <>
          <StepHeading>Confirm the new time</StepHeading>
          <div className="summary">
            <div>
              Move from {now}
              <br />
              to <strong>{formatRange(slot.startsAt, slot.endsAt, zone)}</strong>{' '}
              <span className="muted">{zoneName(zone)}</span>
            </div>
            <button type="button" className="secondary small" onClick={() => setSlot(null)}>
              Change time
            </button>
          </div>
          {error !== null && <Alert kind="error">{messageOf(error)}</Alert>}
          <div className="actions">
            <button type="button" onClick={() => void send()} disabled={sending}>
              {sending ? 'Sending…' : 'Send request'}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
