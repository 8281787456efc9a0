import type { Response } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import type { Client as TemporalClient } from '@temporalio/client';
import { DateTime, IANAZone } from 'luxon';
import type { Clock } from '../app/clock';
import type { Appointment } from '../models/appointment';

import {
  cancelationOptions,
  cancelRefusal,
  type CanceledBy,
  type CanceledStatus,
} from '../booking/cancelAppointment';
import { BookingError } from '../booking/errors';
import type { CancelOutcome } from '../activities/cancellations';
import { cancelAndWait } from '../temporal/cancellations';
import { withTemporal } from '../temporal/errors';
import type { CancellationWorkflowInput } from '../workflows/cancellation';
import { badRequest, conflict, forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { clinicianFor } from './clinicians';
import { portalPractice, slugParams } from './portal';
import { requirePortalClient } from './portalAuth';
import { idParams, isoInstant, multilineText, timeZoneField, uuid } from './schemas';
import type { Schema } from './validation';
import type { Store } from '../models/store';

/** What the appointment routes are built from. */
export interface AppointmentRoutesDeps {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}

// A calendar view is at most a quarter; wider asks are a client bug, not a calendar.
const MAX_RANGE_MS = 93 * 86_400_000;

const statusField = { type: 'string', enum: ['scheduled', 'canceled', 'late_canceled'] } as const;
const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;

const portalParams: Schema = {
  type: 'object',
  required: ['slug', 'id'],
  properties: { ...(slugParams.properties as Record<string, unknown>), id: uuid },
};
const portalListQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { timeZone: timeZoneField },
};
const portalCancelBody: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: multilineText(1000) },
};
const staffCancelBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'notifyClient'],
  properties: {
    status: { type: 'string', enum: ['canceled', 'late_canceled'] },
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

const cancelResultSchema: Schema = {
  type: 'object',
  properties: {
    appointmentId: uuid,
    status: statusField,
    cancelRequestedAt: isoInstant,
    canceledAt: isoInstant,
  },
};
const portalAppointmentSchema: Schema = {
  type: 'object',
  properties: {
    id: uuid,
    status: statusField,
    startsAt: isoInstant,
    endsAt: isoInstant,
    startsAtLocal: { type: 'string', description: 'startsAt in the listing time zone, with its offset' },
    clinician: {
      type: 'object',
      properties: { id: uuid, firstName: { type: 'string' }, lastName: { type: 'string' } },
    },
    service: { type: 'object', properties: { id: uuid, name: { type: 'string' } } },
    cancellationPolicy: { type: 'string', enum: ['phone_call', '24h', '48h', '72h'] },
    canceledAt: nullableInstant,
    canCancelOnline: { type: 'boolean' },
    freeCancelationUntil: nullableInstant,
    freeCancelationUntilLocal: { type: ['string', 'null'] },
    cancelNowAs: { type: ['string', 'null'], enum: ['canceled', 'late_canceled', null] },
    practicePhone: { type: ['string', 'null'] },
  },
};
const calendarEntrySchema: Schema = {
  type: 'object',
  properties: {
    id: uuid,
    status: statusField,
    clinicianId: uuid,
    client: {
      type: 'object',
      properties: { id: uuid, firstName: { type: 'string' }, lastName: { type: 'string' } },
    },
    service: { type: 'object', properties: { id: uuid, name: { type: 'string' } } },
    startsAt: isoInstant,
    endsAt: isoInstant,
    cancellationPolicy: { type: 'string' },
    cancelRequestedAt: nullableInstant,
    canceledAt: nullableInstant,
    canceledBy: { type: ['string', 'null'], enum: ['client', 'staff', null] },
    cancelReason: { type: ['string', 'null'] },
  },
};

const localIso = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toISO()!;

/** Rows keyed by id. */
const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const distinct = (ids: string[]) => [...new Set(ids)];

/** The answer to a cancel once the workflow reported (or did not report in time). */
function answerCancel(res: Response, by: CanceledBy, appointmentId: string, outcome: CancelOutcome | null) {
  if (!outcome) {
    // Durably started and judged at the recorded moment whenever a worker runs it; only the answer is late.
    res.status(202).json({ appointmentId, status: 'cancel_requested' });
    return;
  }
  if (!outcome.ok) throw new BookingError(outcome.code, outcome.message);
  // Who canceled comes from the row, never from this call: a cancel that joined the other side's running
  // workflow gets that workflow's result (with changed true), and must still learn that it lost.
  if (outcome.canceledBy !== by)
    throw alreadyCanceled(outcome.status, outcome.canceledBy, outcome.canceledAt);
  res.json({
    appointmentId,
    status: outcome.status,
    cancelRequestedAt: outcome.requestedAt,
    canceledAt: outcome.canceledAt,
  });
}

/** 409 telling the side that lost what happened: the status, who canceled and when. */
function alreadyCanceled(status: string, by: CanceledBy | null, canceledAt: string | null) {
  const what = status === 'late_canceled' ? 'marked Late Canceled' : 'canceled';
  const who = by === 'staff' ? ' by the practice' : by === 'client' ? ' by the client' : '';
  return conflict('APPOINTMENT_ALREADY_CANCELED', `This appointment was already ${what}${who}.`, {
    status,
    canceledBy: by,
    canceledAt,
  });
}

/**
 * A repeated cancel by the same side answers with the first result; one already canceled by the other side,
 * or by then started, is refused before any workflow starts, as is a portal cancel the booked policy forbids.
 */
function precheck(
  appointment: Appointment,
  opts: { by: CanceledBy; requestedAt: Date; practicePhone?: string | null },
): CancelOutcome | null {
  if (appointment.status !== 'scheduled') {
    if (appointment.canceledBy !== opts.by)
      throw alreadyCanceled(
        appointment.status,
        appointment.canceledBy,
        appointment.canceledAt ? appointment.canceledAt.toISOString() : null,
      );
    return {
      ok: true,
      appointmentId: appointment.id,
      status: appointment.status,
      canceledBy: appointment.canceledBy!,
      requestedAt: appointment.cancelRequestedAt!.toISOString(),
      canceledAt: appointment.canceledAt!.toISOString(),
      changed: false,
    };
  }
  const refusal = cancelRefusal(appointment, opts);
  if (refusal) throw refusal;
  return null;
}

/** The client's appointments and cancelations in the portal, and the practice's calendar and cancelations. */
export function appointmentRoutes(deps: AppointmentRoutesDeps): RouteDef[] {
  const { db } = deps;
  const { clock, temporal, taskQueue } = deps;
  // Temporal unreachable before the workflow started: 503 with Retry-After, and nothing changed.
  const cancel = (input: CancellationWorkflowInput) =>
    withTemporal(() => cancelAndWait(temporal, taskQueue, input));

  return [
    {
      method: 'get',
      path: '/portal/:slug/me/appointments',
      summary:
        "The signed-in client's upcoming and past appointments; for upcoming ones, what canceling now would mean",
      tag: 'Client portal',
      auth: 'client',
      params: slugParams,
      query: portalListQuery,
      responses: {
        200: {
          description: 'Appointments, upcoming soonest first, past latest first',
          schema: {
            type: 'object',
            properties: {
              timeZone: { type: 'string' },
              upcoming: { type: 'array', items: portalAppointmentSchema },
              past: { type: 'array', items: portalAppointmentSchema },
            },
          },
        },
        400: 'Not an IANA time zone',
        401: 'Not signed in',
        404: 'No such portal, the portal is off, or the token is for another practice',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const principal = requirePortalClient(res, practice);
        const client = await db.Client.findOne({ where: { id: principal.id, practiceId: practice.id } });
        const { timeZone } = res.locals.query as { timeZone?: string };
        if (timeZone && !IANAZone.isValidZone(timeZone))
          throw badRequest('timeZone', 'timeZone is not an IANA time zone.');
        const zone = timeZone ?? client?.timeZone ?? practice.timeZone;
        const rows = await db.Appointment.findAll({
          where: { practiceId: practice.id, clientId: principal.id },
          order: [['startsAt', 'ASC']],
        });
        const clinicians = byId(
          await db.StaffUser.findAll({ where: { id: distinct(rows.map((r) => r.clinicianId)) } }),
        );
        const services = byId(
          await db.Service.findAll({ where: { id: distinct(rows.map((r) => r.serviceId)) } }),
        );
        const now = clock.now();
        const view = (a: Appointment) => {
          const clinician = clinicians.get(a.clinicianId);
          const service = services.get(a.serviceId);
          return {
            id: a.id,
            status: a.status,
            startsAt: a.startsAt.toISOString(),
            endsAt: a.endsAt.toISOString(),
            startsAtLocal: localIso(a.startsAt, zone),
            clinician: {
              id: a.clinicianId,
              firstName: clinician?.firstName ?? '',
              lastName: clinician?.lastName ?? '',
            },
            service: { id: a.serviceId, name: service?.name ?? '' },
            cancellationPolicy: a.cancellationPolicy,
            canceledAt: a.canceledAt ? a.canceledAt.toISOString() : null,
          };
        };
        const upcoming = rows
          .filter((a) => a.startsAt.getTime() > now.getTime())
          .map((a) => {
            const options = cancelationOptions(a, now);
            const until = options.freeCancelationUntil;
            return {
              ...view(a),
              canCancelOnline: options.canCancelOnline,
              freeCancelationUntil: until ? until.toISOString() : null,
              freeCancelationUntilLocal: until ? localIso(until, zone) : null,
              cancelNowAs: options.cancelNowAs,
              practicePhone: options.byPhoneOnly ? practice.phone : null,
            };
          });
        const past = rows
          .filter((a) => a.startsAt.getTime() <= now.getTime())
          .reverse()
          .map(view);
        res.json({ timeZone: zone, upcoming, past });
      },
    },
    {
      method: 'post',
      path: '/portal/:slug/me/appointments/:id/cancel',
      summary:
        "Cancel one's own appointment: Canceled or Late Canceled by the policy booked with it, judged at this moment",
      tag: 'Client portal',
      auth: 'client',
      params: portalParams,
      body: portalCancelBody,
      responses: {
        200: {
          description: 'Canceled (or the first result of an earlier cancel)',
          schema: cancelResultSchema,
        },
        202: 'Recorded; the cancelation completes (judged at this moment) as soon as a worker runs it',
        401: 'Not signed in',
        404: "No such appointment among the client's own",
        409:
          'CANCEL_BY_PHONE_ONLY (with the phone number), APPOINTMENT_NOT_CANCELABLE (started), or ' +
          'APPOINTMENT_ALREADY_CANCELED (by the practice; with status, canceledBy and canceledAt)',
        422: 'DATA_REJECTED: the cancelation could not be recorded; nothing changed',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const principal = requirePortalClient(res, practice);
        const appointment = await db.Appointment.findOne({
          where: { id: req.params.id as string, practiceId: practice.id, clientId: principal.id },
        });
        if (!appointment) throw new BookingError('APPOINTMENT_NOT_FOUND', 'No such appointment.');
        // The moment the client asked: the policy judges this, however late a worker gets to it.
        const requestedAt = clock.now();
        const earlier = precheck(appointment, {
          by: 'client',
          requestedAt,
          practicePhone: practice.phone,
        });
        if (earlier) return answerCancel(res, 'client', appointment.id, earlier);
        const outcome = await cancel({
          appointmentId: appointment.id,
          practiceId: practice.id,
          clinicianId: appointment.clinicianId,
          requestedAt: requestedAt.toISOString(),
          by: 'client',
          reason: (req.body as { reason?: string }).reason ?? null,
          notifyClient: true,
          actorId: principal.id,
        });
        answerCancel(res, 'client', appointment.id, outcome);
      },
    },
    {
      method: 'post',
      path: '/api/appointments/:id/cancel',
      summary: 'Cancel an appointment as the practice, choosing Canceled or Late Canceled',
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
        const body = req.body as { status: CanceledStatus; notifyClient: boolean; reason?: string };
        const appointment = await db.Appointment.findOne({
          where: { id: req.params.id as string, practiceId: staff.practiceId },
        });
        if (!appointment) throw new BookingError('APPOINTMENT_NOT_FOUND', 'No such appointment.');
        if (appointment.clinicianId !== staff.id && !managesPractice(staff))
          throw forbidden('Clinicians cancel their own appointments only.');
        const requestedAt = clock.now();
        const earlier = precheck(appointment, { by: 'staff', requestedAt });
        if (earlier) return answerCancel(res, 'staff', appointment.id, earlier);
        const outcome = await cancel({
          appointmentId: appointment.id,
          practiceId: staff.practiceId,
          clinicianId: appointment.clinicianId,
          requestedAt: requestedAt.toISOString(),
          by: 'staff',
          status: body.status,
          reason: body.reason ?? null,
          notifyClient: body.notifyClient,
          actorId: staff.id,
        });
        answerCancel(res, 'staff', appointment.id, outcome);
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
        const where: WhereOptions<Appointment> = {
          practiceId: staff.practiceId,
          startsAt: { [Op.lt]: to },
          endsAt: { [Op.gt]: from },
        };
        if (query.clinicianId) where.clinicianId = (await clinicianFor(db, staff, query.clinicianId)).id;
        else if (!managesPractice(staff)) where.clinicianId = staff.id;
        const rows = await db.Appointment.findAll({
          where,
          order: [
            ['startsAt', 'ASC'],
            ['id', 'ASC'],
          ],
        });
        const clients = byId(
          await db.Client.findAll({ where: { id: distinct(rows.map((r) => r.clientId)) } }),
        );
        const services = byId(
          await db.Service.findAll({ where: { id: distinct(rows.map((r) => r.serviceId)) } }),
        );
        res.json(
          rows.map((a) => {
            const client = clients.get(a.clientId);
            return {
              id: a.id,
              status: a.status,
              clinicianId: a.clinicianId,
              client: {
                id: a.clientId,
                firstName: client?.firstName ?? '',
                lastName: client?.lastName ?? '',
              },
              service: { id: a.serviceId, name: services.get(a.serviceId)?.name ?? '' },
              startsAt: a.startsAt.toISOString(),
              endsAt: a.endsAt.toISOString(),
              cancellationPolicy: a.cancellationPolicy,
              cancelRequestedAt: a.cancelRequestedAt ? a.cancelRequestedAt.toISOString() : null,
              canceledAt: a.canceledAt ? a.canceledAt.toISOString() : null,
              canceledBy: a.canceledBy,
              cancelReason: a.cancelReason,
            };
          }),
        );
      },
    },
  ];
}
