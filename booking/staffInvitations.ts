import { randomUUID } from 'node:crypto';
import { Op, QueryTypes, col, fn, where, type Transaction } from 'sequelize';
import { hashPassword } from '../lib/passwords';
import type { Store } from '../models/store';
import type { StaffRole, StaffUser } from '../models/staffUser';
import type { StaffInvitation } from '../models/staffInvitation';
import { recordStaffChange, type StaffActor } from './audit';
import { BookingError } from './errors';
import { linkTokenHash, type OneTimeCodes } from './oneTimeCodes';
import { staffPasswordProblem } from './staffPassword';
import { INVITATION_VALID_DAYS, invitationGoneMessage, invitationState } from './rules/staffInvitation';

/** What an invitation is made of. */
export interface NewStaffInvitation {
  practiceId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
  /** null: the first admin of a new practice (an operator's script or web sign-up). */
  invitedBy: StaffActor | null;
  now: Date;
  /** Derives the link's token from the row id, as the worker will when it emails it. */
  codes: OneTimeCodes;
}

/** Starts the invitation's workflow; called inside the transaction, so a started workflow always has a row. */
export type StartInvitationWorkflow = (invitationId: string) => Promise<void>;

const emailTaken = () =>
  new BookingError(
    'STAFF_EMAIL_TAKEN',
    'Someone with this email already has a staff account or an open invitation.',
    '/email',
  );

/**
 * Serialises everything that decides whether an address is free for a staff account (invitations, acceptances),
 * so two concurrent invitations of one address cannot both pass the check.
 */
async function lockEmail(db: Store, email: string, transaction: Transaction): Promise<void> {
  await db.sequelize.query("SELECT pg_advisory_xact_lock(hashtext('staff-email:' || lower(:email)))", {
    replacements: { email },
    transaction,
  });
}

/** True when a staff account (any practice: staff sign in by email alone) or an open invitation holds the address. */
async function emailInUse(db: Store, email: string, now: Date, transaction: Transaction): Promise<boolean> {
  const rows = await db.sequelize.query(
    `SELECT 1 FROM staff_users WHERE lower(email) = lower(:email)
     UNION ALL
     SELECT 1 FROM staff_invitations
      WHERE lower(email) = lower(:email) AND accepted_at IS NULL AND revoked_at IS NULL
        AND expired_at IS NULL AND expires_at > :now
     LIMIT 1`,
    { replacements: { email, now }, type: QueryTypes.SELECT, transaction },
  );
  return rows.length > 0;
}

/**
 * Records an invitation and starts its workflow (which emails the link, reminds once and expires it), all or
 * nothing: the workflow start is inside the transaction. 409 STAFF_EMAIL_TAKEN naming /email when a staff user or
 * an open invitation has the address. Audited in the same transaction (as the system for a practice's first admin).
 * Runs in the caller's transaction when one is given (a new practice and its first admin commit together).
 */
export async function createStaffInvitation(
  db: Store,
  input: NewStaffInvitation,
  startWorkflow: StartInvitationWorkflow,
  outer?: Transaction,
): Promise<StaffInvitation> {
  const work = async (transaction: Transaction) => {
    const email = input.email.trim().toLowerCase();
    await lockEmail(db, email, transaction);
    if (await emailInUse(db, email, input.now, transaction)) throw emailTaken();
    const id = randomUUID();
    const invitation = await db.StaffInvitation.create(
      {
        id,
        practiceId: input.practiceId,
        email,
        firstName: input.firstName.trim(),
        lastName: input.lastName.trim(),
        role: input.role,
        tokenHash: linkTokenHash(input.codes.linkToken('staff-invitation', id)),
        invitedBy: input.invitedBy?.id ?? null,
        createdAt: input.now,
        expiresAt: new Date(input.now.getTime() + INVITATION_VALID_DAYS * 86_400_000),
      },
      { transaction },
    );
    const change = {
      action: 'staff.invitation.create',
      entity: 'staff_invitation',
      entityId: id,
      oldValue: null,
      newValue: { email, firstName: invitation.firstName, lastName: invitation.lastName, role: input.role },
    };
    if (input.invitedBy) await recordStaffChange(db, transaction, input.invitedBy, change);
    else
      await db.AuditEntry.record(
        { practiceId: input.practiceId, actorType: 'system', actorId: null, ...change },
        transaction,
      );
    await startWorkflow(id);
    return invitation;
  };
  return outer ? work(outer) : db.sequelize.transaction(work);
}

