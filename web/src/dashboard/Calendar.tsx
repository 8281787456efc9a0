import { useEffect, useId, useState } from 'react';
import { DateTime } from 'luxon';
import { BookAppointmentButton, BookAppointmentDialog } from './BookAppointmentDialog';
import { CalendarEntryDialog } from './CalendarEntryDialog';
import { CalendarGrid, type CalendarData, type GridColumn } from './CalendarGrid';
import { browserZone, formatDay, formatZone, fullName, iso, isoDate, weekStart } from '../format';
import { useSearchParam } from '../router';
import {
  Alert,
  ErrorAlert,
  Loading,
  PageHeading,
  SelectField,
  WeekNav,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';
import { isClinician, managesPractice, type CalendarEntry, type StaffUser } from './types';

type View = 'week' | 'day';

// The phone layout's breakpoint (styles.css): a week's seven columns do not fit under it, one day does.
const NARROW = '(max-width: 40rem)';

/** Whether the screen is phone-narrow now, following rotation and window resizes. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const change = () => setNarrow(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return narrow;
}

/** Previous / next day, the day shown, and a date to jump to (WeekNav's day-sized sibling). */
function DayNav({ day, onChange }: { day: DateTime; onChange: (date: string) => void }) {
  const id = useId();
  return (
    <div className="week-nav">
      <div className="week-nav-row">
        <button type="button" className="secondary" onClick={() => onChange(isoDate(day.minus({ days: 1 })))}>
          <span aria-hidden="true">← </span>Previous day
        </button>
        <h3 className="week-label" aria-live="polite">
          {formatDay(day)}
        </h3>
        <button type="button" className="secondary" onClick={() => onChange(isoDate(day.plus({ days: 1 })))}>
          Next day<span aria-hidden="true"> →</span>
        </button>
      </div>
      <div className="week-jump">
        <label htmlFor={id}>Go to the day</label>
        <input
          id={id}
          type="date"
          value={isoDate(day)}
          onChange={(e) => {
            if (e.target.value) onChange(e.target.value);
          }}
        />
      </div>
    </div>
  );
}

/**
 * The calendar as a grid: a clinician's week (desktop) or day (phones), or every clinician's day side by side for
 * admins and managers, in the clinician's time zone. A free time books, an appointment opens its actions. The
 * `week` parameter keeps the date shown (any day of the week in week view, the day itself in day view).
 */
export function Calendar() {
  const { call, zone, user } = useStaff();
  const manager = managesPractice(user);
  const [dateParam, setDate] = useSearchParam('week');
  const [viewParam, setView] = useSearchParam('view');
  const [clinicianParam, setClinician] = useSearchParam('clinician');
  const narrow = useNarrow();
  const view: View = viewParam === 'day' || viewParam === 'week' ? viewParam : narrow ? 'day' : 'week';

  const clinicians = useLoad(
    (signal) => (manager ? call<StaffUser[]>('/api/clinicians', { signal }) : Promise.resolve([user])),
    [manager, call],
  );
  const choosable = manager ? (clinicians.data ?? []).filter(isClinician) : [user];
  // '' is every clinician side by side: a day's columns; a week shows one clinician, the first unless chosen.
  const wanted = manager ? (clinicianParam ?? '') : user.id;
  const clinicianId = view === 'week' && wanted === '' ? (choosable[0]?.id ?? '') : wanted;
  const clinician = choosable.find((c) => c.id === clinicianId);
  // The dialogs' rule: a clinician's own zone, else the viewer's; all clinicians together in the viewer's.
  const zoneOf = (c: StaffUser | undefined) => c?.timeZone ?? zone;
  const gridZone = zoneOf(clinician);

  const day = (() => {
    const parsed = dateParam ? DateTime.fromISO(dateParam, { zone: gridZone }) : null;
    return (parsed?.isValid ? parsed : DateTime.now().setZone(gridZone)).startOf('day');
  })();
  const start = view === 'week' ? weekStart(isoDate(day), gridZone) : day;
  const end = start.plus(view === 'week' ? { weeks: 1 } : { days: 1 });
  const ready = clinicians.data !== undefined;

  const query = new URLSearchParams({ from: iso(start), to: iso(end) });
  if (clinicianId) query.set('clinicianId', clinicianId);
  const wantedQuery = query.toString();
  const calendar = useLoad(
    async (signal) => {
      if (!ready) return null;
      const answer = await call<CalendarData>(`/api/calendar?${wantedQuery}`, { signal });
      return { query: wantedQuery, answer };
    },
    [wantedQuery, ready, call],
  );
  // The last answer stays while the next loads: drawn under another day's or clinician's columns it would lie.
  const data = calendar.data?.query === wantedQuery ? calendar.data.answer : undefined;

  const done = useSuccessMessage();
  const [booking, setBooking] = useState<{ clinicianId: string; startsAt: string } | null>(null);
  // The entry as opened, refreshed from each answer that has it: a re-query that lacks it for a moment (a phone
  // rotated into week view, a window resized) must not close its actions, or a half-filled cancelation with them.
  const [openEntry, setOpenEntry] = useState<CalendarEntry | null>(null);
  const opened = openEntry && (data?.appointments.find((a) => a.id === openEntry.id) ?? openEntry);
  const nameOf = (id: string) => {
    const c = choosable.find((x) => x.id === id);
    return c ? fullName(c) : '';
  };

  const columns: GridColumn[] =
    view === 'week'
      ? Array.from({ length: 7 }, (_, i) => {
          const d = start.plus({ days: i });
          return {
            key: isoDate(d),
            day: d,
            clinicianId,
            heading: d.toLocaleString({ weekday: 'short', month: 'short', day: 'numeric' }),
          };
        })
      : clinicianId
        ? [{ key: isoDate(start), day: start, clinicianId, heading: formatDay(start) }]
        : choosable.map((c) => ({
            key: c.id,
            day: start,
            clinicianId: c.id,
            heading: fullName(c),
            bookFor: fullName(c),
          }));
  const device = browserZone();
  const nothing = data && data.appointments.length === 0 && data.holds.length === 0;

  return (
    <>
      <PageHeading title="Calendar">Calendar</PageHeading>
      <div className="toolbar">
        <div className="toolbar-buttons">
          <div className="segmented" role="group" aria-label="Show">
            {(['week', 'day'] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => {
                  setView(v);
                  if (v === 'day' && view === 'week' && !dateParam)
                    setDate(isoDate(DateTime.now().setZone(gridZone)));
                }}
              >
                {v === 'week' ? 'Week' : 'Day'}
              </button>
            ))}
          </div>
          <button type="button" className="secondary" onClick={() => setDate(null)}>
            Today
          </button>
        </div>
        {manager && (
          <SelectField label="Clinician" value={clinicianId} onValue={(v) => setClinician(v || null)}>
            {view === 'day' && <option value="">All clinicians, side by side</option>}
            {choosable.map((c) => (
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
            onBooked={calendar.reload}
          />
        </div>
      </div>
      {view === 'week' ? (
        <WeekNav start={start} onChange={setDate} />
      ) : (
        <DayNav day={start} onChange={setDate} />
      )}
      <p className="muted small cal-zone">
        Times are shown in {formatZone(gridZone)}
        {clinician && clinicianId && manager ? `, ${fullName(clinician)}'s time zone` : ''}.
        {gridZone !== device && <strong> This device is set to {formatZone(device)}.</strong>}
      </p>
      {done.message && <Alert kind="success">{done.message}</Alert>}
      {!data && !calendar.error && <Loading />}
      <ErrorAlert
        error={calendar.error ?? clinicians.error}
        onRetry={calendar.error ? calendar.reload : clinicians.reload}
      />
      {nothing && (
        <p className="muted">
          {view === 'week' ? 'No appointments this week.' : 'No appointments this day.'}
        </p>
      )}
      {data && columns.length > 0 && (
        <CalendarGrid
          columns={columns}
          zone={gridZone}
          data={data}
          // A new action starts: the last one's message is history.
          onBook={(id, at) => {
            done.clear();
            setBooking({ clinicianId: id, startsAt: iso(at) });
          }}
          onOpen={(a) => {
            done.clear();
            setOpenEntry(a);
          }}
        />
      )}
      {data && columns.length === 0 && <p className="empty">The practice has no clinicians yet.</p>}
      <p className="cal-legend small muted" aria-hidden="true">
        <span>
          <span className="cal-key cal-key-available" /> Open for online requests
        </span>
        <span>
          <span className="cal-key cal-key-hold" /> Pending request
        </span>
        <span>
          <span className="cal-key cal-key-off" /> Time off
        </span>
      </p>
      {booking && (
        <BookAppointmentDialog
          clinicians={clinicians.data ?? []}
          clinicianId={booking.clinicianId}
          startsAt={booking.startsAt}
          onClose={() => setBooking(null)}
          onBooked={() => {
            setBooking(null);
            done.show('Booked. The client gets a confirmation by email.');
            calendar.reload();
          }}
        />
      )}
      {opened && (
        <CalendarEntryDialog
          entry={opened}
          zone={zoneOf(choosable.find((c) => c.id === opened.clinicianId))}
          clinicianName={manager ? nameOf(opened.clinicianId) : ''}
          onClose={() => setOpenEntry(null)}
          onChanged={calendar.reload}
          onBookHere={() => {
            setOpenEntry(null);
            setBooking({ clinicianId: opened.clinicianId, startsAt: opened.startsAt });
          }}
          onMoved={(message) => {
            setOpenEntry(null);
            done.show(message);
            calendar.reload();
          }}
        />
      )}
    </>
  );
}
