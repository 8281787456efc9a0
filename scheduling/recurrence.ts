import { dayNumber, daysInMonth, DAY_MS, type DayNumber } from './calendar';

/** The recurrence frequencies availability rules may use. */
export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY';

/** A BYDAY entry: weekday 0 = Monday ... 6 = Sunday, with an optional ordinal (1SA, -1FR) for MONTHLY. */
export interface WeekdaySpec {
  weekday: number;
  n?: number;
}

/** The UNTIL bound: a date, a floating local date-time, or a UTC instant (RFC 5545 forms). */
export type UntilBound =
  { kind: 'date'; day: DayNumber } | { kind: 'local'; ms: number } | { kind: 'utc'; ms: number };

/** The parsed, validated subset of RFC 5545 RRULE that availability rules may use. */
export interface Recurrence {
  freq: Frequency;
  interval: number;
  byDay: WeekdaySpec[];
  byMonthDay: number[];
  count?: number;
  until?: UntilBound;
}

/** Largest COUNT accepted: bounds the work of expanding a counted rule from its start. */
export const MAX_COUNT = 1000;
/** Largest INTERVAL accepted (every 52 weeks is already a yearly rule). */
export const MAX_INTERVAL = 52;

const ALLOWED_PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** The outcome of parsing an RRULE string: the recurrence, or a message naming what is wrong. */
export type ParsedRecurrence = { ok: true; recurrence: Recurrence } | { ok: false; error: string };

/**
 * Parses an RRULE value without DTSTART ("FREQ=WEEKLY;BYDAY=MO,WE", optionally
 * prefixed "RRULE:"), strictly: the rrule package's own parser accepts unknown
 * values (INTERVAL=abc, BYDAY=XX, BYSETPOS) silently, so the subset is checked here.
 */
export function parseRecurrence(text: string): ParsedRecurrence {
  const fail = (error: string): ParsedRecurrence => ({ ok: false, error: `rrule: ${error}` });
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body === '') return fail('is empty');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return fail(`"${part}" is not NAME=VALUE`);
    const name = part.slice(0, eq).trim().toUpperCase();
    const value = part
      .slice(eq + 1)
      .trim()
      .toUpperCase();
    if (!ALLOWED_PARTS.includes(name)) {
      return fail(`${name} is not supported (allowed: ${ALLOWED_PARTS.join(', ')})`);
    }
    if (parts.has(name)) return fail(`${name} is given twice`);
    if (value === '') return fail(`${name} has no value`);
    parts.set(name, value);
  }

  const freq = parts.get('FREQ');
  if (freq === undefined) return fail('FREQ is required');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') {
    return fail(`FREQ must be DAILY, WEEKLY or MONTHLY, not ${freq}`);
  }
  const recurrence: Recurrence = { freq, interval: 1, byDay: [], byMonthDay: [] };

  const interval = parts.get('INTERVAL');
  if (interval !== undefined) {
    if (!/^\d+$/.test(interval) || Number(interval) < 1 || Number(interval) > MAX_INTERVAL) {
      return fail(`INTERVAL must be a whole number from 1 to ${MAX_INTERVAL}, not ${interval}`);
    }
    recurrence.interval = Number(interval);
  }

  const count = parts.get('COUNT');
  if (count !== undefined) {
    if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > MAX_COUNT) {
      return fail(`COUNT must be a whole number from 1 to ${MAX_COUNT}, not ${count}`);
    }
    recurrence.count = Number(count);
  }

  const until = parts.get('UNTIL');
  if (until !== undefined) {
    if (count !== undefined) return fail('COUNT and UNTIL cannot both be given');
    const bound = parseUntil(until);
    if (bound === null) return fail(`UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSS[Z], not ${until}`);
    recurrence.until = bound;
  }

  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) {
    for (const item of byDay.split(',')) {
      const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
      const weekday = m ? WEEKDAYS.indexOf(m[2]) : -1;
      if (!m || weekday < 0)
        return fail(`BYDAY has an unknown day "${item}" (use MO, TU, WE, TH, FR, SA, SU)`);
      if (m[1] === undefined) {
        recurrence.byDay.push({ weekday });
        continue;
      }
      const n = Number(m[1]);
      if (freq !== 'MONTHLY') return fail(`BYDAY ordinals like "${item}" need FREQ=MONTHLY`);
      if (n === 0 || Math.abs(n) > 5) return fail(`BYDAY ordinal in "${item}" must be 1 to 5 or -1 to -5`);
      recurrence.byDay.push({ weekday, n });
    }
    // RFC 5545 makes "1SA,SU" a union, but the rrule package intersects the two
    // kinds (and so finds no dates); refusing the mix keeps every reader in agreement.
    const ordinals = recurrence.byDay.filter((d) => d.n !== undefined).length;
    if (ordinals > 0 && ordinals < recurrence.byDay.length) {
      return fail('BYDAY cannot mix ordinal days (1SA) with plain days (SU); use two rules');
    }
  }

  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    // RFC 5545: BYMONTHDAY must not be used with FREQ=WEEKLY.
    if (freq === 'WEEKLY') return fail('BYMONTHDAY cannot be used with FREQ=WEEKLY');
    for (const item of byMonthDay.split(',')) {
      const n = /^[+-]?\d{1,2}$/.test(item) ? Number(item) : NaN;
      if (!(n !== 0 && Math.abs(n) <= 31)) return fail(`BYMONTHDAY "${item}" must be 1 to 31 or -1 to -31`);
      recurrence.byMonthDay.push(n);
    }
  }
  return { ok: true, recurrence };
}

function parseUntil(text: string): UntilBound | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const date = dayNumber(year, month, day);
  if (m[4] === undefined) return { kind: 'date', day: date };
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = date * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
  return m[7] === 'Z' ? { kind: 'utc', ms } : { kind: 'local', ms };
}
