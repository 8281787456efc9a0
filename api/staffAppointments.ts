import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import { calendarAppointments, findAppointment } from '../booking/appointments';
import type { CanceledStatus } from '../booking/cancelAppointment';
import { requestCancellation } from '../booking/requestCancellation';
import { cancelAndWait } from '../temporal/cancellations';
import { withTemporal } from '../temporal/errors';
import { badRequest, forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { clinicianFor } from './clinicians';
import { idParams, isoInstant, multilineText, uuid } from './schemas';
import type { Schema } from './validation';
import { appointmentStatusField, cancelResultSchema, nullableInstant } from './appointmentSchemas';
import { toCalendarEntry, toCancelResult } from '../booking/views';

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
const calendarQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: isoInstant, to: isoInstant, clinicianId: uuid },
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

/** The practice's calendar and its cancelations from the dashboard. */
export function staffAppointmentRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db, clock, temporal, taskQueue } = deps;
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
        "The calendar in [from, to): a clinician's own appointments, any clinician's for admins and managers",
      tag: 'Appointments',
      auth: 'staff',
      query: calendarQuery,
      responses: {
        200: {
          description: 'Appointments by start, with statuses',
          schema: { type: 'array', items: calendarEntrySchema },
        },
        400: 'Missing or invalid from / to, or a range over 93 days',
        403: "Another clinician's calendar",
        404: 'No such clinician in the practice',
      },
      handler: async (_req, res) => {
        const staff = res.locals.staff!;
        const query = res.locals.query as { from: string; to: string; clinicianId?: string };
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
        const { rows, clients, services } = await calendarAppointments(db, {
          practiceId: staff.practiceId,
          from,
          to,
          clinicianId,
        });
        res.json(
          rows.map((a) =>
            toCalendarEntry(
              a,
              { client: clients.get(a.clientId), service: services.get(a.serviceId) },
              clock.now(),
            ),
          ),
        );
      },
    },
  ];
}
