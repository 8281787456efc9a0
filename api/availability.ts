import { IANAZone } from 'luxon';
import type { Clock } from '../lib/clock';
import { computeSlots, type Slot, type SlotQuery } from '../scheduling';
import { loadSlotQuery } from '../booking/schedule';
import { bookableClinicians, bookableFor, judgeBookable } from '../booking/bookable';
import { PortalCache } from '../booking/portalCache';
import type { Practice } from '../models/practice';
import { badRequest, notFound } from './errors';
import type { RouteDef } from './route';
import { portalCliniciansSchema } from './responseSchemas';
import { portalPractice, slugParams } from './portal';
import { requirePortalClient } from './portalAuth';
import { isoInstant, timeZoneField, uuid } from './schemas';
import { AvailabilityLimit } from './availabilityLimit';
import { acceptsNewClients } from '../booking/rules/newClients';
import { AvailabilityCache } from './availabilityCache';
import type { Store } from '../models/store';
import { EncodedAnswers, type HttpCompression } from './compression';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const MAX_RANGE_MS = 62 * DAY_MS;
/**
 * Slots in one answer: a week of the finest grid (every 5 minutes) around the clock, so no question of a week or
 * less is ever cut, and a 62-day question on a fine grid costs what a dense week costs instead of 9 times that
 * (17,000 slots, 3 MB). A cut answer says where to continue (`nextFrom`).
 */
export const MAX_SLOTS = (7 * 24 * 60) / 5;
// Room for a few hundred answers; an entry lives at most this long (see AvailabilityCache for why it is exact).
const CACHE = { maxBytes: 64 * 1024 * 1024, ttlMs: 60_000 };

/** What one question costs against the address's budget: one per started week of its range. */
export const questionCost = (from: Date, to: Date) =>
  Math.max(1, Math.ceil((to.getTime() - from.getTime()) / WEEK_MS));

/**
 * The offered slots of q, computed a week at a time and cut at MAX_SLOTS; the first slot left out, if any, is
 * where a follow-up question continues. A week's slots do not depend on the weeks around it (listing and
 * accepting already judge a single start on its own range), so the pieces join into exactly the full answer.
 */
function cappedSlots(q: SlotQuery): { slots: Slot[]; nextFrom: string | null } {
  const slots: Slot[] = [];
  for (let start = q.from.getTime(); start < q.to.getTime(); start += WEEK_MS) {
    const end = Math.min(start + WEEK_MS, q.to.getTime());
    for (const slot of computeSlots({ ...q, from: new Date(start), to: new Date(end) })) slots.push(slot);
    if (slots.length > MAX_SLOTS)
      return { slots: slots.slice(0, MAX_SLOTS), nextFrom: slots[MAX_SLOTS].startsAt };
  }
  return { slots, nextFrom: null };
}

const availabilityQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['clinicianId', 'serviceId', 'from', 'to'],
  properties: {
    clinicianId: uuid,
    serviceId: uuid,
    from: isoInstant,
    to: isoInstant,
    timeZone: timeZoneField,
  },
};

const slotSchema = {
  type: 'object',
  required: ['startsAt', 'endsAt', 'localStartsAt', 'localEndsAt'],
  properties: {
    startsAt: { type: 'string', description: 'UTC instant' },
    endsAt: { type: 'string' },
    localStartsAt: { type: 'string', description: 'The same instant with the offset of the asked time zone' },
    localEndsAt: { type: 'string' },
  },
};

/**
 * Public portal: who can be booked, and the slots the slot engine offers. Availability questions are limited per
 * network address (`perMinute`, 0: off), read what changes rarely from memory (`portalCache`, see PortalCache),
 * and their answers are cached in this process (exact, see AvailabilityCache) and compressed once (EncodedAnswers).
 */
