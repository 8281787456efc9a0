import { expect } from 'chai';
import { DateTime } from 'luxon';
import { buildIcs, icsAttachment, type IcsEvent } from '../../emails/ics';

interface ParsedProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Just enough RFC 5545 reading to check what a calendar would see: unfold, split, unescape TEXT. */
function parseIcs(ics: string): ParsedProperty[] {
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  return unfolded
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => {
      let inQuotes = false;
      let colon = -1;
      for (let i = 0; i < line.length; i += 1) {
        if (line[i] === '"') inQuotes = !inQuotes;
        if (line[i] === ':' && !inQuotes) {
          colon = i;
          break;
        }
      }
      const [name, ...paramParts] = line.slice(0, colon).split(';');
      const params = Object.fromEntries(paramParts.map((p) => p.split('=') as [string, string]));
      const value = line
        .slice(colon + 1)
        .replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === 'n' ? '\n' : c));
      return { name, params, value };
    });
}

function prop(ics: string, name: string): string | undefined {
  return parseIcs(ics).find((p) => p.name === name)?.value;
}

const fromIcsUtc = (value: string) => DateTime.fromFormat(value, "yyyyMMdd'T'HHmmss'Z'", { zone: 'utc' });

function anEvent(overrides: Partial<IcsEvent> = {}): IcsEvent {
  return {
    uid: 'appointment-42@practice.test',
    startsAt: new Date('2026-11-03T15:00:00Z'),
    endsAt: new Date('2026-11-03T15:50:00Z'),
    summary: 'Therapy session with Dr. Maya Chen',
    now: new Date('2026-10-20T12:34:56.789Z'),
    ...overrides,
  };
}

describe('emails/ics buildIcs', () => {
  it('writes a slot across the 2026-11-01 New York DST change as the right UTC instants', () => {
    // 00:30 EDT plus two real hours ends at 01:30 EST, after the clocks went back.
    const start = DateTime.fromISO('2026-11-01T00:30', { zone: 'America/New_York' });
    const end = start.plus({ hours: 2 });
    const ics = buildIcs(anEvent({ startsAt: start.toJSDate(), endsAt: end.toJSDate() }));

    expect(prop(ics, 'DTSTART')).to.equal('20261101T043000Z');
    expect(prop(ics, 'DTEND')).to.equal('20261101T063000Z');
    const localEnd = fromIcsUtc(prop(ics, 'DTEND')!).setZone('America/New_York');
    expect(localEnd.toFormat('HH:mm ZZ')).to.equal('01:30 -05:00');
  });

  it('keeps the two 1:30 AMs of the fall-back night apart', () => {
    const edt = DateTime.fromISO('2026-11-01T01:30:00-04:00', { setZone: true });
    const est = DateTime.fromISO('2026-11-01T01:30:00-05:00', { setZone: true });
    const starts = [edt, est].map((start) =>
      prop(
        buildIcs(anEvent({ startsAt: start.toJSDate(), endsAt: start.plus({ minutes: 50 }).toJSDate() })),
        'DTSTART',
      ),
    );
    expect(starts).to.deep.equal(['20261101T053000Z', '20261101T063000Z']);
    for (const start of starts) {
      expect(fromIcsUtc(start!).setZone('America/New_York').toFormat('HH:mm')).to.equal('01:30');
    }
  });

  it('takes DTSTAMP from the injected clock and marks a request as confirmed', () => {
    const ics = buildIcs(anEvent());
    expect(prop(ics, 'DTSTAMP')).to.equal('20261020T123456Z');
    expect(prop(ics, 'METHOD')).to.equal('REQUEST');
    expect(prop(ics, 'STATUS')).to.equal('CONFIRMED');
    expect(prop(ics, 'SEQUENCE')).to.equal('0');
    expect(buildIcs(anEvent())).to.equal(ics);
  });

  it('uses CRLF line endings only, with the calendar wrapped around one event', () => {
    const ics = buildIcs(anEvent());
    expect(ics.endsWith('\r\n')).to.equal(true);
    expect(ics.replace(/\r\n/g, '')).not.to.match(/[\r\n]/);
    const names = parseIcs(ics).map((p) => `${p.name}:${p.value}`);
    expect(names[0]).to.equal('BEGIN:VCALENDAR');
    expect(names).to.include.members(['VERSION:2.0', 'BEGIN:VEVENT', 'END:VEVENT']);
    expect(names.at(-1)).to.equal('END:VCALENDAR');
  });

  it('escapes commas, semicolons, backslashes and newlines in text and reads them back', () => {
    const summary = 'Session; intake, part 1 \\ 2';
    const description = 'Bring your forms.\nParking: level 2, spot 5;\r\nThanks!';
    const ics = buildIcs(anEvent({ summary, description, location: 'Suite 4, 12 Main St.' }));

    expect(ics).to.include('SUMMARY:Session\\; intake\\, part 1 \\\\ 2\r\n');
    expect(prop(ics, 'SUMMARY')).to.equal(summary);
    expect(prop(ics, 'DESCRIPTION')).to.equal('Bring your forms.\nParking: level 2, spot 5;\nThanks!');
    expect(prop(ics, 'LOCATION')).to.equal('Suite 4, 12 Main St.');
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const description = `Séance de thérapie 🧠 ${'détails importants, '.repeat(12)}fin`;
    const ics = buildIcs(anEvent({ description }));
    const physical = ics.split('\r\n').filter((l) => l !== '');

    expect(physical.some((l) => l.startsWith(' '))).to.equal(true);
    for (const line of physical) {
      expect(Buffer.byteLength(line, 'utf8')).to.be.at.most(75);
      expect(line).not.to.include('\uFFFD');
    }
    expect(prop(ics, 'DESCRIPTION')).to.equal(description);
  });

  it('writes a cancelation that replaces the invite: same UID, CANCEL, CANCELLED, higher sequence', () => {
    const ics = buildIcs(
      anEvent({
        method: 'CANCEL',
        sequence: 1,
        organizerEmail: 'office@practice.test',
        organizerName: 'Riverside Counseling',
      }),
    );
    expect(prop(ics, 'METHOD')).to.equal('CANCEL');
    expect(prop(ics, 'STATUS')).to.equal('CANCELLED');
    expect(prop(ics, 'SEQUENCE')).to.equal('1');
    expect(prop(ics, 'UID')).to.equal('appointment-42@practice.test');
    const organizer = parseIcs(ics).find((p) => p.name === 'ORGANIZER')!;
    expect(organizer.value).to.equal('mailto:office@practice.test');
    expect(organizer.params.CN).to.equal('"Riverside Counseling"');
  });

  it('refuses an empty slot and an organizer address that would inject a property', () => {
    expect(() => buildIcs(anEvent({ endsAt: new Date('2026-11-03T15:00:00Z') }))).to.throw(RangeError);
    expect(() => buildIcs(anEvent({ organizerEmail: 'a@b.test\r\nATTENDEE:mailto:x@y.test' }))).to.throw(
      RangeError,
    );
  });

  it('describes the attachment with a calendar content type carrying the method', () => {
    const ics = buildIcs(anEvent());
    expect(icsAttachment(ics)).to.deep.equal({
      filename: 'invite.ics',
      content: ics,
      contentType: 'text/calendar; charset=utf-8; method=REQUEST',
    });
  });
});
