import { useState } from 'react';
import { appointmentStatusLabel, formatRange, formatZone, fullName } from '../format';
import { Dialog, StatusBadge } from '../ui';
import { Attendance } from './Attendance';
import { CancelAppointmentDialog } from './CancelAppointmentDialog';
import { RescheduleAction } from './RescheduleDialog';
import type { CalendarEntry } from './types';

const canceled = (a: CalendarEntry) =>
  a.status === 'canceled' || a.status === 'late_canceled' || a.status === 'clinician_canceled';

/**
 * One appointment opened from the calendar: when, who, its status, and what can be done to it now (cancel,
 * reschedule, attendance); each action offers itself only when the server would allow it.
 */
export function CalendarEntryDialog({
  entry,
  zone,
  clinicianName,
  onClose,
  onChanged,
  onMoved,
  onBookHere,
}: {
  entry: CalendarEntry;
  /** The clinician's zone, in which the times are said and a new time is entered. */
  zone: string;
  clinicianName: string;
  onClose: () => void;
  onChanged: () => void;
  onMoved: (message: string) => void;
  /** Books another client into the time a cancelation freed (the grid's free cells lie under the canceled entry). */
  onBookHere: () => void;
}) {
  const [canceling, setCanceling] = useState(false);
  // The list's "Cancel" would read as closing this dialog; here the button names what it cancels.
  const cancelable = entry.status === 'scheduled' && !entry.started;
  return (
    <Dialog
      title={`${fullName(entry.client)}, ${entry.service.name}`}
      onClose={onClose}
      footer={
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      }
    >
      <div className="card-head">
        <strong>{formatRange(entry.startsAt, entry.endsAt, zone)}</strong>
        <StatusBadge status={entry.status} label={appointmentStatusLabel[entry.status] ?? entry.status} />
      </div>
      <p className="muted small">
        {clinicianName && <>With {clinicianName}. </>}
        Times in {formatZone(zone)}.
      </p>
      {canceled(entry) && (
        <p className="small muted">
          Canceled by {entry.canceledBy === 'staff' ? 'the practice' : 'the client'}
          {entry.cancelReason ? `: “${entry.cancelReason}”` : ''}
        </p>
      )}
      <div className="cal-actions">
        <Attendance entry={entry} onMarked={onChanged} />
        {cancelable && (
          <div className="actions tight">
            <button
              type="button"
              className="secondary small"
              aria-label={`Cancel the appointment of ${fullName(entry.client)}`}
              onClick={() => setCanceling(true)}
            >
              Cancel appointment
            </button>
          </div>
        )}
        <RescheduleAction entry={entry} zone={zone} onMoved={onMoved} />
      </div>
      {canceled(entry) && (
        <div className="actions">
          <button type="button" className="secondary small" onClick={onBookHere}>
            Book this time for another client
          </button>
        </div>
      )}
      {canceling && (
        <CancelAppointmentDialog
          entry={entry}
          onClose={() => setCanceling(false)}
          onCanceled={() => {
            setCanceling(false);
            onChanged();
          }}
        />
      )}
    </Dialog>
  );
}
