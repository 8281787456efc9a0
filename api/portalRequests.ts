import type { Client } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { OneTimeCodes } from '../booking/oneTimeCodes';
import { submitRequest, type Requester } from '../booking/submitRequest';
import { toRequestView } from '../booking/requestView';
import { BookingError } from '../booking/errors';
import { startRequestWorkflow, decideRequest } from '../temporal/requests';
import { withTemporal } from '../temporal/errors';
import { withSubmissionLimit } from './submissionLimit';
import { badRequest, conflict, notFound } from './errors';
import type { RouteDef } from './route';
import { requestViewSchema } from './responseSchemas';
import { portalPractice, slugParams } from './portal';
import { requirePortalClient } from './portalAuth';
import { isoInstant, multilineText, timeZoneField, uuid } from './schemas';
import { IANAZone } from 'luxon';
import { Op } from 'sequelize';
import { pendingRefusal } from '../booking/rules/requests';
import {
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  linkNext,
  pageOf,
  pageQueryProperties,
  type Ordering,
} from './paging';
import type { Store } from '../models/store';

const name = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' };
const requestBody = {
  type: 'object',
  additionalProperties: false,
  required: ['clinicianId', 'serviceId', 'startsAt'],
  properties: {
    clinicianId: uuid,
    serviceId: uuid,
    startsAt: isoInstant,
    newClient: {
      type: 'object',
      additionalProperties: false,
      required: ['firstName', 'lastName', 'email', 'phone'],
      properties: {
        firstName: name,
        lastName: name,
        email: { type: 'string', format: 'email', maxLength: 254 },
        phone: { type: 'string', pattern: '^\\+?[0-9 ().-]{7,25}$' },
      },
    },
    emailVerificationCode: {
      type: 'string',
      pattern: '^[0-9]{6}$',
      description: 'New clients: the code emailed by POST /portal/{slug}/email-verifications',
      example: '482913',
    },
    message: multilineText(2000),
    timeZone: timeZoneField,
  },
};
const requestIdParams = {
  type: 'object',
  required: ['slug', 'id'],
  properties: { ...slugParams.properties, id: uuid },
};
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;
const myRequestsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...pageQueryProperties },
};
/** A client's own requests, newest first (the cursor names this list, so the staff list's cursors do not fit). */
const myNewestFirst: Ordering = { name: 'mine-newest', key: (t) => `${t}."created_at"`, direction: 'DESC' };

type RequestBody = {
  clinicianId: string;
  serviceId: string;
  startsAt: string;
  newClient?: { firstName: string; lastName: string; email: string; phone: string };
  emailVerificationCode?: string;
  message?: string;
  timeZone?: string;
};

