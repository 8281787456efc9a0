import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import type { OneTimeCodes } from '../booking/oneTimeCodes';
import {
  calendarFeedOf,
  disableCalendarFeed,
  enableCalendarFeed,
  renderCalendarFeed,
} from '../booking/calendarFeed';
import { toCalendarFeed } from '../booking/views';
import { notFound } from './errors';
import type { RouteDef } from './route';
import { clinicianFor } from './clinicians';
import { idParams } from './schemas';
import type { Schema } from './validation';

const feedSchema: Schema = {
  type: 'object',
  required: ['enabled', 'url', 'webcalUrl', 'createdAt'],
  properties: {
    enabled: { type: 'boolean' },
    url: { type: ['string', 'null'], description: 'The https address (Google Calendar "From URL", Outlook)' },
    webcalUrl: {
      type: ['string', 'null'],
      description: 'The same address as webcal:// (opens Apple Calendar and Outlook to subscribe)',
    },
    createdAt: { type: ['string', 'null'], format: 'date-time' },
  },
};
// The token is 256 bits in base64url; anything else cannot open a feed, and is answered as an unknown one.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const feedParams: Schema = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 200 } },
};

/** A clinician's private iCalendar feed: turned on, rotated and off by staff, read by calendar apps. */
export function calendarFeedRoutes(deps: {
  db: Store;
  clock: Clock;
  codes: OneTimeCodes;
  publicUrl: string;
}): RouteDef[] {
  const { db, clock, codes } = deps;
  const urlOf = (token: string) => `${deps.publicUrl.replace(/\/+$/, '')}/calendar/${token}.ics`;
  return [
    {
      method: 'get',
      path: '/api/clinicians/:id/calendar-feed',
      summary: "A clinician's calendar feed address, when it is on",
      tag: 'Calendar feed',
      auth: 'staff',
      params: idParams,
      responses: {
        200: { description: 'The feed (enabled false and nulls when it is off)', schema: feedSchema },
        403: "A colleague's feed, for a clinician",
        404: 'No such clinician in the practice',
      },
      handler: async (req, res) => {
        const clinician = await clinicianFor(db, res.locals.staff!, req.params.id as string);
        res.json(toCalendarFeed(await calendarFeedOf(db, codes, clinician.id), urlOf));
      },
    },
    {
      method: 'post',
      path: '/api/clinicians/:id/calendar-feed',
      summary: 'Turn the calendar feed on, or rotate it: a new address, the old one stops working at once',
      tag: 'Calendar feed',
      auth: 'staff',
      params: idParams,
      responses: {
        201: { description: 'The new address', schema: feedSchema },
        403: "A colleague's feed, for a clinician",
        404: 'No such clinician in the practice',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        const feed = await enableCalendarFeed(db, codes, staff, {
          clinicianId: clinician.id,
          now: clock.now(),
        });
        res.status(201).json(toCalendarFeed(feed, urlOf));
      },
    },
    {
      method: 'delete',
      path: '/api/clinicians/:id/calendar-feed',
      summary: 'Turn the calendar feed off: its address answers 404 from now on',
      tag: 'Calendar feed',
      auth: 'staff',
      params: idParams,
      responses: {
        204: 'Off (also when it already was)',
        403: "A colleague's feed, for a clinician",
        404: 'No such clinician in the practice',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        await disableCalendarFeed(db, staff, { clinicianId: clinician.id });
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/calendar/:token.ics',
      summary: 'The feed itself (text/calendar), for calendar apps: no session, the address is the key',
      tag: 'Calendar feed',
      auth: 'public',
      params: feedParams,
      responses: {
        200: "text/calendar: the clinician's appointments, clients by initials and service only",
        304: 'Unchanged since the ETag the caller sent',
        404: 'No such feed (unknown, rotated or turned off: the answer does not say which)',
      },
      handler: async (req, res) => {
        const token = req.params.token as string;
        const ics = TOKEN.test(token) ? await renderCalendarFeed(db, { token, now: clock.now() }) : null;
        if (ics === null) throw notFound('No such calendar.');
        // The address is a secret: no shared cache may keep it; the app revalidates with the ETag Express sets.
        res.set({
          'Cache-Control': 'private, no-cache',
          'Content-Type': 'text/calendar; charset=utf-8',
          'Content-Disposition': 'inline; filename="calendar.ics"',
          'X-Robots-Tag': 'noindex, nofollow',
        });
        res.send(ics);
      },
    },
  ];
}
