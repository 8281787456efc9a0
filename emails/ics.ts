/** What an appointment invite needs; all instants are absolute so the file means the same in every zone. */
export interface IcsEvent {
  /** Stable across updates of one appointment, so a CANCEL replaces the REQUEST in the calendar. */
  uid: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description?: string;
  location?: string;
  organizerEmail?: string;
  organizerName?: string;
  method?: 'REQUEST' | 'CANCEL';
  /** Bump on every change of the same uid; calendars ignore an update whose sequence is not higher. */
  sequence?: number;
  /** Injected clock for DTSTAMP, so the output is reproducible (and deterministic inside workflows). */
  now: Date;
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/** The UID of an appointment's event: its invites and the clinician's calendar feed share it, so they are one event. */
export function appointmentUid(appointmentId: string): string {
  return `appointment-${appointmentId}@practice-booking`;
}

/** Builds an RFC 5545 iCalendar file (one VEVENT) with UTC times, CRLF endings and folded lines. */
export function buildIcs(event: IcsEvent): string {
  const method = event.method ?? 'REQUEST';
  const sequence = event.sequence ?? 0;
  if (!Number.isInteger(sequence) || sequence < 0)
    throw new RangeError('sequence must be a non-negative integer');
  if (event.endsAt.getTime() <= event.startsAt.getTime())
    throw new RangeError('endsAt must be after startsAt');

  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Practice Booking//Appointments//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${formatUtc(event.now)}`,
    `DTSTART:${formatUtc(event.startsAt)}`,
    `DTEND:${formatUtc(event.endsAt)}`,
    `SEQUENCE:${sequence}`,
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${escapeText(event.summary)}`,
  ];
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.organizerEmail) {
    const cn = event.organizerName ? `;CN=${quoteParam(event.organizerName)}` : '';
    lines.push(`ORGANIZER${cn}:mailto:${calAddress(event.organizerEmail)}`);
  }
  lines.push('TRANSP:OPAQUE', 'END:VEVENT', 'END:VCALENDAR');
  return serializeIcs(lines);
}

/** Content lines (already escaped) to an iCalendar stream: each folded at 75 octets, CRLF after every line. */
export function serializeIcs(lines: string[]): string {
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** The attachment a Mailer takes for an invite; the method in the content type makes clients offer "add to calendar". */
export function icsAttachment(ics: string, method: 'REQUEST' | 'CANCEL' = 'REQUEST') {
  return {
    filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
    content: ics,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
  };
}

/** UTC date-time form (RFC 5545 3.3.5, form #2), e.g. 20261101T063000Z. */
export function formatUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date in calendar event');
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** TEXT escaping (RFC 5545 3.3.11); other control characters are dropped because they are not allowed in TEXT. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000A-\u001F\u007F]/g, '');
}

/** Parameter values cannot be escaped, only quoted, and may not contain a double quote or controls. */
function quoteParam(value: string): string {
  return `"${value.replace(/["\u0000-\u001F\u007F]/g, '')}"`;
}

/** Rejects anything that could break out of the property line (header-injection style). */
function calAddress(email: string): string {
  if (!/^[^\s@:;,"]+@[^\s@:;,"]+$/.test(email))
    throw new RangeError('organizerEmail is not a plain email address');
  return email;
}

/**
 * Folds a content line so no physical line exceeds 75 octets (RFC 5545 3.1): continuation lines start
 * with one space, which counts toward their 75. Splits between code points, never inside a UTF-8 sequence.
 */
function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let currentOctets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const octets = utf8Length(char);
    if (currentOctets + octets > limit) {
      parts.push(current);
      current = '';
      currentOctets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    currentOctets += octets;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** UTF-8 length of one code point, without Buffer so the module stays usable from workflow code. */
function utf8Length(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0;
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
