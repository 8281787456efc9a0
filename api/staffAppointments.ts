import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import { findAppointment } from '../booking/appointments';
import { practiceCalendar, type CalendarParts } from '../booking/calendar';
import type { CanceledStatus } from '../booking/cancelAppointment';
import { requestCancellation } from '../booking/requestCancellation';
import { cancelAndWait } from '../temporal/cancellations';
import { withTemporal } from '../temporal/errors';
import { badRequest, forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { clinicianFor } from './clinicians';
import { idParams, isoInstant, multilineText, uuid } from './schemas';
import type { Schema } from './validation';
import { appointmentStatusField, cancelResultSchema, nullableInstant } from './appointmentSchemas';
import {
  toCalendarEntry,
  toCalendarHold,
  toCalendarTimeOff,
  toCalendarWindow,
  toCancelResult,
} from '../booking/views';

// A calendar view is at most a quarter; wider asks are a client bug, not a calendar.
const MAX_RANGE_MS = 93 * 86_400_000;

const staffCancelBody: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Omitted: the booked policy's verdict at the moment asked (what the client would have got online).
    status: { type: 'string', enum: ['canceled', 'late_canceled', 'clinician_canceled'] },
    // Omitted: the client is told, and their calendar event removed, as with every cancelation.
    notifyClient: { type: 'boolean' },
    reason: multilineText(1000),
  },
};
interface CalendarQuery {
  from: string;
  to: string;
  clinicianId?: string;
}
const includable = ['holds', 'timeOff'] as const;
const includeParam = {
  type: 'string',
  maxLength: 100,
  description:
    'A comma-separated list of holds, timeOff: the answer becomes {appointments, holds?, timeOff?}',
};

/** The parts an include list asks for; a word that names no part is a 400, so a typo never looks like "none". */
function includedParts(include: string): CalendarParts {
  const words = include.split(',').map((w) => w.trim());
  const unknown = words.find((w) => !(includable as readonly string[]).includes(w));
  if (unknown !== undefined)
    throw badRequest(
      'include',
      unknown === ''
        ? 'include lists holds and timeOff, separated by commas, with no empty entries.'
        : `include lists holds and timeOff, separated by commas; "${unknown}" is not one of them.`,
    );
  return { holds: words.includes('holds'), timeOff: words.includes('timeOff') };
}

const calendarQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: isoInstant, to: isoInstant, clinicianId: uuid },
};
const appointmentsQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: isoInstant, to: isoInstant, clinicianId: uuid, include: includeParam },
};
export const calendarEntrySchema: Schema = {
  type: 'object',
  required: [
    'id',
    'status',
    'clinicianId',
    'client',
    'service',
    'startsAt',
    'endsAt',
    'cancellationPolicy',
    'cancelRequestedAt',
    'canceledAt',
    'canceledBy',
    'cancelReason',
    'started',
  ],
  properties: {
    id: uuid,
    status: appointmentStatusField,
    clinicianId: uuid,
    client: {
      type: 'object',
      required: ['id', 'firstName', 'lastName'],
      properties: { id: uuid, firstName: { type: 'string' }, lastName: { type: 'string' } },
    },
    service: { type: 'object', required: ['id', 'name'], properties: { id: uuid, name: { type: 'string' } } },
    startsAt: isoInstant,
    endsAt: isoInstant,
    cancellationPolicy: { type: 'string' },
    cancelRequestedAt: nullableInstant,
    canceledAt: nullableInstant,
    canceledBy: { type: ['string', 'null'], enum: ['client', 'staff', null] },
    cancelReason: { type: ['string', 'null'] },
    started: { type: 'boolean', description: "Begun by the server's clock: attendance may be marked" },
  },
};

const clinicianScoped = { clinicianId: uuid, startsAt: isoInstant, endsAt: isoInstant };
const calendarHoldSchema: Schema = {
  type: 'object',
  required: ['requestId', 'kind', 'appointmentId', 'clinicianId', 'client', 'service', 'startsAt', 'endsAt'],
  properties: {
    requestId: uuid,
    kind: { type: 'string', enum: ['booking', 'reschedule'] },
    appointmentId: {
      type: ['string', 'null'],
      format: 'uuid',
      description: 'The appointment a reschedule moves',
    },
    client: {
      type: 'object',
      required: ['firstName', 'lastName', 'isNew'],
      properties: { firstName: { type: 'string' }, lastName: { type: 'string' }, isNew: { type: 'boolean' } },
    },
    service: { type: 'object', required: ['id', 'name'], properties: { id: uuid, name: { type: 'string' } } },
    ...clinicianScoped,
  },
};
const calendarTimeOffSchema: Schema = {
  type: 'object',
  required: ['id', 'clinicianId', 'startsAt', 'endsAt', 'reason'],
  properties: { id: uuid, reason: { type: ['string', 'null'] }, ...clinicianScoped },
};
const availabilityWindowSchema: Schema = {
  type: 'object',
  required: ['clinicianId', 'date', 'startsAt', 'endsAt'],
  properties: {
    date: { type: 'string', format: 'date', description: "The occurrence's date in the rule's zone" },
    ...clinicianScoped,
  },
};

