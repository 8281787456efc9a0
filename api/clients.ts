import type { Order } from 'sequelize';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import {
  clientProfile,
  createClient,
  inviteClientToPortal,
  listClients,
  updateClient,
  type ClientChanges,
  type ClientViewer,
} from '../booking/clients';
import { toClient } from '../booking/views';
import { startPortalEmail } from '../temporal/portalEmails';
import { withTemporal } from '../temporal/errors';
import { badRequest, forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { idParams, isoInstant, phoneField, uuid } from './schemas';
import {
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  linkNext,
  pageOf,
  pageQueryProperties,
  type Ordering,
} from './paging';
import type { Store } from '../models/store';
import type { Schema } from './validation';

const name = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;
const email = { type: 'string', format: 'email', maxLength: 254 } as const;
const phone = phoneField;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: {
      type: 'string',
      maxLength: 200,
      description: 'Part of a name, email address or phone number (any case)',
    },
    archived: { type: 'boolean', description: 'true: the archived clients instead of the active ones' },
    ...pageQueryProperties,
  },
};
const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['firstName', 'lastName', 'email'],
  properties: {
    firstName: name,
    lastName: name,
    email,
    phone: { ...phone, type: ['string', 'null'] },
    portalInvite: { type: 'boolean', description: 'Email the client an invitation to the portal' },
  },
};
const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    firstName: name,
    lastName: name,
    email,
    phone: { ...phone, type: ['string', 'null'] },
    archived: { type: 'boolean' },
  },
};

const person = {
  type: 'object',
  required: ['id', 'firstName', 'lastName'],
  properties: { id: uuid, firstName: { type: 'string' }, lastName: { type: 'string' } },
};
const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type as string, 'null'] });
const clientSchema: Schema = {
  type: 'object',
  required: [
    'id',
    'firstName',
    'lastName',
    'email',
    'phone',
    'archived',
    'archivedAt',
    'portalSignIn',
    'createdAt',
    'remindersOptedOutAt',
  ],
  properties: {
    id: uuid,
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    email: { type: 'string' },
    phone: { type: ['string', 'null'] },
    archived: { type: 'boolean' },
    archivedAt: nullable(isoInstant),
    portalSignIn: {
      type: 'boolean',
      description: 'false: another client signs in to the portal with this address (they share it)',
    },
    createdAt: isoInstant,
    remindersOptedOutAt: {
      ...nullable(isoInstant),
      description: 'Set while the client wants no reminder emails: their own choice, staff cannot change it',
    },
  },
};
const invitationSchema: Schema = {
  type: 'object',
  required: ['invitationId', 'invitedAt'],
  properties: { invitationId: uuid, invitedAt: isoInstant },
};
const historyItem = (extra: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  required: ['id', 'status', 'startsAt', 'endsAt', 'clinician', 'service', ...required],
  properties: {
    id: uuid,
    status: { type: 'string' },
    startsAt: isoInstant,
    endsAt: isoInstant,
    clinician: person,
    service: { type: 'object', required: ['id', 'name'], properties: { id: uuid, name: { type: 'string' } } },
    ...extra,
  },
});
const profileSchema: Schema = {
  type: 'object',
  required: [
    ...(clientSchema.required as string[]),
    'portalInvitedAt',
    'sharesAddressWith',
    'appointments',
    'requests',
  ],
  properties: {
    ...(clientSchema.properties as Record<string, unknown>),
    portalInvitedAt: nullable(isoInstant),
    sharesAddressWith: {
      ...person,
      type: ['object', 'null'],
      description: 'The client who signs in with this address',
    },
    appointments: {
      type: 'array',
      items: historyItem({ canceledAt: nullable(isoInstant) }, ['canceledAt']),
    },
    requests: {
      type: 'array',
      items: historyItem({ createdAt: isoInstant, appointmentId: { type: ['string', 'null'] } }, [
        'createdAt',
        'appointmentId',
      ]),
    },
  },
};

/** By name, as a paper client list is kept; ties by id. */
const byName: Ordering = {
  name: 'client-name',
  key: (t) => `lower(${t}."last_name" || ' ' || ${t}."first_name")`,
  direction: 'ASC',
};

const viewerOf = (staff: StaffPrincipal): ClientViewer => ({
  id: staff.id,
  practiceId: staff.practiceId,
  seesAll: managesPractice(staff),
});