/** Client portal: send a request (new or signed-in client), see and withdraw your own requests. */
export function portalRequestRoutes(deps: {
  db: Store;
  clock: Clock;
  codes: OneTimeCodes;
  temporal: Client;
  taskQueue: string;
}): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'post',
      path: '/portal/:slug/requests',
      summary:
        'Request an appointment ("I\'m a new client" with newClient, or signed in as an existing client)',
      tag: 'Client portal',
      auth: 'optional-client',
      params: slugParams,
      body: requestBody,
      responses: {
        201: 'Recorded: the request is pending and its workflow is running',
        403: 'NEW_CLIENTS_NOT_ACCEPTED',
        409: 'SLOT_UNAVAILABLE',
        422: 'EMAIL_NOT_VERIFIED: a new client without a valid emailVerificationCode; nothing is held',
        429: 'TOO_MANY_PENDING_REQUESTS (per email) or RATE_LIMITED (per network address)',
        503: 'Temporal unreachable: nothing recorded, retry later',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const body = req.body as RequestBody;
        let requester: Requester;
        if (res.locals.client) {
          const client = requirePortalClient(res, practice);
          if (body.newClient)
            throw badRequest('/newClient', 'newClient is for new clients; you are signed in.');
          if (body.emailVerificationCode !== undefined)
            throw badRequest(
              '/emailVerificationCode',
              'emailVerificationCode is for new clients; you are signed in.',
            );
          requester = { clientId: client.id };
        } else {
          if (!body.newClient)
            throw badRequest('/newClient', 'newClient is required unless you sign in as an existing client.');
          const n = body.newClient;
          requester = {
            newClient: {
              firstName: n.firstName.trim(),
              lastName: n.lastName.trim(),
              email: n.email.trim(),
              phone: n.phone.trim(),
            },
            emailVerificationCode: body.emailVerificationCode ?? null,
          };
        }
        if (body.timeZone && !IANAZone.isValidZone(body.timeZone))
          throw badRequest('/timeZone', `timeZone "${body.timeZone}" is not an IANA time zone.`);
        const key = req.get('idempotency-key');
        if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
          throw badRequest('Idempotency-Key', 'Idempotency-Key must be 8 to 200 visible ASCII characters.');
        }
        const { request, created } = await withSubmissionLimit(deps, practice.id, req.ip ?? 'unknown', () =>
          withTemporal(() =>
            submitRequest(
              deps.db,
              {
                practice,
                clinicianId: body.clinicianId,
                serviceId: body.serviceId,
                startsAt: new Date(body.startsAt),
                requester,
                message: body.message?.trim() || null,
                clientTimeZone: body.timeZone ?? null,
                idempotencyKey: key ?? null,
                now: deps.clock.now(),
                codes: deps.codes,
              },
              (input) => startRequestWorkflow(deps.temporal, deps.taskQueue, input),
            ),
          ),
        );
        if (!created) res.setHeader('Idempotent-Replayed', 'true');
        res.status(201).json(request);
      },
    },
    {
      method: 'get',
      path: '/portal/:slug/me/requests',
      summary: 'Your appointment requests, newest first, a page at a time',
      tag: 'Client portal',
      auth: 'client',
      params: slugParams,
      query: myRequestsQuery,
      responses: {
        200: {
          description: 'Requests; `Link: <…>; rel="next"` while more follow',
          schema: { type: 'array', items: requestViewSchema },
        },
        400: 'A cursor from another list, or a limit outside 1–500',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const client = requirePortalClient(res, practice);
        const q = res.locals.query as { cursor?: string; limit?: number };
        const limit = q.limit ?? DEFAULT_PAGE_SIZE;
        const page = pageOf(deps.db, 'appointment_requests', 'AppointmentRequest', myNewestFirst, q.cursor);
        const rows = await db.AppointmentRequest.findAll({
          where: {
            practiceId: practice.id,
            clientId: client.id,
            ...(page.after ? { [Op.and]: [page.after] } : {}),
          },
          order: page.order,
          limit: limit + 1,
        });
        const items = rows.slice(0, limit);
        linkNext(
          req,
          res,
          rows.length > limit ? encodeCursor(myNewestFirst, items[items.length - 1].id) : null,
          limit,
        );
        res.json(items.map(toRequestView));
      },
    },
    {
      method: 'post',
      path: '/portal/:slug/me/requests/:id/withdraw',
      summary: 'Withdraw one of your pending requests',
      tag: 'Client portal',
      auth: 'client',
      params: requestIdParams,
      responses: {
        200: { description: 'Withdrawn', schema: requestViewSchema },
        404: 'Not your request',
        409: 'REQUEST_NOT_PENDING',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const client = requirePortalClient(res, practice);
        const request = await db.AppointmentRequest.findOne({
          where: { id: req.params.id as string, practiceId: practice.id, clientId: client.id },
        });
        if (!request) throw notFound('No such request.');
        const notPending = pendingRefusal(request);
        if (notPending) throw new BookingError(notPending.code, notPending.message);
        const result = await withTemporal(
          () => decideRequest(deps.temporal, request.id, { kind: 'withdraw', clientId: client.id }),
          'decision',
        );
        if (!result.ok) throw conflict(result.code, result.message);
        await request.reload();
        res.json(toRequestView(request));
      },
    },
  ];
}
