import {
  Op,
  QueryTypes,
  UniqueConstraintError,
  col,
  fn,
  literal,
  where,
  type Order,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import type { Client } from '../models/client';
import type { Store } from '../models/store';
import { changedFields, recordStaffChange, type StaffActor } from './audit';
import { BookingError } from './errors';
import { toClient, toClientAppointment, toClientRequest } from './views';

/**
 * Who is looking: admin clinicians and practice managers see every client of the practice (`seesAll`); a
 * clinician sees the clients they have an appointment or a request with, and no other client exists for them.
 */
export interface ClientViewer extends StaffActor {
  seesAll: boolean;
}

const notFound = () => new BookingError('CLIENT_NOT_FOUND', 'No such client.');
const emailTaken = () =>
  new BookingError(
    'CLIENT_EMAIL_TAKEN',
    'Another client of the practice signs in with this email address.',
    '/email',
  );

/** The SQL condition "a client this clinician has an appointment or a request with", over the Client row. */
function seenByClinician(db: Store, clinicianId: string) {
  const id = db.sequelize.escape(clinicianId);
  return literal(
    `("Client"."id" IN (SELECT client_id FROM appointments WHERE clinician_id = ${id})
      OR "Client"."id" IN (SELECT client_id FROM appointment_requests
                            WHERE clinician_id = ${id} AND client_id IS NOT NULL))`,
  );
}

/** The client that signs in with this address (any case), archived or not. */
export function signInClientByEmail(
  db: Store,
  practiceId: string,
  email: string,
  transaction?: Transaction,
): Promise<Client | null> {
  return db.Client.findOne({
    where: {
      practiceId,
      portalSignIn: true,
      [Op.and]: [where(fn('lower', col('email')), email.trim().toLowerCase())],
    },
    transaction,
  });
}

/** Whether a client may use the portal now: it exists and is not archived (a token outlives neither). */
export async function clientMayUsePortal(db: Store, clientId: string): Promise<boolean> {
  const client = await db.Client.findByPk(clientId, { attributes: ['id', 'archivedAt'] });
  return !!client && client.archivedAt === null;
}

/** `%text%` for ILIKE with the user's own % and _ taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The search and visibility conditions of the client list: name (first, last or both in either order), email or
 * phone, any case; a phone is matched on its digits, so "555 0142" finds "+1 (555) 014-2".
 */
function clientListWhere(
  db: Store,
  viewer: ClientViewer,
  opts: { q?: string; archived?: boolean },
): WhereOptions<Client> {
  const and: unknown[] = [];
  if (!viewer.seesAll) and.push(seenByClinician(db, viewer.id));
  const q = opts.q?.trim();
  if (q) {
    const like = db.sequelize.escape(contains(q));
    const digits = q.replace(/\D/g, '');
    and.push(
      literal(
        `("Client"."first_name" || ' ' || "Client"."last_name" ILIKE ${like}
          OR "Client"."last_name" || ' ' || "Client"."first_name" ILIKE ${like}
          OR "Client"."email" ILIKE ${like}
          OR "Client"."phone" ILIKE ${like}${
            digits.length >= 3
              ? ` OR regexp_replace(coalesce("Client"."phone", ''), '\\D', '', 'g') LIKE ${db.sequelize.escape(`%${digits}%`)}`
              : ''
          })`,
      ),
    );
  }
  return {
    practiceId: viewer.practiceId,
    archivedAt: opts.archived ? { [Op.ne]: null } : null,
    [Op.and]: and,
  } as WhereOptions<Client>;
}

/** One page of the practice's clients this viewer may see, in the order and after the position paging gives. */
export function listClients(
  db: Store,
  viewer: ClientViewer,
  opts: {
    q?: string;
    archived?: boolean;
    /** The keyset position and order of the page (api/paging.ts pageOf). */
    after: ReturnType<typeof literal> | null;
    order: Order;
    limit: number;
  },
): Promise<Client[]> {
  const base = clientListWhere(db, viewer, opts) as Record<string | symbol, unknown>;
  if (opts.after) (base[Op.and] as unknown[]).push(opts.after);
  return db.Client.findAll({
    where: base as WhereOptions<Client>,
    order: opts.order,
    limit: opts.limit,
  });
}

/** The client if this viewer may see it; CLIENT_NOT_FOUND for another practice's or another clinician's. */
export async function visibleClient(
  db: Store,
  viewer: ClientViewer,
  clientId: string,
  transaction?: Transaction,
): Promise<Client> {
  const and: unknown[] = viewer.seesAll ? [] : [seenByClinician(db, viewer.id)];
  const client = await db.Client.findOne({
    where: { id: clientId, practiceId: viewer.practiceId, [Op.and]: and } as WhereOptions<Client>,
    transaction,
    lock: transaction ? transaction.LOCK.UPDATE : undefined,
  });
  if (!client) throw notFound();
  return client;
}

/** When the client was last invited to the portal, or null. */
async function lastInvitedAt(db: Store, clientId: string): Promise<Date | null> {
  const [row] = await db.sequelize.query<{ at: Date | null }>(
    'SELECT max(created_at) AS at FROM client_portal_invitations WHERE client_id = :clientId',
    { replacements: { clientId }, type: QueryTypes.SELECT },
  );
  return row?.at ? new Date(row.at) : null;
}

/**
 * The profile: contact details, the client who signs in with the same address when it is someone else, and every
 * appointment and request, newest first.
 */
export async function clientProfile(db: Store, viewer: ClientViewer, clientId: string) {
  const client = await visibleClient(db, viewer, clientId);
  const [appointments, requests, invitedAt, signsInAs] = await Promise.all([
    db.Appointment.findAll({ where: { clientId: client.id }, order: [['startsAt', 'DESC']] }),
    db.AppointmentRequest.findAll({ where: { clientId: client.id }, order: [['createdAt', 'DESC']] }),
    lastInvitedAt(db, client.id),
    client.portalSignIn ? null : signInClientByEmail(db, client.practiceId, client.email),
  ]);
  const [staff, services] = await Promise.all([
    db.StaffUser.findAll({ where: { practiceId: client.practiceId } }),
    db.Service.findAll({ where: { practiceId: client.practiceId } }),
  ]);
  const related = {
    staff: new Map(staff.map((s) => [s.id, s])),
    services: new Map(services.map((s) => [s.id, s])),
  };
  return {
    ...toClient(client),
    portalInvitedAt: invitedAt ? invitedAt.toISOString() : null,
    sharesAddressWith: signsInAs
      ? { id: signsInAs.id, firstName: signsInAs.firstName, lastName: signsInAs.lastName }
      : null,
    appointments: appointments.map((a) => toClientAppointment(a, related)),
    requests: requests.map((r) => toClientRequest(r, related)),
  };
}

export interface NewClientInput {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  portalInvite: boolean;
}

/** Records an invitation and starts its email inside the caller's transaction (see createClient). */
async function recordInvitation(
  db: Store,
  actor: StaffActor,
  client: Client,
  transaction: Transaction,
  startEmail: (invitationId: string) => Promise<void>,
  now: Date,
): Promise<{ invitationId: string; invitedAt: string }> {
  const practice = await db.Practice.findByPk(client.practiceId, { transaction });
  if (!practice?.portalEnabled)
    throw new BookingError(
      'PORTAL_DISABLED',
      'The client portal is off. Turn it on in Client Portal settings before inviting clients.',
    );
  if (client.archivedAt)
    throw new BookingError('CLIENT_ARCHIVED', 'This client is archived. Unarchive them to invite them.');
  if (!client.portalSignIn)
    throw new BookingError(
      'CLIENT_SHARES_ADDRESS',
      'Another client signs in to the portal with this email address. Give this client an address of their own first.',
    );
  const [row] = await db.sequelize.query<{ id: string }>(
    `INSERT INTO client_portal_invitations (client_id, invited_by, created_at)
     VALUES (:clientId, :actorId, :now) RETURNING id`,
    { replacements: { clientId: client.id, actorId: actor.id, now }, type: QueryTypes.SELECT, transaction },
  );
  await recordStaffChange(db, transaction, actor, {
    action: 'client.portal_invite',
    entity: 'client',
    entityId: client.id,
    oldValue: null,
    newValue: { invitationId: row.id },
  });
  // Started inside the transaction, as a request's workflow is: the answer promises an email only once Temporal
  // holds it, and a workflow whose transaction then rolls back finds no invitation and sends nothing.
  await startEmail(row.id);
  return { invitationId: row.id, invitedAt: now.toISOString() };
}

/**
 * Adds a client by hand (a client of long standing who never booked online), audited, and optionally invites
 * them to the portal in the same transaction. CLIENT_EMAIL_TAKEN when another client signs in with the address.
 */
export async function createClient(
  db: Store,
  actor: StaffActor,
  input: NewClientInput,
  opts: { now: Date; startInvitationEmail: (invitationId: string) => Promise<void> },
) {
  try {
    return await db.sequelize.transaction(async (transaction) => {
      if (await signInClientByEmail(db, actor.practiceId, input.email, transaction)) throw emailTaken();
      const client = await db.Client.create(
        {
          practiceId: actor.practiceId,
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
          phone: input.phone,
          timeZone: null,
        },
        { transaction },
      );
      await recordStaffChange(db, transaction, actor, {
        action: 'client.create',
        entity: 'client',
        entityId: client.id,
        oldValue: null,
        newValue: toClient(client),
      });
      const invitation = input.portalInvite
        ? await recordInvitation(db, actor, client, transaction, opts.startInvitationEmail, opts.now)
        : null;
      return { client: toClient(client), invitation };
    });
  } catch (err) {
    // Two staff adding the same address at once: the unique index is the last word.
    if (err instanceof UniqueConstraintError) throw emailTaken();
    throw err;
  }
}

export interface ClientChanges {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string | null;
  archived?: boolean;
}

/**
 * Edits contact details and archives or unarchives, audited with before and after. A client who shared another
 * client's address and is given one of their own signs in with it from then on.
 */
export async function updateClient(
  db: Store,
  viewer: ClientViewer,
  clientId: string,
  changes: ClientChanges,
  now: Date,
) {
  try {
    return await db.sequelize.transaction(async (transaction) => {
      const client = await visibleClient(db, viewer, clientId, transaction);
      const before = toClient(client);
      const values: Partial<Client['_creationAttributes']> = {};
      if (changes.firstName !== undefined) values.firstName = changes.firstName;
      if (changes.lastName !== undefined) values.lastName = changes.lastName;
      if (changes.phone !== undefined) values.phone = changes.phone;
      if (changes.email !== undefined && changes.email.toLowerCase() !== client.email.toLowerCase()) {
        const holder = await signInClientByEmail(db, client.practiceId, changes.email, transaction);
        if (holder && holder.id !== client.id) throw emailTaken();
        values.email = changes.email;
        values.portalSignIn = true;
      } else if (changes.email !== undefined) values.email = changes.email;
      if (changes.archived !== undefined && changes.archived !== (client.archivedAt !== null))
        values.archivedAt = changes.archived ? now : null;
      await client.update(values, { transaction });
      const diff = changedFields(before, toClient(client));
      if (diff)
        await recordStaffChange(db, transaction, viewer, {
          action:
            changes.archived === true && !before.archived
              ? 'client.archive'
              : changes.archived === false && before.archived
                ? 'client.unarchive'
                : 'client.update',
          entity: 'client',
          entityId: client.id,
          ...diff,
        });
      return toClient(client);
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw emailTaken();
    throw err;
  }
}

/** Invites a client to the portal by email (the email goes out through a workflow); audited. */
export async function inviteClientToPortal(
  db: Store,
  viewer: ClientViewer,
  clientId: string,
  opts: { now: Date; startInvitationEmail: (invitationId: string) => Promise<void> },
) {
  return db.sequelize.transaction(async (transaction) => {
    const client = await visibleClient(db, viewer, clientId, transaction);
    return recordInvitation(db, viewer, client, transaction, opts.startInvitationEmail, opts.now);
  });
}
