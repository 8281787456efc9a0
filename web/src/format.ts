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

const zoneNames = new Map<string, string>();

/** "Central Time": the zone's generic name, right in summer and winter alike. */
export function zoneName(zone: string): string {
  const known = zoneNames.get(zone);
  if (known) return known;
  const name =
    new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value ?? zone;
  zoneNames.set(zone, name);
  return name;
}

/** "UTC−5", "UTC+5:30", "UTC": the zone's offset now, with a true minus sign. */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const m = abs % 60;
  return `UTC${minutes < 0 ? '−' : '+'}${Math.floor(abs / 60)}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

/** "New York (Eastern Time, UTC−5)": the place, the zone's name where it has one, and its offset now. */
export function zoneLabel(zone: string): string {
  const place = (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
  const offset = formatOffset(DateTime.now().setZone(zone).offset);
  const name = zoneName(zone);
  // Zones without a name of their own are named by offset ("GMT+03:00"), which the label already says.
  return name === zone || /^(GMT|UTC)/.test(name) ? `${place} (${offset})` : `${place} (${name}, ${offset})`;
}

const regionLabels: Record<string, string> = {
  America: 'Americas',
  Europe: 'Europe',
  Africa: 'Africa',
  Asia: 'Asia',
  Australia: 'Australia',
  Pacific: 'Pacific',
  Atlantic: 'Atlantic',
  Indian: 'Indian Ocean',
  Antarctica: 'Antarctica',
  Arctic: 'Arctic',
};

export interface ZoneGroup {
  label: string;
  zones: { id: string; label: string }[];
}

/**
 * The zones a person picks from: the suggested ones first (the practice's, the browser's), then every other zone
 * under its region, by place name. `current` is always offered, even when the browser does not list it.
 */
export function zoneGroups(current: string, suggested: readonly (string | null | undefined)[]): ZoneGroup[] {
  const first = [...new Set(suggested.filter((z): z is string => !!z))];
  const option = (id: string) => ({ id, label: zoneLabel(id) });
  const regions = new Map<string, { id: string; label: string }[]>();
  for (const id of timeZones(current)) {
    if (first.includes(id)) continue;
    const region = regionLabels[id.split('/')[0]] ?? 'Other';
    regions.set(region, [...(regions.get(region) ?? []), option(id)]);
  }
  const groups = [...regions.entries()]
    .sort(([a], [b]) => (a === 'Other' ? 1 : b === 'Other' ? -1 : a.localeCompare(b)))
    .map(([label, zones]) => ({ label, zones: zones.sort((a, b) => a.label.localeCompare(b.label)) }));
  return first.length ? [{ label: 'Suggested', zones: first.map(option) }, ...groups] : groups;
}

/** Whether a zone answers a search: its place, name, region, id or offset ("york", "eastern", "utc-5"). */
export function zoneMatches(zone: { id: string; label: string }, query: string): boolean {
  const norm = (t: string) => t.toLowerCase().replace(/_/g, ' ').replace(/−/g, '-');
  const words = norm(query).split(/\s+/).filter(Boolean);
  const text = norm(`${zone.label} ${zone.id}`);
  // "utc+1" is UTC+1, not UTC+10 or UTC+11: a search ending in a digit ends the number there.
  const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return words.every((w) => new RegExp(escape(w) + (/\d$/.test(w) ? '(?!\\d)' : '')).test(text));
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