/** The practice's invitations still open at now, newest first. */
export function openInvitationsOf(db: Store, practiceId: string, now: Date): Promise<StaffInvitation[]> {
  return db.StaffInvitation.findAll({
    where: {
      practiceId,
      acceptedAt: null,
      revokedAt: null,
      expiredAt: null,
      expiresAt: { [Op.gt]: now },
    },
    order: [['createdAt', 'DESC']],
  });
}

/**
 * Revokes an open invitation of the actor's practice (audited); the caller then tells its workflow, which sends
 * nothing more either way because every email step reads the row first. Revoking it again changes nothing.
 */
export async function revokeStaffInvitation(
  db: Store,
  input: { actor: StaffActor; invitationId: string; now: Date },
): Promise<StaffInvitation> {
  return db.sequelize.transaction(async (transaction) => {
    const invitation = await db.StaffInvitation.findOne({
      where: { id: input.invitationId, practiceId: input.actor.practiceId },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!invitation) throw new BookingError('INVITATION_NOT_FOUND', 'No such invitation.');
    const state = invitationState(invitation, input.now);
    if (state === 'revoked') return invitation;
    if (state !== 'open') {
      throw new BookingError(
        'INVITATION_GONE',
        state === 'accepted'
          ? 'This invitation has already been accepted; deactivate the staff member instead.'
          : 'This invitation has already expired.',
      );
    }
    await invitation.update({ revokedAt: input.now }, { transaction });
    await recordStaffChange(db, transaction, input.actor, {
      action: 'staff.invitation.revoke',
      entity: 'staff_invitation',
      entityId: invitation.id,
      oldValue: { revokedAt: null },
      newValue: { revokedAt: input.now.toISOString() },
    });
    return invitation;
  });
}

/** The invitation a link's token belongs to, or 404 naming /token. */
async function invitationByToken(db: Store, token: string, transaction?: Transaction) {
  const invitation = await db.StaffInvitation.findOne({
    where: { tokenHash: linkTokenHash(token) },
    transaction,
    ...(transaction ? { lock: transaction.LOCK.UPDATE } : {}),
  });
  if (!invitation) {
    throw new BookingError(
      'INVITATION_NOT_FOUND',
      'This invitation link is not valid. Check that you opened the whole link from the email.',
      '/token',
    );
  }
  return invitation;
}

function assertOpen(invitation: StaffInvitation, now: Date): void {
  const state = invitationState(invitation, now);
  if (state !== 'open') throw new BookingError('INVITATION_GONE', invitationGoneMessage(state), '/token');
}

/**
 * Accepts an invitation: creates the staff user with the chosen password and marks the invitation accepted, with
 * the audit entry, in one transaction. 410 INVITATION_GONE (a sentence saying why) when it was accepted, revoked
 * or has expired; 400 WEAK_PASSWORD naming /password. The caller opens the session and tells the workflow.
 */
export async function acceptStaffInvitation(
  db: Store,
  input: { token: string; password: string; now: Date },
): Promise<{ user: StaffUser; invitation: StaffInvitation }> {
  // Said before the password is judged: a dead link is the news, whatever password was typed.
  assertOpen(await invitationByToken(db, input.token), input.now);
  const problem = staffPasswordProblem(input.password);
  if (problem) throw new BookingError('WEAK_PASSWORD', problem, '/password');
  // Hashed outside the transaction: argon2 takes tens of milliseconds, the row lock should not.
  const passwordHash = await hashPassword(input.password);
  return db.sequelize.transaction(async (transaction) => {
    const invitation = await invitationByToken(db, input.token, transaction);
    assertOpen(invitation, input.now);
    await lockEmail(db, invitation.email, transaction);
    const taken = await db.StaffUser.findOne({
      where: where(fn('lower', col('email')), invitation.email.toLowerCase()),
      transaction,
    });
    if (taken) throw emailTaken();
    const user = await db.StaffUser.create(
      {
        practiceId: invitation.practiceId,
        email: invitation.email,
        firstName: invitation.firstName,
        lastName: invitation.lastName,
        role: invitation.role,
        passwordHash,
        timeZone: null,
      },
      { transaction },
    );
    await invitation.update({ acceptedAt: input.now, acceptedUserId: user.id }, { transaction });
    await recordStaffChange(db, transaction, user, {
      action: 'staff.invitation.accept',
      entity: 'staff_user',
      entityId: user.id,
      oldValue: null,
      newValue: {
        invitationId: invitation.id,
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        role: user.role,
      },
    });
    return { user, invitation };
  });
}
