import { useState } from 'react';
import { DateTime } from 'luxon';
import { call } from '../api';
import { formatDay, formatLongDateTime, formatTime, iso, isoDate, weekStart } from '../format';
import { ErrorAlert, Loading, WeekNav, ZonePicker, useLoad, messageOf } from '../ui';
import type { Availability, Slot } from './types';

const SEARCH_WEEKS = 8;

/** A week of a clinician's offered slots in the chosen zone, with week navigation and the zone shown. */
export function SlotPicker({
  slug,
  clinicianId,
  serviceId,
  token,
  zone,
  onZoneChange,
  week,
  onWeekChange,
  onSelect,
  refreshKey = 0,
  practiceZone,
}: {
  slug: string;
  clinicianId: string;
  serviceId: string;
  token?: string | null;
  zone: string;
  onZoneChange: (zone: string) => void;
  week: string | null;
  onWeekChange: (date: string) => void;
  onSelect: (slot: Slot) => void;
  refreshKey?: number;
  /** Offered first in the time-zone picker. */
  practiceZone?: string;
}) {
  const start = weekStart(week, zone);
  const end = start.plus({ weeks: 1 });
  const fetchSlots = (from: DateTime, to: DateTime, signal?: AbortSignal) => {
    const q = new URLSearchParams({ clinicianId, serviceId, from: iso(from), to: iso(to), timeZone: zone });
    return call<Availability>(`/portal/${encodeURIComponent(slug)}/availability?${q}`, {
      token,
      signal,
    });
  };
  const slots = useLoad(
    (signal) => fetchSlots(start, end, signal),
    [iso(start), zone, clinicianId, serviceId, refreshKey],
  );
  const [search, setSearch] = useState<{ busy: boolean; message?: string }>({ busy: false });

  const findNext = async () => {
    setSearch({ busy: true });
    try {
      // The API answers at most 62 days at a time.
      for (let from = end; from < end.plus({ weeks: SEARCH_WEEKS }); from = from.plus({ weeks: 4 })) {
        const found = (await fetchSlots(from, from.plus({ weeks: 4 }))).slots[0];
        if (found) {
          setSearch({ busy: false });
          onWeekChange(isoDate(DateTime.fromISO(found.startsAt, { zone })));
          return;
        }
      }
      setSearch({
        busy: false,
        message: `No openings in the next ${SEARCH_WEEKS} weeks. Please contact the practice.`,
      });
    } catch (err) {
      setSearch({ busy: false, message: messageOf(err) });
    }
  };

  const days = Array.from({ length: 7 }, (_, i) => start.plus({ days: i }));
  const thisWeek = weekStart(null, zone);
  const list = slots.data?.slots ?? [];
  return (
    <section className="slot-picker" aria-label="Available times">
      <ZonePicker zone={zone} onChange={onZoneChange} suggested={[practiceZone]} />
      <WeekNav start={start} onChange={onWeekChange} canGoBack={start > thisWeek} />
      {slots.loading && <Loading label="Loading available times…" />}
      <ErrorAlert error={slots.error} onRetry={slots.reload} />
      {!slots.loading && !slots.error && list.length === 0 && (
        <div className="empty">
          <p>No openings this week.</p>
          <button type="button" className="secondary" onClick={() => void findNext()} disabled={search.busy}>
            {search.busy ? 'Looking…' : 'Find the next opening'}
          </button>
          {search.message && <p role="status">{search.message}</p>}
        </div>
      )}
      {!slots.loading && list.length > 0 && (
        <div className="days">
          {days.map((day) => {
            const daySlots = list.filter((s) => DateTime.fromISO(s.startsAt, { zone }).hasSame(day, 'day'));
            return (
              <div
                className={daySlots.length ? 'day' : 'day day-empty'}
                key={isoDate(day)}
                role="group"
                aria-label={formatDay(day)}
              >
                <h4>{formatDay(day)}</h4>
                {daySlots.length === 0 ? (
                  <p className="muted small">No times</p>
                ) : (
                  <ul className="times">
                    {daySlots.map((slot) => (
                      <li key={slot.startsAt}>
                        <button
                          type="button"
                          className="time"
                          aria-label={formatLongDateTime(slot.startsAt, zone)}
                          onClick={() => onSelect(slot)}
                        >
                          {formatTime(slot.startsAt, zone)}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
