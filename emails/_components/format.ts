/** A moment in time as templates accept it: a Date, or an ISO 8601 string as it arrives through Temporal. */
export type Instant = Date | string;

/** The slot fields every appointment email carries; `timeZone` is the recipient's IANA zone. */
export interface SlotProps {
  startsAt: Instant;
  endsAt: Instant;
  timeZone: string;
}

// Emails are written in US English; the zone, not the locale, decides the wall-clock time shown.
const LOCALE = 'en-US';

/** Parses an Instant, failing loudly rather than printing "Invalid Date" to a client. */
export function toDate(value: Instant): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid date: ${String(value)}`);
  return date;
}

/** Long date and time in the given zone, e.g. "Tuesday, November 3, 2026 at 10:00 AM EST". */
export function formatDateTime(value: Instant, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(toDate(value));
}

/** Compact date and time for subject lines, e.g. "Tue, Nov 3, 10:00 AM EST". */
export function formatShortDateTime(value: Instant, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(toDate(value));
}

/** Real elapsed minutes between two instants (a slot across a DST change keeps its true length). */
export function durationMinutes(startsAt: Instant, endsAt: Instant): number {
  return Math.round((toDate(endsAt).getTime() - toDate(startsAt).getTime()) / 60_000);
}

/**
 * A slot as one line: start in the recipient's zone plus its length.
 * Start + duration rather than "start – end": Intl's formatRange prints one zone name for both ends,
 * which is wrong for a slot that crosses a DST change (1:30 AM EDT – 1:20 AM EST).
 */
export function formatSlot({ startsAt, endsAt, timeZone }: SlotProps): string {
  const minutes = new Intl.NumberFormat(LOCALE, {
    style: 'unit',
    unit: 'minute',
    unitDisplay: 'long',
  }).format(durationMinutes(startsAt, endsAt));
  return `${formatDateTime(startsAt, timeZone)} (${minutes})`;
}
