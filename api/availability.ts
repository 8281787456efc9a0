import type { Sequelize } from 'sequelize';
import { IANAZone } from 'luxon';
import type { Clock } from '../app/clock';
import { Service } from '../models/service';
import { computeSlots } from '../scheduling';
import { loadSlotQuery } from '../booking/schedule';
import { bookableClinicians, bookableFor } from '../booking/bookable';
import { badRequest } from './errors';
import type { RouteDef } from './route';
import { portalPractice, slugParams } from './portal';
import { requirePortalClient } from './portalAuth';
import { isoInstant, timeZoneField, uuid } from './schemas';

const MAX_RANGE_MS = 62 * 86_400_000;

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
  properties: {
    startsAt: { type: 'string', description: 'UTC instant' },
    endsAt: { type: 'string' },
    localStartsAt: { type: 'string', description: 'The same instant with the offset of the asked time zone' },
    localEndsAt: { type: 'string' },
  },
};

/** Public portal: who can be booked, and the slots the slot engine offers. */
export function availabilityRoutes(deps: { db: Sequelize; clock: Clock }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/portal/:slug/clinicians',
      summary:
        'Clinicians taking online requests, their bookable services, and whether new clients can book them',
      tag: 'Client portal',
      auth: 'public',
      params: slugParams,
      responses: { 200: 'Clinicians', 404: 'No such portal' },
      handler: async (req, res) => {
        const practice = await portalPractice(req.params.slug as string);
        const services = await Service.findAll({
          where: { practiceId: practice.id, bookableOnline: true },
          order: [['name', 'ASC']],
        });
        const list = await bookableClinicians(practice);
        res.json(
          list.map(({ clinician, prefs }) => {
            const initial = prefs?.initialConsultationServiceId ?? null;
            return {
              id: clinician.id,
              firstName: clinician.firstName,
              lastName: clinician.lastName,
              services: services.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.durationMinutes })),
              newClients: {
                accepted:
                  practice.allowNewClients && initial !== null && services.some((s) => s.id === initial),
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
          schema: { type: 'object', properties: { slots: { type: 'array', items: slotSchema } } },
        },
        400: 'Bad range or zone',
        404: 'Unknown clinician or service',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(req.params.slug as string);
        const signedIn = res.locals.client !== undefined;
        if (signedIn) requirePortalClient(res, practice);
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
        const timeZone = q.timeZone ?? practice.timeZone;
        if (!IANAZone.isValidZone(timeZone))
          throw badRequest('timeZone', `timeZone "${timeZone}" is not an IANA time zone.`);
        const { clinician, service } = await bookableFor(practice, q.clinicianId, q.serviceId, signedIn);
        const query = await loadSlotQuery(deps.db, {
          clinicianId: clinician.id,
          durationMinutes: service.durationMinutes,
          from,
          to,
          now: deps.clock.now(),
          timeZone,
        });
        res.json({ clinicianId: clinician.id, serviceId: service.id, timeZone, slots: computeSlots(query) });
      },
    },
  ];
}
