import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import { submitRescheduleRequest } from '../booking/rescheduleRequest';
import { startRequestWorkflow } from '../temporal/requests';
import { withTemporal } from '../temporal/errors';
import type { RouteDef } from './route';
import { portalPractice, slugParams } from './portal';
import { requirePortalClient } from './portalAuth';
import { requestViewSchema } from './responseSchemas';
import { isoInstant, uuid } from './schemas';
import type { Schema } from './validation';

const params: Schema = {
  type: 'object',
  required: ['slug', 'id'],
  properties: { ...(slugParams.properties as Record<string, unknown>), id: uuid },
};
const body: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['startsAt'],
  properties: { startsAt: isoInstant },
};
const answer: Schema = {
  ...requestViewSchema,
  properties: {
    ...(requestViewSchema.properties as Record<string, unknown>),
    kind: { type: 'string', enum: ['reschedule'] },
    appointmentId: uuid,
  },
};

/** A signed-in client asks to move their own appointment; the clinician decides through the usual routes. */
export function portalRescheduleRequestRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db, clock, temporal, taskQueue } = deps;
  return [
    {
      method: 'post',
      path: '/portal/:slug/me/appointments/:id/reschedule-requests',
      summary: 'Ask to move one of your appointments: the new time is held until the clinician decides',
      tag: 'Client portal',
      auth: 'client',
      params,
      body,
      responses: {
        201: { description: 'Requested; the appointment keeps its time until approved', schema: answer },
        400: 'startsAt missing or invalid',
        401: 'Not signed in',
        404: "No such appointment among the client's own",
        409:
          'RESCHEDULE_BY_PHONE_ONLY (past the free-cancelation cutoff or phone-only policy; with the phone number), ' +
          'SLOT_UNAVAILABLE, APPOINTMENT_NOT_RESCHEDULABLE, or RESCHEDULE_ALREADY_REQUESTED',
        503: 'Temporal unreachable: nothing changed',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const principal = requirePortalClient(res, practice);
        const request = await withTemporal(() =>
          submitRescheduleRequest(
            db,
            {
              practice,
              clientId: principal.id,
              appointmentId: req.params.id as string,
              startsAt: new Date((req.body as { startsAt: string }).startsAt),
              now: clock.now(),
            },
            (input) => startRequestWorkflow(temporal, taskQueue, input),
          ),
        );
        res.status(201).json(request);
      },
    },
  ];
}
