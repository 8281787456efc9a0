import { useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import { ApiError, fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { formatLongDateTime, formatMinutes, formatRange, formatZone, fullName, iso } from '../format';
import { Dialog, FormError, TextField } from '../ui';
import { useStaff } from './context';
import type { CalendarEntry } from './types';

type Moved = ResponseOf<'POST /api/appointments/{id}/reschedule'>;

/**
 * "Reschedule" on one calendar entry: offered for a scheduled appointment that has not started by the server's clock
 * (the API refuses the others). The new time is entered in the clinician's zone, so "9:00" is their morning
 * wherever the manager who moves it sits.
 */
export function RescheduleAction({
  entry,
  zone,
  onMoved,
}: {
  entry: CalendarEntry;
  /** The clinician's zone. */
  zone: string;
  /** Called with a sentence saying what happened, for the page to show. */
  onMoved: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  if (entry.status !== 'scheduled' || entry.started) return null;
  return (
    <>
      <div className="actions tight">
        <button
          type="button"
          className="secondary small"
          aria-label={`Reschedule ${fullName(entry.client)}, ${formatRange(entry.startsAt, entry.endsAt, zone)}`}
          onClick={() => setOpen(true)}
        >
          Reschedule
        </button>
      </div>
      {open && (
        <RescheduleDialog
          entry={entry}
          zone={zone}
          onClose={() => setOpen(false)}
          onMoved={(moved) => {
            setOpen(false);
            onMoved(
              moved.changed
                ? `Moved ${fullName(entry.client)}'s appointment to ${formatLongDateTime(moved.startsAt, zone)}. ` +
                    'They will get an updated calendar invite by email.'
                : `${fullName(entry.client)}'s appointment is already at that time; nothing changed.`,
            );
          }}
        />
      )}
    </>
  );
}

function RescheduleDialog({
  entry,
  zone,
  onClose,
  onMoved,
}: {
  entry: CalendarEntry;
  zone: string;
  onClose: () => void;
  onMoved: (moved: Moved) => void;
}) {
  const { call } = useStaff();
  const current = DateTime.fromISO(entry.startsAt, { zone });
  const [date, setDate] = useState(() => current.toISODate() ?? '');
  const [time, setTime] = useState(() => current.toFormat('HH:mm'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const minutes = Math.round(
    (DateTime.fromISO(entry.endsAt).toMillis() - DateTime.fromISO(entry.startsAt).toMillis()) / 60_000,
  );
  // Read in the clinician's zone, whatever zone the browser is in.
  const startsAt = DateTime.fromISO(`${date}T${time}`, { zone });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!startsAt.isValid) return;
    setBusy(true);
    setError(null);
    try {
      onMoved(
        await call<Moved>(`/api/appointments/${entry.id}/reschedule`, {
          method: 'POST',
          body: { startsAt: iso(startsAt) },
        }),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  // The API's words for a taken time name the field; a canceled or started appointment is said under the form.
  const taken = error instanceof ApiError && error.code === 'SLOT_UNAVAILABLE';
  const formId = `reschedule-${entry.id}`;
  return (
    <Dialog
      title={`Reschedule ${fullName(entry.client)}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} disabled={busy || !startsAt.isValid}>
            {busy ? 'Moving…' : 'Move appointment'}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={(e) => void submit(e)}>
        <p>
          {entry.service.name}, now {formatLongDateTime(entry.startsAt, zone)}. The new time keeps the same
          length ({formatMinutes(minutes)}).
        </p>
        <p className="muted small">Date and time in {formatZone(zone)}.</p>
        <TextField label="New date" type="date" required value={date} onValue={setDate} />
        <TextField
          label="New start time"
          type="time"
          required
          value={time}
          onValue={setTime}
          error={fieldError(error, '/startsAt')}
        />
        {taken && <p className="small">The appointment stays at its current time.</p>}
        <FormError error={error} fields={['/startsAt']} />
        <p className="muted small">The client gets an updated calendar invite by email.</p>
      </form>
    </Dialog>
  );
}
