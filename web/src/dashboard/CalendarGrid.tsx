import { useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { DateTime } from 'luxon';
import { appointmentStatusLabel, formatTime, fullName, isoDate } from '../format';
import { Link } from '../router';
import type { AvailabilityWindow, CalendarEntry, CalendarHold, CalendarTimeOff } from './types';

/** One column of the grid: a day of one clinician. */
export interface GridColumn {
  key: string;
  /** Midnight of the column's day in the grid's zone. */
  day: DateTime;
  clinicianId: string;
  /** What the column head says: the day (week view) or the clinician (all clinicians' day). */
  heading: string;
  /** Added to the labels of free times when columns are clinicians, so "Book" says for whom. */
  bookFor?: string;
}

export interface CalendarData {
  appointments: CalendarEntry[];
  holds: CalendarHold[];
  timeOff: CalendarTimeOff[];
  availability: AvailabilityWindow[];
}

// Half an hour is the booking grid a person picks from; an hour is two rows of a comfortable touch height.
const SLOT_MINUTES = 30;
const ROW_PX = 30;
const DEFAULT_FIRST_HOUR = 7;
const DEFAULT_LAST_HOUR = 20;

const isCanceled = (a: CalendarEntry) =>
  a.status === 'canceled' || a.status === 'late_canceled' || a.status === 'clinician_canceled';

/** Minutes after the column's midnight, clipped to the day (a span from yesterday starts at 0). */
function minuteOfDay(instant: string, day: DateTime): number {
  const t = DateTime.fromISO(instant, { zone: day.zone });
  if (t < day) return 0;
  if (t >= day.plus({ days: 1 })) return 24 * 60;
  return t.hour * 60 + t.minute;
}

/**
 * The hours the grid shows: 7:00 to 20:00, stretched to whole hours around any appointment, hold or availability
 * window of the columns' days that falls outside (time off, often whole days, never stretches it).
 */
export function gridHours(columns: GridColumn[], data: CalendarData): { first: number; last: number } {
  let first = DEFAULT_FIRST_HOUR * 60;
  let last = DEFAULT_LAST_HOUR * 60;
  const spans = [...data.appointments, ...data.holds, ...data.availability];
  for (const c of columns)
    for (const s of spans) {
      if (s.clinicianId !== c.clinicianId) continue;
      const start = minuteOfDay(s.startsAt, c.day);
      const end = minuteOfDay(s.endsAt, c.day);
      if (end <= 0 || start >= 24 * 60 || end <= start) continue;
      first = Math.min(first, start);
      last = Math.max(last, end);
    }
  return { first: Math.floor(first / 60), last: Math.ceil(last / 60) };
}

interface Placed {
  top: number;
  height: number;
  lane: number;
  lanes: number;
}

/** Side-by-side lanes for entries that overlap (a canceled appointment and the one booked in its place). */
function placeInLanes<T extends { startsAt: string; endsAt: string }>(
  items: T[],
  day: DateTime,
  firstMinute: number,
  lastMinute: number,
): (T & Placed)[] {
  const sorted = [...items].sort(
    (a, b) => a.startsAt.localeCompare(b.startsAt) || a.endsAt.localeCompare(b.endsAt),
  );
  const placed: (T & Placed)[] = [];
  let cluster: (T & Placed)[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -1;
  const close = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const item of sorted) {
    const start = Math.max(minuteOfDay(item.startsAt, day), firstMinute);
    const end = Math.min(minuteOfDay(item.endsAt, day), lastMinute);
    if (end <= start) continue;
    if (start >= clusterEnd) close();
    let lane = laneEnds.findIndex((e) => e <= start);
    if (lane === -1) lane = laneEnds.push(end) - 1;
    else laneEnds[lane] = end;
    clusterEnd = Math.max(clusterEnd, end);
    const p = { ...item, top: start - firstMinute, height: end - start, lane, lanes: 1 };
    cluster.push(p);
    placed.push(p);
  }
  close();
  return placed;
}

const px = (minutes: number) => (minutes / SLOT_MINUTES) * ROW_PX;
const spanStyle = (p: Placed): CSSProperties => ({
  top: px(p.top),
  height: Math.max(px(p.height), ROW_PX / 2),
  left: `calc(${(p.lane / p.lanes) * 100}% + 2px)`,
  width: `calc(${100 / p.lanes}% - 4px)`,
});
const hhmm = (instant: string, zone: string) => DateTime.fromISO(instant, { zone }).toFormat('HH:mm');
const dayLabel = (day: DateTime) => day.toFormat('cccc d LLL');

/** What a screen reader says for an appointment: who, what, when and its status. */
export function appointmentLabel(a: CalendarEntry, zone: string): string {
  const day = DateTime.fromISO(a.startsAt, { zone });
  return (
    `${fullName(a.client)}, ${a.service.name}, ${dayLabel(day)} ` +
    `${hhmm(a.startsAt, zone)}–${hhmm(a.endsAt, zone)}, ${appointmentStatusLabel[a.status] ?? a.status}`
  );
}

/**
 * The week or day grid: a column per day (or per clinician), hours down the side; availability shaded, time off
 * blocked, appointments and pending requests placed at their times. Every appointment and each free half hour is
 * a button: one Tab stop for the whole grid, arrow keys between them (Home / End: a column's first and last),
 * Enter opens it.
 */
export function CalendarGrid({
  columns,
  zone,
  data,
  onBook,
  onOpen,
}: {
  columns: GridColumn[];
  zone: string;
  data: CalendarData;
  onBook: (clinicianId: string, startsAt: DateTime) => void;
  onOpen: (entry: CalendarEntry) => void;
}) {
  const { first, last } = gridHours(columns, data);
  const firstMinute = first * 60;
  const lastMinute = last * 60;
  const hours = Array.from({ length: last - first }, (_, i) => first + i);
  const gridRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<string | null>(null);
  const today = DateTime.now().setZone(zone).startOf('day');

  const columnItems = columns.map((column) => {
    const mine = <T extends { clinicianId: string }>(rows: T[]) =>
      rows.filter((r) => r.clinicianId === column.clinicianId);
    const dayEnd = column.day.plus({ days: 1 });
    const within = <T extends { startsAt: string; endsAt: string }>(rows: T[]) =>
      rows.filter(
        (r) =>
          DateTime.fromISO(r.startsAt, { zone }) < dayEnd &&
          DateTime.fromISO(r.endsAt, { zone }) > column.day,
      );
    const appointments = within(mine(data.appointments));
    const holds = within(mine(data.holds));
    const timeOff = within(mine(data.timeOff));
    const availability = within(mine(data.availability));
    const busy = [...appointments.filter((a) => !isCanceled(a)), ...holds, ...timeOff].map((b) => ({
      start: DateTime.fromISO(b.startsAt, { zone }),
      end: DateTime.fromISO(b.endsAt, { zone }),
    }));
    const free: DateTime[] = [];
    for (let m = firstMinute; m < lastMinute; m += SLOT_MINUTES) {
      // By wall clock, not minutes since midnight: on a day the clocks change, 9:00 is still 9:00.
      const start = column.day.set({ hour: Math.floor(m / 60), minute: m % 60 });
      const end = start.plus({ minutes: SLOT_MINUTES });
      // A skipped hour's wall times land on the same instant as the hour after: offered once.
      if (free.at(-1)?.toMillis() === start.toMillis()) continue;
      if (!busy.some((b) => b.start < end && b.end > start)) free.push(start);
    }
    return {
      column,
      entries: placeInLanes(
        [
          ...appointments.map((a) => ({
            kind: 'appointment' as const,
            startsAt: a.startsAt,
            endsAt: a.endsAt,
            a,
          })),
          ...holds.map((h) => ({ kind: 'hold' as const, startsAt: h.startsAt, endsAt: h.endsAt, h })),
        ],
        column.day,
        firstMinute,
        lastMinute,
      ),
      timeOff: placeInLanes(timeOff, column.day, firstMinute, lastMinute).map((t) => ({
        ...t,
        lane: 0,
        lanes: 1,
      })),
      availability: placeInLanes(availability, column.day, firstMinute, lastMinute).map((w) => ({
        ...w,
        lane: 0,
        lanes: 1,
      })),
      free,
    };
  });

  // The roving Tab stop: the one remembered, else the first appointment, else the first free time from 9:00.
  const keys = columnItems.flatMap(({ column, entries, free }) => [
    ...entries.flatMap((e) => (e.kind === 'appointment' ? [`a:${e.a.id}:${column.key}`] : [])),
    ...free.map((f) => `f:${column.key}:${f.toMillis()}`),
  ]);
  const fallback =
    keys.find((k) => k.startsWith('a:')) ??
    columnItems
      .flatMap(({ column, free }) =>
        free.filter((f) => f.hour >= 9).map((f) => `f:${column.key}:${f.toMillis()}`),
      )
      .at(0) ??
    keys[0];
  const tabStop = active && keys.includes(active) ? active : fallback;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const col = target.dataset.col;
    if (col === undefined || !gridRef.current) return;
    const all = [...gridRef.current.querySelectorAll<HTMLElement>('[data-nav]')];
    const inColumn = (c: number) =>
      all
        .filter((el) => Number(el.dataset.col) === c)
        .sort((a, b) => Number(a.dataset.at) - Number(b.dataset.at));
    const here = inColumn(Number(col));
    const at = Number(target.dataset.at);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = here[here.indexOf(target) + 1];
    else if (e.key === 'ArrowUp') next = here[here.indexOf(target) - 1];
    else if (e.key === 'Home') next = here[0];
    else if (e.key === 'End') next = here[here.length - 1];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const other = inColumn(Number(col) + (e.key === 'ArrowLeft' ? -1 : 1));
      // The same time of day in the next column, or the nearest thing to it.
      next = [...other].sort(
        (a, b) => Math.abs(Number(a.dataset.at) - at) - Math.abs(Number(b.dataset.at) - at),
      )[0];
    } else return;
    e.preventDefault();
    if (next) {
      setActive(next.dataset.nav!);
      next.focus();
    }
  };

  const style = { '--columns': columns.length, '--rows': hours.length * 2 } as CSSProperties;
  return (
    <div className="cal-scroll">
      <div className="cal-grid" style={style} ref={gridRef} onKeyDown={onKeyDown}>
        <div className="cal-corner" aria-hidden="true" />
        {columns.map((c) => (
          <div
            key={c.key}
            className={`cal-head${c.day.hasSame(today, 'day') && !c.bookFor ? ' today' : ''}`}
            role="presentation"
          >
            {c.heading}
          </div>
        ))}
        <div className="cal-hours" aria-hidden="true" style={{ height: px(lastMinute - firstMinute) }}>
          {hours.map((h) => (
            <div key={h} className="cal-hour" style={{ top: px(h * 60 - firstMinute) }}>
              {DateTime.fromObject({ hour: h }).toLocaleString({ hour: 'numeric' })}
            </div>
          ))}
        </div>
        {columnItems.map(({ column, entries, timeOff, availability, free }, colIndex) => (
          <section
            key={column.key}
            className="cal-column"
            aria-label={column.bookFor ? `${column.bookFor}, ${dayLabel(column.day)}` : dayLabel(column.day)}
            style={{ height: px(lastMinute - firstMinute) }}
            data-day={isoDate(column.day)}
          >
            {availability.map((w) => (
              <div
                key={`w${w.startsAt}`}
                className="cal-available"
                style={{ top: px(w.top), height: px(w.height) }}
              >
                <span className="visually-hidden">
                  Open for online requests {hhmm(w.startsAt, zone)}–{hhmm(w.endsAt, zone)}
                </span>
              </div>
            ))}
            {free.map((f) => {
              const key = `f:${column.key}:${f.toMillis()}`;
              const minute = f.hour * 60 + f.minute;
              return (
                <button
                  key={key}
                  type="button"
                  className="cal-free"
                  style={{ top: px(minute - firstMinute), height: ROW_PX }}
                  tabIndex={key === tabStop ? 0 : -1}
                  data-nav={key}
                  data-col={colIndex}
                  data-at={minute}
                  aria-label={`Book ${column.bookFor ? `${column.bookFor}, ` : ''}${dayLabel(f)} ${f.toFormat('HH:mm')}`}
                  onFocus={() => setActive(key)}
                  onClick={() => onBook(column.clinicianId, f)}
                >
                  <span aria-hidden="true">+ {f.toFormat('HH:mm')}</span>
                </button>
              );
            })}
            {timeOff.map((t) => (
              <div key={t.id} className="cal-time-off" style={spanStyle(t)}>
                <strong>Time off</strong>
                {t.reason && <span> · {t.reason}</span>}
                <span className="visually-hidden">
                  {' '}
                  {formatTime(t.startsAt, zone)} to {formatTime(t.endsAt, zone)}
                </span>
              </div>
            ))}
            {entries.map((e) => {
              if (e.kind === 'hold') {
                const h = e.h;
                return (
                  <Link
                    key={`h${h.requestId}`}
                    to="/app/requests"
                    className="cal-entry cal-hold"
                    style={spanStyle(e)}
                    aria-label={`Pending request: ${fullName(h.client)}, ${h.service.name}, ${hhmm(h.startsAt, zone)}–${hhmm(h.endsAt, zone)}${h.kind === 'reschedule' ? ', a move of an appointment' : ''}. Decide it under Appointment Requests`}
                  >
                    <span className="cal-entry-title">Pending request: {fullName(h.client)}</span>
                    <span className="cal-entry-time">
                      {formatTime(h.startsAt, zone)}
                      {h.kind === 'reschedule' ? ' · move' : ''}
                    </span>
                  </Link>
                );
              }
              const a = e.a;
              const key = `a:${a.id}:${column.key}`;
              return (
                <button
                  key={key}
                  type="button"
                  className={`cal-entry cal-appointment status-${a.status}`}
                  style={spanStyle(e)}
                  tabIndex={key === tabStop ? 0 : -1}
                  data-nav={key}
                  data-col={colIndex}
                  data-at={e.top + firstMinute}
                  aria-label={appointmentLabel(a, zone)}
                  onFocus={() => setActive(key)}
                  onClick={() => onOpen(a)}
                >
                  <span className="cal-entry-title">{fullName(a.client)}</span>
                  <span className="cal-entry-time">
                    {formatTime(a.startsAt, zone)} · {a.service.name}
                  </span>
                  <span className="cal-entry-status">{appointmentStatusLabel[a.status] ?? a.status}</span>
                </button>
              );
            })}
          </section>
        ))}
      </div>
    </div>
  );
}