/** The practice's calendar and its cancelations from the dashboard. */
export function staffAppointmentRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db, clock, temporal, taskQueue } = deps;

  /** The range checked, the clinician authorized (403/404 before anything is read), the parts asked for. */
  async function calendarFor(staff: StaffPrincipal, query: CalendarQuery, parts: CalendarParts) {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to.getTime() <= from.getTime()) throw badRequest('to', 'to must be later than from.');
    if (to.getTime() - from.getTime() > MAX_RANGE_MS)
      throw badRequest('to', 'The range may span at most 93 days.');
    const clinicianId = query.clinicianId
      ? (await clinicianFor(db, staff, query.clinicianId)).id
      : managesPractice(staff)
        ? undefined
        : staff.id;
    const view = await practiceCalendar(db, { practiceId: staff.practiceId, from, to, clinicianId, parts });
    const { rows, clients, services } = view.appointments;
    return {
      appointments: rows.map((a) =>
        toCalendarEntry(
          a,
          { client: clients.get(a.clientId), service: services.get(a.serviceId) },
          clock.now(),
        ),
      ),
      holds: view.holds?.rows.map((r) =>
        toCalendarHold(r, {
          client: r.clientId ? view.holds!.clients.get(r.clientId) : undefined,
          service: view.holds!.services.get(r.serviceId),
        }),
      ),
      timeOff: view.timeOff?.map(toCalendarTimeOff),
      availability: view.availability?.map(toCalendarWindow),
    };
  }

  return [
    {
      method: 'post',
      path: '/api/appointments/:id/cancel',
      summary:
        "Cancel an appointment on the client's behalf (the policy's verdict by default) or as the practice " +
        '(clinician_canceled); allowed under the phone-call policy',
      tag: 'Appointments',
      auth: 'staff',
      params: idParams,
      body: staffCancelBody,
      responses: {
        200: {
          description: 'Canceled (or the first result of an earlier cancel)',
          schema: cancelResultSchema,
        },
        202: 'Recorded; the cancelation completes as soon as a worker runs it',
        400: 'Invalid body',
        403: "Another clinician's appointment",
        404: 'No such appointment in the practice',
        409:
          'APPOINTMENT_NOT_CANCELABLE (started), or APPOINTMENT_ALREADY_CANCELED (by the client; with status, ' +
          'canceledBy and canceledAt)',
        422: 'DATA_REJECTED: the cancelation could not be recorded; nothing changed',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const body = req.body as { status?: CanceledStatus; notifyClient?: boolean; reason?: string };
        const appointment = await findAppointment(db, {
          id: req.params.id as string,
          practiceId: staff.practiceId,
        });
        if (appointment.clinicianId !== staff.id && !managesPractice(staff))
          throw forbidden('Clinicians cancel their own appointments only.');
        const answer = await requestCancellation(
          db,
          appointment,
          {
            practiceId: staff.practiceId,
            requestedAt: clock.now(),
            by: 'staff',
            status: body.status,
            reason: body.reason ?? null,
            notifyClient: body.notifyClient ?? true,
            actorId: staff.id,
          },
          // Temporal unreachable before the workflow started: 503 with Retry-After, and nothing changed.
          (input) => withTemporal(() => cancelAndWait(temporal, taskQueue, input)),
        );
        if (!answer.done)
          res.status(202).json({ appointmentId: answer.appointmentId, status: 'cancel_requested' });
        else res.json(toCancelResult(answer.result));
      },
    },
    {
      method: 'get',
      path: '/api/appointments',
      summary:
        "The calendar in [from, to): a clinician's own appointments, any clinician's for admins and managers; " +
        'with include=holds,timeOff an object that adds pending holds and time off',
      tag: 'Appointments',
      auth: 'staff',
      query: appointmentsQuery,
      responses: {
        200: {
          description:
            'Without include: the appointments by start, with statuses (the shape outside clients read). ' +
            'With include: {appointments, holds?, timeOff?}, each part present only when asked for',
          schema: {
            oneOf: [
              { type: 'array', items: calendarEntrySchema },
              {
                type: 'object',
                required: ['appointments'],
                properties: {
                  appointments: { type: 'array', items: calendarEntrySchema },
                  holds: { type: 'array', items: calendarHoldSchema },
                  timeOff: { type: 'array', items: calendarTimeOffSchema },
                },
              },
            ],
          },
        },
        400: 'Missing or invalid from / to, a range over 93 days, or include naming something other than holds, timeOff',
        403: "Another clinician's calendar",
        404: 'No such clinician in the practice',
      },
      handler: async (_req, res) => {
        const staff = res.locals.staff!;
        const query = res.locals.query as CalendarQuery & { include?: string };
        const include = query.include === undefined ? null : includedParts(query.include);
        const view = await calendarFor(staff, query, include ?? {});
        if (!include) res.json(view.appointments);
        else {
          const { availability: _never, ...asked } = view;
          res.json(asked);
        }
      },
    },
    {
      method: 'get',
      path: '/api/calendar',
      summary:
        "The dashboard's calendar in [from, to): appointments, pending holds, time off and availability windows " +
        "of one clinician (a clinician's own), or of every clinician for admins and managers",
      tag: 'Appointments',
      auth: 'staff',
      query: calendarQuery,
      responses: {
        200: {
          description: 'Everything a week or day grid draws, each list by start',
          schema: {
            type: 'object',
            required: ['appointments', 'holds', 'timeOff', 'availability'],
            properties: {
              appointments: { type: 'array', items: calendarEntrySchema },
              holds: { type: 'array', items: calendarHoldSchema },
              timeOff: { type: 'array', items: calendarTimeOffSchema },
              availability: { type: 'array', items: availabilityWindowSchema },
            },
          },
        },
        400: 'Missing or invalid from / to, or a range over 93 days',
        403: "Another clinician's calendar",
        404: 'No such clinician in the practice',
      },
      handler: async (_req, res) => {
        const staff = res.locals.staff!;
        const query = res.locals.query as CalendarQuery;
        res.json(await calendarFor(staff, query, { holds: true, timeOff: true, availability: true }));
      },
    },
  ];
}
