import { requestStatuses } from '../models/appointmentRequest';
import { appointmentStatuses } from '../models/appointment';
import { isoInstant, staffUserSchema, uuid } from './schemas';
import type { Schema } from './validation';

/**
 * The JSON Schemas of the answers the web app reads, for routes whose answer is built in a handler rather than by
 * a schema'd view. Every property a handler always sends is `required`, so the types generated from them
 * (tools/openapiTypes.ts → web/src/generated/api.ts) say what the browser can rely on; test/api/responseSchemas
 * checks real answers against them.
 */

const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;

/** An object schema whose every listed property is always sent. */
const always = (properties: Record<string, unknown>, optional: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

const requestViewProperties = {
  id: uuid,
  status: { type: 'string', enum: [...requestStatuses] },
  kind: {
    type: 'string',
    enum: ['booking', 'reschedule'],
    description: 'A new appointment, or another time for appointmentId (then set from the start)',
  },
  clinicianId: uuid,
  serviceId: uuid,
  startsAt: isoInstant,
  endsAt: isoInstant,
  clientId: nullableUuid,
  message: nullableText,
  declineNote: nullableText,
  appointmentId: nullableUuid,
  createdAt: isoInstant,
  decidedAt: nullableInstant,
};

/** A request as booking/requestView.ts shows it (portal lists, decline and withdraw answers). */
export const requestViewSchema = always(requestViewProperties);

/** A request as the dashboard lists it: the view plus the person, service, clinician and waiting time. */
export const staffRequestSchema = always({
  ...requestViewProperties,
  // A new client's phone is optional in the form, so an absent one is absent here too.
  client: always(
    { firstName: text, lastName: text, email: text, phone: nullableText, isNew: { type: 'boolean' } },
    ['phone'],
  ),
  possibleDuplicate: { type: 'boolean' },
  possibleDuplicateClientId: nullableUuid,
  possibleDuplicateClient: {
    ...always({
      id: uuid,
      firstName: text,
      lastName: text,
      email: text,
      phone: nullableText,
      archived: { type: 'boolean' },
      clientSince: isoInstant,
    }),
    type: ['object', 'null'],
    description: 'The existing client a flagged request may be a duplicate of, to compare side by side',
  },
  service: always({ id: uuid, name: text, durationMinutes: { type: 'integer' } }),
  clinician: always({ id: uuid, firstName: text, lastName: text }),
  waitingMinutes: { type: ['integer', 'null'], description: 'Minutes since it was sent, while pending' },
  movesFrom: {
    ...always({
      startsAt: isoInstant,
      endsAt: isoInstant,
      appointmentStatus: { type: 'string', enum: [...appointmentStatuses] },
    }),
    type: ['object', 'null'],
    description:
      "kind reschedule: the appointment's time before the move (its time now while pending) and its status now",
  },
});

/** What an approval booked. */
export const approveAnswerSchema = always({
  request: requestViewSchema,
  client: always({
    id: uuid,
    firstName: text,
    lastName: text,
    email: text,
    created: { type: 'boolean', description: 'false when an existing client was booked' },
  }),
  appointment: always({
    id: uuid,
    clientId: uuid,
    startsAt: isoInstant,
    endsAt: isoInstant,
    status: { type: 'string', enum: [...appointmentStatuses] },
  }),
});

/** A decided request. */
export const declineAnswerSchema = always({ request: requestViewSchema });

/** The bell: the latest 100 notifications and how many are unread. */
export const notificationsSchema = always({
  unreadCount: { type: 'integer' },
  items: {
    type: 'array',
    items: always({
      id: uuid,
      kind: text,
      requestId: nullableUuid,
      appointmentId: nullableUuid,
      startsAt: nullableInstant,
      requestStatus: { type: ['string', 'null'], enum: [...requestStatuses, null] },
      decided: { type: 'boolean' },
      client: { ...always({ firstName: text, lastName: text }), type: ['object', 'null'] },
      read: { type: 'boolean' },
      createdAt: isoInstant,
    }),
  },
});

/** A signed-in staff user's session. */
export const staffSessionSchema = always({
  token: text,
  expiresAt: isoInstant,
  idleTimeoutMinutes: { type: 'integer' },
  user: staffUserSchema,
});

/** A cookie session as the dashboard sees it: like a sign-in's answer, without the token its scripts never hold. */
export const staffCookieSessionSchema = always({
  expiresAt: isoInstant,
  idleTimeoutMinutes: { type: 'integer' },
  user: staffUserSchema,
});

/** A session opened by accepting an invitation: the cookie session's answer, and the token for an API client. */
export const acceptedSessionSchema = always(
  {
    token: text,
    expiresAt: isoInstant,
    idleTimeoutMinutes: { type: 'integer' },
    user: staffUserSchema,
  },
  ['token'],
);

/** The public face of a portal. */
export const portalInfoSchema = always({
  name: text,
  slug: text,
  timeZone: text,
  phone: nullableText,
  allowNewClients: { type: 'boolean' },
  cancellationPolicy: { type: 'string', enum: ['phone_call', '24h', '48h', '72h'] },
});

/** The clinicians a portal offers, with the services bookable online. */
export const portalCliniciansSchema: Schema = {
  type: 'array',
  items: always({
    id: uuid,
    firstName: text,
    lastName: text,
    bio: nullableText,
    photoUrl: nullableText,
    services: {
      type: 'array',
      items: always({ id: uuid, name: text, durationMinutes: { type: 'integer' } }),
    },
    newClients: always({ accepted: { type: 'boolean' }, initialConsultationServiceId: nullableUuid }),
  }),
};

/** The same answer to every code request (sign-in or new-client verification). */
export const codeRequestedSchema = always({
  status: { type: 'string', const: 'accepted' },
  detail: text,
  validForMinutes: { type: 'integer' },
});

/** An audit log entry: who (by name), when, what, and the values before and after (any JSON, or null). */
export const auditLogEntrySchema = always({
  id: text,
  at: isoInstant,
  actor: always({
    type: { type: 'string', enum: ['staff', 'client', 'system'] },
    id: nullableUuid,
    name: nullableText,
  }),
  action: text,
  entity: text,
  entityId: nullableText,
  entityName: nullableText,
  before: {},
  after: {},
});

/** A staff user's profile (GET|PATCH /api/staff/:id/profile). */
export const staffProfileSchema = always({
  id: uuid,
  practiceId: uuid,
  email: text,
  firstName: text,
  lastName: text,
  role: { type: 'string', enum: ['admin_clinician', 'clinician', 'practice_manager'] },
  timeZone: nullableText,
  phone: nullableText,
  bio: nullableText,
  photoUrl: nullableText,
});
