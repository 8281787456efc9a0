import { ApplicationFailure } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { QueryTypes } from 'sequelize';
import type { StaffRole } from '../models/staffUser';
import { invitationState, type InvitationState } from '../booking/rules/staffInvitation';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';

/** Which invitation a step is about: its id only, so no name or address reaches Temporal's history. */
export interface StaffInvitationStepInput {
  invitationId: string;
}

/** sent: delivered (or replayed by key); otherwise why nothing was sent. */
export type InvitationSendOutcome = 'sent' | Exclude<InvitationState, 'open'>;

const roleLabels: Record<StaffRole, string> = {
  admin_clinician: 'an admin clinician',
  clinician: 'a clinician',
  practice_manager: 'a practice manager',
};

interface InvitationRow {
  email: string;
  first_name: string;
  role: StaffRole;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  expired_at: Date | null;
  practice_name: string;
  time_zone: string;
  inviter_name: string | null;
}

/** The invitation's emails and its expiry, each reading the row first so nothing goes out for a closed invitation. */
export function createStaffInvitationActivities(deps: ActivityDeps) {
  async function load(invitationId: string): Promise<InvitationRow | undefined> {
    const [row] = await deps.db.sequelize.query<InvitationRow>(
      `SELECT i.email, i.first_name, i.role, i.expires_at, i.accepted_at, i.revoked_at, i.expired_at,
              p.name AS practice_name, p.time_zone,
              CASE WHEN u.id IS NULL THEN NULL ELSE u.first_name || ' ' || u.last_name END AS inviter_name
         FROM staff_invitations i
         JOIN practices p ON p.id = i.practice_id
         LEFT JOIN staff_users u ON u.id = i.invited_by
        WHERE i.id = :id`,
      { replacements: { id: invitationId }, type: QueryTypes.SELECT },
    );
    return row;
  }

  function stateOf(row: InvitationRow) {
    return invitationState(
      {
        expiresAt: row.expires_at,
        acceptedAt: row.accepted_at,
        revokedAt: row.revoked_at,
        expiredAt: row.expired_at,
      },
      deps.clock.now(),
    );
  }

  async function send(input: StaffInvitationStepInput, reminder: boolean): Promise<InvitationSendOutcome> {
    const row = await load(input.invitationId);
    // The practice was deleted with its invitations: there is nothing left to join.
    if (!row) return 'revoked';
    const state = stateOf(row);
    if (state !== 'open') return state;
    const token = deps.codes.linkToken('staff-invitation', input.invitationId);
    const acceptUrl = `${deps.publicUrl}/app/accept-invitation?token=${encodeURIComponent(token)}`;
    await deliverEmail(deps.mailer, {
      kind: 'staff-invitation',
      props: {
        practiceName: row.practice_name,
        firstName: row.first_name,
        inviterName: row.inviter_name,
        roleLabel: roleLabels[row.role],
        acceptUrl,
        // The last moment it works, as the practice's calendar shows it.
        validUntil: DateTime.fromJSDate(new Date(row.expires_at))
          .setZone(row.time_zone)
          .toFormat("cccc, LLLL d 'at' h:mm a ZZZZ"),
        reminder,
      },
      to: row.email,
      idempotencyKey: `staff-invitation/${input.invitationId}/${reminder ? 'reminder' : 'invitation'}`,
    });
    if (reminder) {
      await deps.db.sequelize.query('UPDATE staff_invitations SET reminded_at = :now WHERE id = :id', {
        replacements: { now: deps.clock.now(), id: input.invitationId },
      });
    }
    deps.log.info(
      {
        event: reminder ? 'staff_invitation_reminded' : 'staff_invitation_sent',
        invitationId: input.invitationId,
      },
      'staff invitation emailed',
    );
    return 'sent';
  }

  return {
    /**
     * Tells an existing staff member that a sign-up used their address and no practice was created; nothing for a
     * deactivated account (its owner no longer works there). Key `staff-signup-existing/<noticeId>`.
     */
    async sendStaffSignupNotice(input: { userId: string; noticeId: string }): Promise<'sent' | 'skipped'> {
      const [row] = await deps.db.sequelize.query<{
        email: string;
        first_name: string;
        practice_name: string;
      }>(
        `SELECT u.email, u.first_name, p.name AS practice_name
           FROM staff_users u JOIN practices p ON p.id = u.practice_id
          WHERE u.id = :id AND u.active`,
        { replacements: { id: input.userId }, type: QueryTypes.SELECT },
      );
      if (!row) return 'skipped';
      await deliverEmail(deps.mailer, {
        kind: 'staff-signup-existing',
        props: {
          practiceName: row.practice_name,
          firstName: row.first_name,
          signInUrl: `${deps.publicUrl}/app`,
        },
        to: row.email,
        idempotencyKey: `staff-signup-existing/${input.noticeId}`,
      });
      return 'sent';
    },
    /**
     * Waits for the invitation's transaction: the workflow is started inside it, so its first task may run before
     * the commit. Retried while the row is not there; a row that never appears was rolled back.
     */
    async staffInvitationRecorded(input: StaffInvitationStepInput): Promise<void> {
      if (!(await load(input.invitationId)))
        throw ApplicationFailure.create({
          type: 'INVITATION_NOT_RECORDED',
          message: 'the invitation is not committed (yet)',
        });
    },
    /** Emails the invitation link once (key `staff-invitation/<id>/invitation`) while it is open. */
    sendStaffInvitation: (input: StaffInvitationStepInput) => send(input, false),
    /** Emails the one reminder (key `staff-invitation/<id>/reminder`) while the invitation is still open. */
    sendStaffInvitationReminder: (input: StaffInvitationStepInput) => send(input, true),
    /** Marks a still-open invitation expired; answers how it ended when it had already closed another way. */
    async expireStaffInvitation(input: StaffInvitationStepInput): Promise<Exclude<InvitationState, 'open'>> {
      const marked = await deps.db.sequelize.query(
        `UPDATE staff_invitations SET expired_at = :now
          WHERE id = :id AND accepted_at IS NULL AND revoked_at IS NULL AND expired_at IS NULL
          RETURNING id`,
        { replacements: { now: deps.clock.now(), id: input.invitationId }, type: QueryTypes.SELECT },
      );
      if (marked.length > 0) return 'expired';
      const row = await load(input.invitationId);
      if (!row) return 'revoked';
      const state = stateOf(row);
      return state === 'open' ? 'expired' : state;
    },
  };
}