/** The practice's clients on the dashboard: the list, the profile, adding, editing, archiving, portal invitations. */
export function clientRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db } = deps;
  const startInvitationEmail = (id: string) =>
    withTemporal(() => startPortalEmail(deps.temporal, deps.taskQueue, { kind: 'portal-invitation', id }));
  return [
    {
      method: 'get',
      path: '/api/clients',
      summary:
        "Clients by name, a page at a time, searchable by name, email or phone (admins and managers: the practice's; " +
        'a clinician: those they have an appointment or request with); archived ones only with archived=true',
      tag: 'Clients',
      auth: 'staff',
      query: listQuery,
      responses: {
        200: {
          description: 'Clients; `Link: <…>; rel="next"` while more follow',
          schema: { type: 'array', items: clientSchema },
        },
        400: 'A cursor from another list, or a limit outside 1–500',
      },
      handler: async (req, res) => {
        const q = res.locals.query as { q?: string; archived?: boolean; cursor?: string; limit?: number };
        const limit = q.limit ?? DEFAULT_PAGE_SIZE;
        const page = pageOf(db, 'clients', 'Client', byName, q.cursor);
        const rows = await listClients(db, viewerOf(res.locals.staff!), {
          q: q.q,
          archived: q.archived,
          after: page.after,
          order: page.order as Order,
          limit: limit + 1,
        });
        const items = rows.slice(0, limit);
        linkNext(
          req,
          res,
          rows.length > limit ? encodeCursor(byName, items[items.length - 1].id) : null,
          limit,
        );
        res.json(items.map(toClient));
      },
    },
    {
      method: 'post',
      path: '/api/clients',
      summary:
        "Add a client by hand (one who never booked online), optionally emailing them an invitation to the practice's " +
        'portal (admin clinicians and practice managers)',
      tag: 'Clients',
      auth: 'staff',
      body: createBody,
      responses: {
        201: {
          description: 'Added; `invitation` when one is on its way',
          schema: {
            type: 'object',
            required: ['client', 'invitation'],
            properties: {
              client: clientSchema,
              invitation: { ...invitationSchema, type: ['object', 'null'] },
            },
          },
        },
        400: 'A field is missing or malformed (named in `field`)',
        403: 'A clinician: adding clients is for admin clinicians and practice managers',
        409: 'CLIENT_EMAIL_TAKEN (`field` /email): another client signs in with this address; PORTAL_DISABLED with portalInvite',
        503: 'Temporal unreachable with portalInvite: nothing was added, retry later',
      },
      handler: async (req, res) => {
        // A clinician sees only clients they work with, so one they added would vanish from their own list.
        if (!managesPractice(res.locals.staff!))
          throw forbidden('Adding clients is for admin clinicians and practice managers.');
        const body = req.body as {
          firstName: string;
          lastName: string;
          email: string;
          phone?: string | null;
          portalInvite?: boolean;
        };
        const result = await createClient(
          db,
          res.locals.staff!,
          {
            firstName: body.firstName.trim(),
            lastName: body.lastName.trim(),
            email: body.email.trim(),
            phone: body.phone?.trim() || null,
            portalInvite: body.portalInvite === true,
          },
          { now: deps.clock.now(), startInvitationEmail },
        );
        res.status(201).location(`/api/clients/${result.client.id}`).json(result);
      },
    },
    {
      method: 'get',
      path: '/api/clients/:id',
      summary: 'A client: contact details and every appointment and request, newest first',
      tag: 'Clients',
      auth: 'staff',
      params: idParams,
      responses: {
        200: { description: 'The client', schema: profileSchema },
        404: "No such client, another practice's, or (for a clinician) one they have no appointment or request with",
      },
      handler: async (req, res) => {
        res.json(await clientProfile(db, viewerOf(res.locals.staff!), req.params.id as string));
      },
    },
    {
      method: 'patch',
      path: '/api/clients/:id',
      summary:
        'Change contact details, or archive (no portal sign-in, no requests; history kept) or unarchive a client',
      tag: 'Clients',
      auth: 'staff',
      params: idParams,
      body: patchBody,
      responses: {
        200: { description: 'The client as changed', schema: clientSchema },
        400: 'A field is malformed (named in `field`), or nothing to change',
        404: 'No such client (as for GET)',
        409: 'CLIENT_EMAIL_TAKEN (`field` /email): another client signs in with this address',
      },
      handler: async (req, res) => {
        const body = req.body as ClientChanges;
        if (Object.keys(body).length === 0) throw badRequest('body', 'Say what to change.');
        const changes: ClientChanges = {
          ...body,
          firstName: body.firstName?.trim(),
          lastName: body.lastName?.trim(),
          email: body.email?.trim(),
          phone: body.phone === undefined ? undefined : body.phone?.trim() || null,
        };
        res.json(
          await updateClient(
            db,
            viewerOf(res.locals.staff!),
            req.params.id as string,
            changes,
            deps.clock.now(),
          ),
        );
      },
    },
    {
      method: 'post',
      path: '/api/clients/:id/portal-invite',
      summary:
        "Email the client a link to the practice's portal, where they sign in with a code sent to the same address",
      tag: 'Clients',
      auth: 'staff',
      params: idParams,
      responses: {
        202: { description: 'The invitation is durably on its way', schema: invitationSchema },
        404: 'No such client (as for GET)',
        409: 'PORTAL_DISABLED, CLIENT_ARCHIVED, or CLIENT_SHARES_ADDRESS (another client signs in with the address)',
        503: 'Temporal unreachable: nothing is on its way, retry later',
      },
      handler: async (req, res) => {
        const invitation = await inviteClientToPortal(
          db,
          viewerOf(res.locals.staff!),
          req.params.id as string,
          {
            now: deps.clock.now(),
            startInvitationEmail,
          },
        );
        res.status(202).json(invitation);
      },
    },
  ];
}
