import { useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import { fieldError } from '../api';
import type { BodyOf } from '../generated/api';
import { appointmentStatusLabel, formatLongDateTime, fullName, policyHours, policyLabel } from '../format';
import { Dialog, FormError, SelectField, TextField } from '../ui';
import { useStaff } from './context';
import type { CalendarEntry } from './types';

type CancelStatus = NonNullable<BodyOf<'POST /api/appointments/{id}/cancel'>['status']>;

/**
 * What the booked policy says a cancelation asked now would be, as the server judges it: at or before the cutoff
 * Canceled, after it Late Canceled; the phone-call policy has no cutoff (the client phoned, which is the point).
 */
function policyVerdict(entry: CalendarEntry, now: DateTime): Exclude<CancelStatus, 'clinician_canceled'> {
  const hours = policyHours[entry.cancellationPolicy];
  if (!hours) return 'canceled';
  const cutoff = DateTime.fromISO(entry.startsAt).minus({ hours });
  return now <= cutoff ? 'canceled' : 'late_canceled';
}

/**
 * Cancels on the client's behalf (the policy's verdict preselected, which staff may change) or as the practice
 * (Clinician Canceled). The client is emailed, and the event leaves their calendar.
 */
export function CancelAppointmentDialog({
  entry,
  onClose,
  onCanceled,
}: {
  entry: CalendarEntry;
  onClose: () => void;
  onCanceled: () => void;
}) {
  const { call, zone } = useStaff();
  const verdict = policyVerdict(entry, DateTime.now());
  const [status, setStatus] = useState<CancelStatus>(verdict);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(`/api/appointments/${entry.id}/cancel`, {
        method: 'POST',
        body: { status, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      });
      onCanceled();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const formId = `cancel-${entry.id}`;
  const byPolicy = `${appointmentStatusLabel[verdict]} (the cancelation policy's verdict)`;
  return (
    <Dialog
      title="Cancel this appointment?"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" form={formId} className="danger" disabled={busy}>
            {busy ? 'Canceling…' : 'Cancel appointment'}
          </button>
        </>
      }
    >
      <p>
        {fullName(entry.client)} · {entry.service.name}
        <br />
        {formatLongDateTime(entry.startsAt, zone)}
      </p>
      <p className="muted small">Cancelation policy: {policyLabel[entry.cancellationPolicy]}.</p>
      <form id={formId} onSubmit={(e) => void submit(e)}>
        <SelectField
          label="Record it as"
          value={status}
          onValue={(v) => setStatus(v as CancelStatus)}
          hint="Choose Clinician Canceled when the practice cancels."
          error={fieldError(error, 'status')}
        >
          <option value={verdict}>{byPolicy}</option>
          {verdict !== 'canceled' && <option value="canceled">Canceled (waive the late cancelation)</option>}
          {verdict !== 'late_canceled' && <option value="late_canceled">Late Canceled</option>}
          <option value="clinician_canceled">Clinician Canceled (the practice cancels)</option>
        </SelectField>
        <TextField
          label="Reason"
          multiline
          maxLength={1000}
          value={reason}
          onValue={setReason}
          hint="Kept with the appointment and shown in the calendar."
          error={fieldError(error, 'reason')}
        />
        <p className="muted small">The client is emailed, and the event is removed from their calendar.</p>
      </form>
      <FormError error={error} fields={['status', 'reason']} />
    </Dialog>
  );
}
