import { useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import { fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { formatRange, formatZone, iso } from '../format';
import { Alert, Dialog, ErrorAlert, FormError, Loading, TextField, useLoad } from '../ui';
import { useStaff } from './context';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';

type TimeOffEntry = ResponseOf<'GET /api/clinicians/{id}/time-off'>[number];

/** The text a datetime-local input shows for an instant in a zone: "2026-07-01T09:00". */
const localInput = (dt: DateTime) => dt.toFormat("yyyy-MM-dd'T'HH:mm");

/**
 * Settings > Availabilities > Time off: the clinician's blocked times from today on, entered and shown in the
 * clinician's zone (the one their availability is in), so "9:00" means the same to them wherever the admin sits.
 */
export function TimeOffSection({
  clinicianId,
  clinicianName,
  zone,
}: {
  clinicianId: string;
  clinicianName: string;
  zone: string;
}) {
  const { call } = useStaff();
  // From the start of today: an entry running now still blocks time, and is still worth deleting.
  const [from] = useState(() => iso(DateTime.now().setZone(zone).startOf('day')));
  const list = useLoad(
    (signal) =>
      call<TimeOffEntry[]>(`/api/clinicians/${clinicianId}/time-off?${new URLSearchParams({ from })}`, {
        signal,
      }),
    [clinicianId, from, call],
  );
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<TimeOffEntry | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <section aria-labelledby="time-off-heading" className="time-off">
      <div className="toolbar">
        <h2 id="time-off-heading">Time off</h2>
        <div className="toolbar-buttons">
          <button
            type="button"
            onClick={() => {
              setMessage(null);
              setAdding(true);
            }}
          >
            Add time off
          </button>
        </div>
      </div>
      <p className="muted">
        Clients can't request times that overlap {clinicianName ? `${clinicianName}'s` : 'the'} time off.
        Times are in {formatZone(zone)}.
      </p>
      {message && <Alert kind="success">{message}</Alert>}
      <ErrorAlert error={list.error} />
      {Boolean(list.error) && (
        <button type="button" className="secondary" onClick={list.reload}>
          Try again
        </button>
      )}
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.length === 0 && <p className="empty">No time off from today on.</p>}
      <ul className="cards">
        {list.data?.map((t) => {
          const when = formatRange(t.startsAt, t.endsAt, zone);
          return (
            <li key={t.id} className="card time-off-entry">
              <div className="card-head">
                <strong>{when}</strong>
                <div className="actions tight">
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`Delete time off: ${when}`}
                    onClick={() => {
                      setMessage(null);
                      setDeleting(t);
                    }}
                  >
                    Delete
                  </button>
                </div>
              </div>
              {t.reason && <div className="small muted">{t.reason}</div>}
            </li>
          );
        })}
      </ul>
      {adding && (
        <AddTimeOffDialog
          clinicianId={clinicianId}
          zone={zone}
          onClose={() => setAdding(false)}
          onAdded={(entry) => {
            setAdding(false);
            setMessage(`Time off added: ${formatRange(entry.startsAt, entry.endsAt, zone)}.`);
            list.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteTimeOffDialog
          clinicianId={clinicianId}
          entry={deleting}
          zone={zone}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            setMessage('Time off deleted.');
            list.reload();
          }}
        />
      )}
    </section>
  );
}

function AddTimeOffDialog({
  clinicianId,
  zone,
  onClose,
  onAdded,
}: {
  clinicianId: string;
  zone: string;
  onClose: () => void;
  onAdded: (entry: TimeOffEntry) => void;
}) {
  const { call } = useStaff();
  const tomorrow = DateTime.now().setZone(zone).startOf('day').plus({ days: 1 });
  const [startsAt, setStartsAt] = useState(() => localInput(tomorrow.set({ hour: 9 })));
  const [endsAt, setEndsAt] = useState(() => localInput(tomorrow.set({ hour: 17 })));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Read in the clinician's zone, whatever zone the browser is in.
  const instant = (local: string) => DateTime.fromISO(local, { zone });
  const backwards =
    instant(endsAt).isValid && instant(startsAt).isValid && instant(endsAt) <= instant(startsAt);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (backwards) return;
    setBusy(true);
    setError(null);
    try {
      const body: { startsAt: string; endsAt: string; reason?: string } = {
        startsAt: iso(instant(startsAt)),
        endsAt: iso(instant(endsAt)),
      };
      if (reason.trim()) body.reason = reason.trim();
      onAdded(await call<TimeOffEntry>(`/api/clinicians/${clinicianId}/time-off`, { method: 'POST', body }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const formId = 'time-off-form';
  return (
    <Dialog
      title="Add time off"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} disabled={busy || backwards}>
            {busy ? 'Saving…' : 'Add time off'}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={(e) => void submit(e)}>
        <p className="muted small">In {formatZone(zone)}.</p>
        <TextField
          label="Starts"
          type="datetime-local"
          required
          value={startsAt}
          onValue={setStartsAt}
          error={fieldError(error, '/startsAt')}
        />
        <TextField
          label="Ends"
          type="datetime-local"
          required
          value={endsAt}
          onValue={setEndsAt}
          error={backwards ? 'The end must be after the start.' : fieldError(error, '/endsAt')}
        />
        <TextField
          label="Reason"
          hint="Only staff see it."
          multiline
          maxLength={500}
          value={reason}
          onValue={setReason}
          error={fieldError(error, '/reason')}
        />
        <FormError error={error} fields={['/startsAt', '/endsAt', '/reason']} />
      </form>
    </Dialog>
  );
}

function DeleteTimeOffDialog({
  clinicianId,
  entry,
  zone,
  onClose,
  onDeleted,
}: {
  clinicianId: string;
  entry: TimeOffEntry;
  zone: string;
  onClose: () => void;
  onDeleted: () => void;
}) {
  return (
    <ConfirmDeleteDialog
      title="Delete time off?"
      path={`/api/clinicians/${clinicianId}/time-off/${entry.id}`}
      onClose={onClose}
      onDeleted={onDeleted}
    >
      <p>{formatRange(entry.startsAt, entry.endsAt, zone)}</p>
      <p className="muted">Clients will be able to request these times again, inside your availability.</p>
    </ConfirmDeleteDialog>
  );
}
