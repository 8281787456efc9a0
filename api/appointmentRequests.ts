import { Op } from 'sequelize';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import { type AppointmentRequest, requestStatuses } from '../models/appointmentRequest';
import { toRequestView } from '../booking/requestView';
import { rescheduleFrom } from '../booking/rescheduleRequest';
import { signInClientByEmail } from '../booking/clients';
import { BookingError } from '../booking/errors';
import { decideRequest, type RequestDecision } from '../temporal/requests';
import { withTemporal } from '../temporal/errors';
import { badRequest, conflict, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { idParams, multilineText, uuid } from './schemas';
import { pendingRefusal } from '../booking/rules/requests';
import { approveAnswerSchema, declineAnswerSchema, staffRequestSchema } from './responseSchemas';
import {
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  linkNext,
  pageOf,
  pageQueryProperties,
  type Ordering,
} from './paging';
import type { Store } from '../models/store';
import type { Client } from '../models/client';
import { dropPendingText, keepPendingText } from '../booking/pendingTexts';

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...requestStatuses] },
    clinicianId: uuid,
    ...pageQueryProperties,
  },
};
const approveBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    asNewClient: {
      type: 'boolean',
      description:
        "A new client's request: book it as a client of its own even when another client has the same address " +
        '(they keep it for contact; the portal sign-in stays with the existing client)',
    },
  },
};
const declineBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: multilineText(2000) },
};

/** The request if this staff user may decide it: their own, or any of the practice for admins and managers. */
async function decidableRequest(db: Store, staff: StaffPrincipal, id: string): Promise<AppointmentRequest> {
  const request = await db.AppointmentRequest.findOne({ where: { id, practiceId: staff.practiceId } });
  if (!request) throw notFound('No such request.');
  if (request.clinicianId !== staff.id && !managesPractice(staff))
    throw forbidden("You can decide only your own clients' requests.");
  return request;
}

/** The client who signs in with the email a new-client request gave (any case, as approval matches it). */
function clientByEmail(db: Store, request: AppointmentRequest) {
  return signInClientByEmail(db, request.practiceId, request.newClient!.email);
}

/** Newest first: what the "All requests" tab shows. */
const newestFirst: Ordering = {
  name: 'newest',
  key: (t) => `${t}."created_at"`,
  direction: 'DESC',
};

/**
 * Pending requests, the one that must be answered first at the top: a request lapses when its slot starts or
 * when it is older than the practice's request lifetime, whichever comes first (requestExpiresAt in
 * booking/rules/requests.ts, here in SQL), so that moment orders them.
 * Longest-waiting first would put a request for next month above one whose slot is tomorrow morning; soonest
 * slot first would let a request for a far slot lapse unseen after its lifetime.
 */
const answerFirst = (lifetimeHours: number): Ordering => ({
  name: 'answer-first',
  key: (t) =>
    `LEAST(${t}."starts_at", ${t}."created_at" + make_interval(hours => ${Math.trunc(lifetimeHours)}))`,
  direction: 'ASC',
});

/** The existing client a flagged request is compared with, side by side with what was submitted. */
const duplicateOf = (c: Client | undefined) =>
  c
    ? {
        id: c.id,
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        phone: c.phone,
        archived: c.archivedAt !== null,
        clientSince: c.createdAt.toISOString(),
      }
    : null;

