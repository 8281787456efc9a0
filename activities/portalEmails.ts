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
}

/** Emails portal codes from what the database holds; the code is derived again from the row id (oneTimeCodes). */
export function createPortalEmailActivities(deps: ActivityDeps) {
  async function load(input: PortalEmailInput): Promise<CodeRow | undefined> {
    const sql =
      input.kind === 'sign-in-code'
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
    /** Sends a sign-in or email-verification code once (idempotency key `<kind>/<id>`), unless it is of no use. */
    async sendPortalCode(input: PortalEmailInput): Promise<PortalEmailOutcome> {
      const row = await load(input);
      // A retry after the code was replaced, used or expired would only confuse: the newer email is the one to use.
      if (!row?.email || row.dead || new Date(row.expires_at).getTime() <= deps.clock.now().getTime())
        return 'skipped';
      const code = deps.codes.codeFor(input.kind, input.id);
      const idempotencyKey = `${input.kind}/${input.id}`;
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
