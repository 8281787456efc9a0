import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import { findAppointment } from '../booking/appointments';
import { rescheduleAppointment } from '../booking/reschedule';
import { startRescheduleInvite } from '../temporal/reschedules';
import { withTemporal } from '../temporal/errors';
import { badRequest, forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { idParams, isoInstant, uuid } from './schemas';
import type { Schema } from './validation';

const rescheduleBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['startsAt'],
  properties: { startsAt: isoInstant },
};
const rescheduleAnswer: Schema = {
  type: 'object',
  required: ['appointmentId', 'startsAt', 'endsAt', 'inviteSequence', 'changed'],
  properties: {
    appointmentId: uuid,
    startsAt: isoInstant,
    endsAt: isoInstant,
    inviteSequence: { type: 'integer', description: "The SEQUENCE of the client's latest invite" },
    changed: { type: 'boolean', description: 'false when the appointment already started at this time' },
  },
};

/** Moving an appointment from the dashboard. */
export function rescheduleRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db, clock, temporal, taskQueue } = deps;
  return [
    {
      method: 'post',
      path: '/api/appointments/:id/reschedule',
      summary:
        'Move a scheduled appointment to another time (same duration); the client gets an updated invite',
      tag: 'Appointments',
      auth: 'staff',
      params: idParams,
      body: rescheduleBody,
      responses: {
        200: { description: 'Moved (or already at that time)', schema: rescheduleAnswer },
        400: 'startsAt missing, invalid or already past',
        403: "Another clinician's appointment",
        404: 'No such appointment in the practice',
        409:
          'SLOT_UNAVAILABLE (over another appointment, a pending request or time off), or ' +
          'APPOINTMENT_NOT_RESCHEDULABLE (canceled, marked, or already started)',
        503: 'Temporal unreachable: nothing changed',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const body = req.body as { startsAt: string };
        const appointment = await findAppointment(db, {
          id: req.params.id as string,
          practiceId: staff.practiceId,
        });
        if (appointment.clinicianId !== staff.id && !managesPractice(staff))
          throw forbidden('Clinicians move their own appointments only.');
        const startsAt = new Date(body.startsAt);
        const now = clock.now();
        if (startsAt.getTime() <= now.getTime())
          throw badRequest('/startsAt', 'The new time has already passed. Pick a time in the future.');
        res.json(
          await rescheduleAppointment(db, staff, { appointmentId: appointment.id, startsAt, now }, (input) =>
            withTemporal(() => startRescheduleInvite(temporal, taskQueue, input)),
          ),
        );
      },
    },
  ];
}