/** Requests with what the dashboard shows of each: the person, service, clinician and waiting time. */
async function withDetails(db: Store, practiceId: string, rows: AppointmentRequest[], nowDate: Date) {
  const [clients, services, clinicians] = await Promise.all([
    db.Client.findAll({
      where: {
        id: {
          [Op.in]: rows
            .flatMap((r) => [r.clientId, r.possibleDuplicateClientId])
            .filter((x): x is string => x !== null),
        },
      },
    }),
    db.Service.findAll({ where: { practiceId } }),
    db.StaffUser.findAll({ where: { practiceId } }),
  ]);
  const now = nowDate.getTime();
  // Requests to move an appointment: the time it moves from, for "Move … from … to …".
  const movesFrom = new Map<string, { startsAt: string; endsAt: string; appointmentStatus: string }>();
  for (const r of rows) {
    const from = r.kind === 'reschedule' ? await rescheduleFrom(db, r) : null;
    if (from)
      movesFrom.set(r.id, {
        startsAt: from.startsAt.toISOString(),
        endsAt: from.endsAt.toISOString(),
        appointmentStatus: from.appointmentStatus,
      });
  }
  return rows.map((r) => {
    const client = clients.find((c) => c.id === r.clientId);
    const person = r.newClient ?? client!;
    const service = services.find((s) => s.id === r.serviceId)!;
    const clinician = clinicians.find((c) => c.id === r.clinicianId)!;
    return {
      ...toRequestView(r),
      client: {
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        phone: person.phone,
        isNew: r.newClient !== null && r.clientId === null,
      },
      possibleDuplicate: r.possibleDuplicateClientId !== null,
      possibleDuplicateClientId: r.possibleDuplicateClientId,
      possibleDuplicateClient: duplicateOf(clients.find((c) => c.id === r.possibleDuplicateClientId)),
      service: { id: service.id, name: service.name, durationMinutes: service.durationMinutes },
      clinician: { id: clinician.id, firstName: clinician.firstName, lastName: clinician.lastName },
      waitingMinutes:
        r.status === 'pending' ? Math.max(0, Math.floor((now - r.createdAt.getTime()) / 60_000)) : null,
      movesFrom: movesFrom.get(r.id) ?? null,
    };
  });
}

