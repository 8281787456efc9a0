import { useState } from 'react';
import type { BodyOf } from '../generated/api';
import { ErrorAlert } from '../ui';
import { useStaff } from './context';
import type { CalendarEntry } from './types';

type Mark = BodyOf<'POST /api/appointments/{id}/attendance'>['status'];

/**
 * Show / No Show on one calendar entry. Offered once the appointment has started (the API refuses earlier),
 * for scheduled ones and to correct an earlier mark; canceled ones have no attendance.
 */
export function Attendance({ entry, onMarked }: { entry: CalendarEntry; onMarked: () => void }) {
  const { call } = useStaff();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The server's verdict, not the browser's clock: the API refuses a mark before the start by its own time.
  const started = entry.started;
  const markable = entry.status === 'scheduled' || entry.status === 'show' || entry.status === 'no_show';
  if (!started || !markable) return null;

  const mark = async (status: Mark) => {
    setBusy(true);
    setError(null);
    try {
      await call(`/api/appointments/${entry.id}/attendance`, { method: 'POST', body: { status } });
      onMarked();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const who = `${entry.client.firstName} ${entry.client.lastName}`;
  return (
    <>
      <div className="actions tight" role="group" aria-label={`Attendance of ${who}`}>
        {entry.status !== 'show' && (
          <button type="button" className="secondary small" disabled={busy} onClick={() => void mark('show')}>
            {entry.status === 'no_show' ? 'Change to show' : 'Mark as show'}
          </button>
        )}
        {entry.status !== 'no_show' && (
          <button
            type="button"
            className="secondary small"
            disabled={busy}
            onClick={() => void mark('no_show')}
          >
            {entry.status === 'show' ? 'Change to no show' : 'Mark as no show'}
          </button>
        )}
      </div>
      <ErrorAlert error={error} />
    </>
  );
}
