import { QueryTypes } from 'sequelize';
import type { PortalEmailInput, PortalEmailOutcome } from '../booking/portalEmail';
import { EMAIL_VERIFICATION } from '../booking/emailVerification';
import { SIGN_IN_CODE_VALID_MINUTES } from '../booking/oneTimeCodes';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';

interface CodeRow {
  email: string | null;
  practice_name: string;
  expires_at: Date;
  dead: boolean;
  first_name?: string;
  slug?: string;
}

// An invitation is not awaited on screen like a code, but one that could not go out within a day is better
// sent again by staff (who see when it was asked) than delivered long after, out of the blue.
const INVITATION_SEND_WITHIN = "interval '1 day'";

/** Emails portal codes and invitations from what the database holds; a code is derived again from its row id (oneTimeCodes). */
export function createPortalEmailActivities(deps: ActivityDeps) {
  async function load(input: PortalEmailInput): Promise<CodeRow | undefined> {
    const sql =
      input.kind === 'portal-invitation'
        ? // Archived since, the portal turned off, or the address handed to another client: the invitation is moot.
          `SELECT c.email, c.first_name, p.name AS practice_name, p.slug,
                  i.created_at + ${INVITATION_SEND_WITHIN} AS expires_at,
                  (c.archived_at IS NOT NULL OR NOT p.portal_enabled OR NOT c.portal_sign_in) AS dead
             FROM client_portal_invitations i
             JOIN clients c ON c.id = i.client_id
             JOIN practices p ON p.id = c.practice_id
            WHERE i.id = :id`
        : input.kind === 'sign-in-code'
          ? // No client (an address that is not a client's): nothing to send, as the API promised no one.
            `SELECT c.email, p.name AS practice_name, k.expires_at,
                  (k.used_at IS NOT NULL OR k.superseded_at IS NOT NULL) AS dead
             FROM client_sign_in_codes k
             JOIN clients c ON c.id = k.client_id
             JOIN practices p ON p.id = c.practice_id
            WHERE k.id = :id`
          : `SELECT v.email, p.name AS practice_name, v.expires_at,
                  (v.superseded_at IS NOT NULL OR v.verified_at IS NOT NULL) AS dead
             FROM email_verifications v JOIN practices p ON p.id = v.practice_id
            WHERE v.id = :id`;
    const [row] = await deps.db.sequelize.query<CodeRow>(sql, {
      replacements: { id: input.id },
      type: QueryTypes.SELECT,
    });
    return row;
  }

  return {
    /**
     * Sends a sign-in or email-verification code, or a portal invitation, once (idempotency key `<kind>/<id>`),
     * unless it is of no use.
     */
    async sendPortalCode(input: PortalEmailInput): Promise<PortalEmailOutcome> {
      const row = await load(input);
      // A retry after the code was replaced, used or expired would only confuse: the newer email is the one to use.
      if (!row?.email || row.dead || new Date(row.expires_at).getTime() <= deps.clock.now().getTime())
        return 'skipped';
      const idempotencyKey = `${input.kind}/${input.id}`;
      if (input.kind === 'portal-invitation') {
        await deliverEmail(deps.mailer, {
          kind: 'portal-invitation',
          props: {
            practiceName: row.practice_name,
            clientFirstName: row.first_name ?? '',
            signInUrl: `${deps.publicUrl}/portal/${row.slug}/sign-in`,
          },
          to: row.email,
          idempotencyKey,
        });
        deps.log.info({ event: 'portal_invitation_sent', invitationId: input.id }, 'portal invitation sent');
        return 'sent';
      }
      const code = deps.codes.codeFor(input.kind, input.id);
      if (input.kind === 'sign-in-code') {
        await deliverEmail(deps.mailer, {
          kind: 'sign-in-code',
          props: { practiceName: row.practice_name, code, validForMinutes: SIGN_IN_CODE_VALID_MINUTES },
          to: row.email,
          idempotencyKey,
        });
      } else {
        await deliverEmail(deps.mailer, {
          kind: 'email-verification',
          props: {
            practiceName: row.practice_name,
            code,
            validForMinutes: EMAIL_VERIFICATION.validForMinutes,
          },
          to: row.email,
          idempotencyKey,
        });
      }
      deps.log.info({ event: 'portal_code_sent', kind: input.kind, codeId: input.id }, 'portal code sent');
      return 'sent';
    },
  };
}