/** Appointment Requests on the dashboard: the list with client details, and Actions > Approve / Decline. */
export function appointmentRequestRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
}): RouteDef[] {
  const { db } = deps;
  // The decision is built once the request is found pending: a decline keeps its note only then, and sends its id.
  async function decide(
    staff: StaffPrincipal,
    id: string,
    decisionFor: RequestDecision | ((request: { practiceId: string }) => Promise<RequestDecision>),
  ) {
    const request = await decidableRequest(db, staff, id);
    const notPending = pendingRefusal(request);
    if (notPending) throw new BookingError(notPending.code, notPending.message);
    const decision = typeof decisionFor === 'function' ? await decisionFor(request) : decisionFor;
    const noteId = decision.kind === 'decline' ? decision.noteId : null;
    const result = await withTemporal(() => decideRequest(deps.temporal, request.id, decision), 'decision');
    // Answered: the close step took the note, or (refused) never will. An update that outlived its wait may still
    // run, so its note stays until taken or pruned.
    await dropPendingText(db, noteId);
    await request.reload();
    if (!result.ok) throw conflict(result.code, result.message, { request: toRequestView(request) });
    return request;
  }

  return [
    {
      method: 'get',
      path: '/api/appointment-requests',
      summary:
        "Requests (a clinician's own; the whole practice's for admins and managers), a page at a time: newest " +
        'first; with status=pending, the one to answer first (its slot or its lifetime ends soonest) first',
      tag: 'Appointment requests',
      auth: 'staff',
      query: listQuery,
      responses: {
        200: {
          description:
            'Requests with client, service, waiting time and the possible-duplicate flag; `Link: <…>; rel="next"` while more follow',
          schema: { type: 'array', items: staffRequestSchema },
        },
        400: 'A cursor from another list or tab, or a limit outside 1–500',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const q = res.locals.query as {
          status?: string;
          clinicianId?: string;
          cursor?: string;
          limit?: number;
        };
        const where: Record<string | symbol, unknown> = { practiceId: staff.practiceId };
        if (q.status) where.status = q.status;
        if (!managesPractice(staff)) where.clinicianId = staff.id;
        else if (q.clinicianId) where.clinicianId = q.clinicianId;
        const limit = q.limit ?? DEFAULT_PAGE_SIZE;
        const practice = await db.Practice.findByPk(staff.practiceId);
        const ordering = q.status === 'pending' ? answerFirst(practice!.requestLifetimeHours) : newestFirst;
        const page = pageOf(deps.db, 'appointment_requests', 'AppointmentRequest', ordering, q.cursor);
        if (page.after) where[Op.and] = [page.after];
        const rows = await db.AppointmentRequest.findAll({ where, order: page.order, limit: limit + 1 });
        const more = rows.length > limit;
        const items = rows.slice(0, limit);
        linkNext(req, res, more ? encodeCursor(ordering, items[items.length - 1].id) : null, limit);
        res.json(await withDetails(db, staff.practiceId, items, deps.clock.now()));
      },
    },
    {
      method: 'get',
      path: '/api/appointment-requests/:id',
      summary:
        'One request as the list shows it (the dashboard reloads it after a decision it could not confirm)',
      tag: 'Appointment requests',
      auth: 'staff',
      params: idParams,
      responses: {
        200: { description: 'The request', schema: staffRequestSchema },
        403: "Another clinician's request",
        404: 'No such request',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const request = await decidableRequest(db, staff, req.params.id as string);
        const [view] = await withDetails(db, staff.practiceId, [request], deps.clock.now());
        res.json(view);
      },
    },
    {
      method: 'post',
      path: '/api/appointment-requests/:id/approve',
      summary:
        'Approve: books the appointment for the signed-in client, the existing client with the email a new ' +
        'client gave (their profile unchanged), or a client it creates (always, with asNewClient); emails the confirmation',
      tag: 'Appointment requests',
      auth: 'staff',
      params: idParams,
      body: approveBody,
      responses: {
        200: {
          description:
            'Booked: the request, the appointment, and the client booked for (`created` false when an existing client was used)',
          schema: approveAnswerSchema,
        },
        403: "Another clinician's request",
        404: 'No such request',
        400: "asNewClient for a signed-in client's request (field /asNewClient)",
        409: 'REQUEST_NOT_PENDING (decided, withdrawn, expired, or its time has started: then it expires), SLOT_UNAVAILABLE (request stays pending), or CLIENT_ARCHIVED (the existing client is archived: unarchive them or approve asNewClient)',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const asNewClient = (req.body as { asNewClient?: boolean }).asNewClient === true;
        const asked = await decidableRequest(db, staff, req.params.id as string);
        if (asNewClient && asked.newClient === null)
          throw badRequest(
            '/asNewClient',
            'This request is from a signed-in client: there is no new client to add.',
          );
        // Approval books a new client's request for the client who already has that email, if there is one.
        const existing = asked.clientId === null && asked.newClient ? await clientByEmail(db, asked) : null;
        const request = await decide(staff, asked.id, { kind: 'approve', actorId: staff.id, asNewClient });
        const appointment = await db.Appointment.findByPk(request.appointmentId!);
        const client = (await db.Client.findByPk(appointment!.clientId))!;
        res.json({
          request: toRequestView(request),
          client: {
            id: client.id,
            firstName: client.firstName,
            lastName: client.lastName,
            email: client.email,
            created: request.newClient !== null && client.id !== existing?.id,
          },
          appointment: {
            id: appointment!.id,
            clientId: appointment!.clientId,
            startsAt: appointment!.startsAt.toISOString(),
            endsAt: appointment!.endsAt.toISOString(),
            status: appointment!.status,
          },
        });
      },
    },
    {
      method: 'post',
      path: '/api/appointment-requests/:id/decline',
      summary: 'Decline, optionally with a note that is emailed to the client',
      tag: 'Appointment requests',
      auth: 'staff',
      params: idParams,
      body: declineBody,
      responses: {
        200: { description: 'Declined', schema: declineAnswerSchema },
        403: "Another clinician's request",
        404: 'No such request',
        409: 'REQUEST_NOT_PENDING',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const note = (req.body as { note?: string }).note?.trim() || null;
        const request = await decide(staff, req.params.id as string, (r) =>
          keepPendingText(db, r.practiceId, note, deps.clock.now()).then((noteId) => ({
            kind: 'decline' as const,
            actorId: staff.id,
            noteId,
          })),
        );
        res.json({ request: toRequestView(request) });
      },
    },
  ];
}
