import type { Store } from '../models/store';
import { addTimeOff, removeTimeOff, timeOffOf } from '../booking/timeOff';
import { toTimeOff } from '../booking/views';
import { badRequest, notFound } from './errors';
import type { RouteDef } from './route';
import { clinicianFor } from './clinicians';
import { idParams, isoInstant, multilineText, uuid } from './schemas';

const timeOffBody = {
  type: 'object',
  additionalProperties: false,
  required: ['startsAt', 'endsAt'],
  properties: { startsAt: isoInstant, endsAt: isoInstant, reason: multilineText(500) },
};
// What is stored always comes back: the dashboard lists these, so every field is there (reason null when none).
const timeOffSchema = {
  type: 'object',
  required: ['id', 'startsAt', 'endsAt', 'reason'],
  properties: { id: uuid, startsAt: isoInstant, endsAt: isoInstant, reason: { type: ['string', 'null'] } },
};
const timeOffParams = {
  type: 'object',
  required: ['id', 'timeOffId'],
  properties: { id: uuid, timeOffId: uuid },
};
const timeOffQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: isoInstant, to: isoInstant },
};
const MAX_TIME_OFF_MS = 366 * 86_400_000;

/** A clinician's time off (blocked intervals). */
export function timeOffRoutes({ db }: { db: Store }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/clinicians/:id/time-off',
      summary: 'Time off (blocked intervals), optionally within [from, to)',
      tag: 'Availability',
      auth: 'staff',
      params: idParams,
      query: timeOffQuery,
      responses: {
        200: { description: 'Time off by start', schema: { type: 'array', items: timeOffSchema } },
        400: 'Invalid from / to, or to not later than from',
        403: "Another clinician's time off",
        404: 'No such clinician in the practice',
      },
      handler: async (req, res) => {
        const clinician = await clinicianFor(db, res.locals.staff!, req.params.id as string);
        const { from, to } = res.locals.query as { from?: string; to?: string };
        if (from && to && Date.parse(to) <= Date.parse(from))
          throw badRequest('to', 'to must be later than from.');
        const rows = await timeOffOf(db, clinician.id, {
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
        });
        res.json(rows.map(toTimeOff));
      },
    },
    {
      method: 'post',
      path: '/api/clinicians/:id/time-off',
      summary: 'Block an interval (vacation, a half day)',
      tag: 'Availability',
      auth: 'staff',
      params: idParams,
      body: timeOffBody,
      responses: {
        201: { description: 'Created', schema: timeOffSchema },
        400: 'Invalid interval',
        403: "Another clinician's time off",
        404: 'No such clinician in the practice',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        const body = req.body as { startsAt: string; endsAt: string; reason?: string };
        const startsAt = new Date(body.startsAt);
        const endsAt = new Date(body.endsAt);
        if (endsAt <= startsAt) throw badRequest('/endsAt', 'endsAt must be later than startsAt.');
        if (endsAt.getTime() - startsAt.getTime() > MAX_TIME_OFF_MS)
          throw badRequest('/endsAt', 'Time off may span at most 366 days; add several.');
        const created = await addTimeOff(db, staff, {
          clinicianId: clinician.id,
          startsAt,
          endsAt,
          reason: body.reason ?? null,
        });
        res.status(201).json(toTimeOff(created));
      },
    },
    {
      method: 'delete',
      path: '/api/clinicians/:id/time-off/:timeOffId',
      summary: 'Remove time off',
      tag: 'Availability',
      auth: 'staff',
      params: timeOffParams,
      responses: {
        204: 'Removed',
        403: "Another clinician's time off",
        404: 'No such clinician or time off',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        const removed = await removeTimeOff(db, staff, {
          id: req.params.timeOffId as string,
          clinicianId: clinician.id,
        });
        if (!removed) throw notFound('No such time off.');
        res.status(204).end();
      },
    },
  ];
}
