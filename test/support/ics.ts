import ICAL from 'ical.js';

/** Every VEVENT of an iCalendar text (an email's attachment or a feed), parsed as a calendar app would. */
export function icsEvents(text: string): ICAL.Event[] {
  return new ICAL.Component(ICAL.parse(text))
    .getAllSubcomponents('vevent')
    .map((v: ICAL.Component) => new ICAL.Event(v));
}

/** The one VEVENT of an .ics attachment, read by a real iCalendar parser. */
export function parseIcs(utf8: string) {
  const calendar = new ICAL.Component(ICAL.parse(utf8));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    status: event.getFirstPropertyValue('status'),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
  };
}