export function availabilityRoutes(deps: {
  db: Store;
  clock: Clock;
  perMinute: number;
  /** Keep practices, rules and preferences in memory (PortalCache); off reads them on every question. */
  portalCache: boolean;
  compression: HttpCompression;
}): RouteDef[] {
  const { db } = deps;
  const limit = new AvailabilityLimit(deps.clock, deps.perMinute);
  const cache = new AvailabilityCache(CACHE);
  const portal = deps.portalCache ? new PortalCache() : null;
  const encoded = new EncodedAnswers(deps.compression);

  /** The slot question's inputs, checked in the order the answers promise: portal, client, zone, clinician. */
  const slotQuery = async (
    req: Parameters<RouteDef['handler']>[0],
    res: Parameters<RouteDef['handler']>[1],
    q: { clinicianId: string; serviceId: string; timeZone?: string },
    range: { from: Date; to: Date },
  ): Promise<{ clinicianId: string; serviceId: string; query: SlotQuery }> => {
    const signedIn = res.locals.client !== undefined;
    const now = deps.clock.now();
    const zoneOf = (practice: Practice) => {
      if (signedIn) requirePortalClient(res, practice);
      const timeZone = q.timeZone ?? practice.timeZone;
      if (!IANAZone.isValidZone(timeZone))
        throw badRequest('timeZone', `timeZone "${timeZone}" is not an IANA time zone.`);
      return timeZone;
    };
    if (portal) {
      const s = await portal.load(db, { slug: req.params.slug as string, ...q, ...range, now });
      if (!s.practice) throw notFound('No such client portal.');
      const timeZone = zoneOf(s.practice);
      const { clinician, service } = judgeBookable(s.practice, s.row, signedIn);
      return { clinicianId: clinician.id, serviceId: service.id, query: { ...s.query, timeZone } };
    }
    const practice = await portalPractice(db, req.params.slug as string);
    const timeZone = zoneOf(practice);
    const { clinician, service } = await bookableFor(db, practice, q.clinicianId, q.serviceId, signedIn);
    const query = await loadSlotQuery(deps.db, {
      clinicianId: clinician.id,
      durationMinutes: service.durationMinutes,
      ...range,
      now,
      timeZone,
    });
    return { clinicianId: clinician.id, serviceId: service.id, query };
  };
  return [
    {
      method: 'get',
      path: '/portal/:slug/clinicians',
      summary:
        'Clinicians taking online requests, their bookable services, and whether new clients can book them',
      tag: 'Client portal',
      auth: 'public',
      params: slugParams,
      responses: {
        200: { description: 'Clinicians', schema: portalCliniciansSchema },
        404: 'No such portal',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const services = await db.Service.findAll({
          where: { practiceId: practice.id, bookableOnline: true },
          order: [['name', 'ASC']],
        });
        const list = await bookableClinicians(db, practice);
        res.json(
          list.map(({ clinician, prefs }) => {
            const initial = prefs?.initialConsultationServiceId ?? null;
            return {
              id: clinician.id,
              firstName: clinician.firstName,
              lastName: clinician.lastName,
              bio: clinician.bio ?? null,
              photoUrl: clinician.photoUrl ?? null,
              services: services.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.durationMinutes })),
              newClients: {
                accepted: acceptsNewClients(
                  practice,
                  initial,
                  services.map((s) => s.id),
                ),
                initialConsultationServiceId: initial,
              },
            };
          }),
        );
      },
    },
    {
      method: 'get',
      path: '/portal/:slug/availability',
      summary:
        'Offered slots for a clinician and service over at most 62 days (new clients: initial consultation only)',
      tag: 'Client portal',
      auth: 'optional-client',
      params: slugParams,
      query: availabilityQuery,
      responses: {
        200: {
          description: 'Slots',
          schema: {
            type: 'object',
            required: ['clinicianId', 'serviceId', 'timeZone', 'slots', 'nextFrom'],
            properties: {
              clinicianId: uuid,
              serviceId: uuid,
              timeZone: { type: 'string' },
              slots: { type: 'array', items: slotSchema },
              nextFrom: {
                type: ['string', 'null'],
                description: `null: every slot of the range is listed. Otherwise the answer stopped at ${MAX_SLOTS} slots; ask again from this instant for the rest`,
              },
            },
          },
        },
        400: 'Bad range or zone',
        404: 'Unknown clinician or service',
        429: 'Too many questions from this network address (Retry-After says when to ask again)',
      },
      handler: async (req, res) => {
        const q = res.locals.query as {
          clinicianId: string;
          serviceId: string;
          from: string;
          to: string;
          timeZone?: string;
        };
        const from = new Date(q.from);
        const to = new Date(q.to);
        if (to <= from) throw badRequest('to', 'to must be later than from.');
        if (to.getTime() - from.getTime() > MAX_RANGE_MS)
          throw badRequest('to', 'A query may span at most 62 days.');
        // Charged before any database work, so refused questions cost next to nothing.
        limit.take(req.ip ?? 'unknown', questionCost(from, to));
        const { clinicianId, serviceId, query } = await slotQuery(req, res, q, { from, to });
        const { now, timeZone } = query;
        const key = AvailabilityCache.keyOf([clinicianId, serviceId, { ...query, now: null }]);
        let answer = cache.get(key, now.getTime());
        if (answer === null) {
          const { slots, nextFrom } = cappedSlots(query);
          answer = JSON.stringify({
            clinicianId,
            serviceId,
            timeZone,
            slots,
            nextFrom,
          });
          const notice = query.preferences.minimumNoticeHours * 3_600_000;
          cache.set(key, answer, now.getTime(), slots.length ? Date.parse(slots[0].startsAt) - notice : null);
        }
        encoded.send(req, res, key, answer);
      },
    },
  ];
}
