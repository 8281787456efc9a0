import { useState } from 'react';
import { Attendance } from './Attendance';
import { BookAppointmentButton } from './BookAppointmentDialog';
import { CancelAppointmentButton } from './CancelAppointmentDialog';
import { RescheduleAction } from './RescheduleDialog';
import { DateTime } from 'luxon';
import {
  appointmentStatusLabel,
  formatDay,
  formatTime,
  formatZone,
  fullName,
  iso,
  isoDate,
  weekStart,
} from '../format';
import { useSearchParam } from '../router';
import {
  Alert,
  ErrorAlert,
  Loading,
  PageHeading,
  SelectField,
  StatusBadge,
  WeekNav,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';
import { isClinician, managesPractice, type CalendarEntry, type StaffUser } from './types';

const canceled = (a: CalendarEntry) =>
  a.status === 'canceled' || a.status === 'late_canceled' || a.status === 'clinician_canceled';

/** The calendar as a list: a week of appointments by day, with statuses. */
export function Calendar() {
  const { call, zone, user } = useStaff();
  const [week, setWeek] = useSearchParam('week');
  const manager = managesPractice(user);
  const [clinicianId, setClinicianId] = useState(manager ? '' : user.id);
  const start = weekStart(week, zone);
  const end = start.plus({ weeks: 1 });
  const clinicians = useLoad(
    (signal) => (manager ? call<StaffUser[]>('/api/clinicians', { signal }) : Promise.resolve([user])),
    [manager, call],
  );
  const list = useLoad(
    (signal) => {
      const q = new URLSearchParams({ from: iso(start), to: iso(end) });
      if (clinicianId) q.set('clinicianId', clinicianId);
      return call<CalendarEntry[]>(`/api/appointments?${q}`, { signal });
    },
    [iso(start), clinicianId, call],
  );
  const nameOf = (id: string) => {
    const c = clinicians.data?.find((x) => x.id === id);
    return c ? fullName(c) : '';
  };
  // Reschedule dialogs: the time is the appointment's clinician's, as their availability is.
  const zoneOf = (id: string) => clinicians.data?.find((x) => x.id === id)?.timeZone ?? zone;
  const done = useSuccessMessage();
  const days = Array.from({ length: 7 }, (_, i) => start.plus({ days: i }));
  const rows = list.data ?? [];

  return (
    <>
      <PageHeading title="Calendar">Calendar</PageHeading>
      <div className="toolbar">
        {manager && (
          <SelectField label="Clinician" value={clinicianId} onValue={setClinicianId}>
            <option value="">All clinicians</option>
            {(clinicians.data ?? []).filter(isClinician).map((c) => (
              <option key={c.id} value={c.id}>
                {fullName(c)}
              </option>
            ))}
          </SelectField>
        )}
        <div className="toolbar-buttons">
          <BookAppointmentButton
            clinicians={clinicians.data ?? []}
            clinicianId={clinicianId}
            onBooked={list.reload}
          />
        </div>
      </div>
      <WeekNav start={start} onChange={setWeek} />
      <p className="muted small">Times are shown in {formatZone(zone)}.</p>
      {done.message && <Alert kind="success">{done.message}</Alert>}
      {list.loading && !list.data && <Loading />}
      <ErrorAlert
        error={list.error ?? clinicians.error}
        onRetry={list.error ? list.reload : clinicians.reload}
      />
      {list.data && rows.length === 0 && <p className="empty">No appointments this week.</p>}
      {rows.length > 0 &&
        days.map((day) => {
          const todays = rows.filter((a) => DateTime.fromISO(a.startsAt, { zone }).hasSame(day, 'day'));
          if (todays.length === 0) return null;
          return (
            <section key={isoDate(day)} className="calendar-day" aria-label={formatDay(day)}>
              <h2 className="day-heading">{formatDay(day)}</h2>
              <ul className="cards">
                {todays.map((a) => (
                  <li key={a.id} className={`card appointment status-${a.status}`}>
                    <div className="card-head">
                      <strong>
                        {formatTime(a.startsAt, zone)} – {formatTime(a.endsAt, zone)}
                      </strong>
                      <StatusBadge status={a.status} label={appointmentStatusLabel[a.status]} />
                    </div>
                    <div>
                      {fullName(a.client)} · {a.service.name}
                      {manager && !clinicianId && nameOf(a.clinicianId) && (
                        <> · with {nameOf(a.clinicianId)}</>
                      )}
                    </div>
                    {canceled(a) && (
                      <div className="small muted">
                        Canceled by {a.canceledBy === 'staff' ? 'the practice' : 'the client'}
                        {a.cancelReason ? `: “${a.cancelReason}”` : ''}
                      </div>
                    )}
                    <Attendance entry={a} onMarked={list.reload} />
                    <CancelAppointmentButton entry={a} onCanceled={list.reload} />
                    <RescheduleAction
                      entry={a}
                      zone={zoneOf(a.clinicianId)}
                      onMoved={(message) => {
                        done.show(message);
                        list.reload();
                      }}
                    />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
    </>
  );
}
