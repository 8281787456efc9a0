import { DateTime, Duration, Interval } from 'luxon';

/** The browser's IANA time zone. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Every IANA zone the browser knows, with `extra` (the current choice) kept even if missing from the list. */
export function timeZones(extra: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes(extra) ? zones : [extra, ...zones];
}

export const inZone = (iso: string, zone: string) => DateTime.fromISO(iso, { zone });

/** "8:00 AM" */
export const formatTime = (iso: string, zone: string) =>
  inZone(iso, zone).toLocaleString(DateTime.TIME_SIMPLE);

/** "Monday, June 8" */
export const formatDay = (dt: DateTime) =>
  dt.toLocaleString({ weekday: 'long', month: 'long', day: 'numeric' });

/** "Mon, Jun 8, 2026, 8:00 AM CDT" */
export const formatDateTime = (iso: string, zone: string) =>
  inZone(iso, zone).toLocaleString({
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });

/** "Monday, June 8, 2026, 8:00 AM" for screen readers and summaries. */
export const formatLongDateTime = (iso: string, zone: string) =>
  inZone(iso, zone).toLocaleString({
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });

/** "Mon, Jun 8, 8:00 – 8:30 AM" */
export const formatRange = (startIso: string, endIso: string, zone: string) =>
  Interval.fromDateTimes(inZone(startIso, zone), inZone(endIso, zone)).toLocaleString({
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });

/** "Jun 7 – 13, 2026" */
export const formatWeek = (start: DateTime) =>
  Interval.fromDateTimes(start, start.plus({ days: 6 })).toLocaleString(DateTime.DATE_MED);

/** "Central Time": the zone's generic name, right in summer and winter alike. */
export function zoneName(zone: string): string {
  const name = new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  return name ?? zone;
}

/** "Central Time (America/Chicago)" */
export function formatZone(zone: string): string {
  const name = zoneName(zone);
  const id = zone.replace(/_/g, ' ');
  return name === zone ? id : `${name} (${id})`;
}

/** "2 hr, 5 min" from a number of minutes; "less than a minute" for 0. */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return 'less than a minute';
  const d = Duration.fromObject({ minutes }).shiftTo('days', 'hours', 'minutes').toObject();
  const parts = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== 0));
  return Duration.fromObject(parts).toHuman({ unitDisplay: 'short' });
}

/** The first day of the week containing `date` in `zone`, by the browser's locale (Sunday in the US). */
export function weekStart(date: string | null, zone: string): DateTime {
  const parsed = date ? DateTime.fromISO(date, { zone }) : DateTime.now().setZone(zone);
  const day = parsed.isValid ? parsed : DateTime.now().setZone(zone);
  return day.startOf('week', { useLocaleWeeks: true });
}

/** ISO text of a valid DateTime. */
export const iso = (dt: DateTime) => dt.toUTC().toISO() ?? '';
export const isoDate = (dt: DateTime) => dt.toISODate() ?? '';

export const appointmentStatusLabel: Record<string, string> = {
  scheduled: 'Scheduled',
  canceled: 'Canceled',
  late_canceled: 'Late Canceled',
  clinician_canceled: 'Clinician Canceled',
  show: 'Show',
  no_show: 'No Show',
};

/** The same statuses as a client reads them in the portal: plain words, not the practice's shorthand. */
export const portalAppointmentStatusLabel: Record<string, string> = {
  ...appointmentStatusLabel,
  clinician_canceled: 'Canceled by the practice',
  show: 'Attended',
  no_show: 'Missed',
};

export const requestStatusLabel: Record<string, string> = {
  pending: 'Pending',
  approved: 'Approved',
  declined: 'Declined',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

export const policyLabel: Record<string, string> = {
  phone_call: 'Require phone call to cancel',
  '24h': 'At least 24 hours',
  '48h': 'At least 48 hours',
  '72h': 'At least 72 hours',
};

export const policyHours: Record<string, number> = { '24h': 24, '48h': 48, '72h': 72 };

export const fullName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;
