import { createHash } from 'node:crypto';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { assertAcceptsNewClients } from '../booking/bookable';
import { EMAIL_VERIFICATION, issueEmailVerification } from '../booking/emailVerification';
import { mailboxOf } from '../booking/mailbox';
import { startPortalEmail } from '../temporal/portalEmails';
import { withTemporal } from '../temporal/errors';
import { ProblemError } from './errors';
import type { RouteDef } from './route';
import { codeRequestedSchema } from './responseSchemas';
import { takeAttempt, type FailureLimit } from './auth/rateLimit';
import { portalPractice, slugParams } from './portal';
import type { Schema } from './validation';
import type { Store } from '../models/store';

// Per mailbox (so +tags and case count once): a few lost or mistyped tries. Per network address and practice:
// twice the new-client requests it may send (api/submissionLimit.ts), for codes retyped or expired, and few
// enough that the practice's sender cannot be used to mail strangers in bulk.
const MAILBOX_LIMIT: FailureLimit = { max: 5, windowMinutes: 60 };
const ADDRESS_LIMIT: FailureLimit = { max: 20, windowMinutes: 60 };

const body: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: { email: { type: 'string', format: 'email', maxLength: 254 } },
};

/** The same answer for every address: a code is on its way (the workflow that sends it has started). */
const CODE_SENT = {
  status: 'accepted',
  detail: `A 6-digit code is on its way to this address. It is valid for ${EMAIL_VERIFICATION.validForMinutes} minutes.`,
  validForMinutes: EMAIL_VERIFICATION.validForMinutes,
} as const;

const tooManyCodes = (seconds: number) =>
  new ProblemError(
    429,
    'RATE_LIMITED',
    'Too many requests',
    'Too many codes were asked for. Please try again later.',
    {},
    { 'Retry-After': String(seconds) },
  );

/** New clients confirm their email address with an emailed code before a request may hold a slot. */
export function emailVerificationRoutes(deps: {
  db: Store;
  clock: Clock;
  log: Logger;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'post',
      path: '/portal/:slug/email-verifications',
      summary:
        'Email a 6-digit code (valid 15 minutes, 5 tries) that a new client sends with their request as emailVerificationCode',
      tag: 'Client portal',
      auth: 'public',
      params: slugParams,
      body,
      responses: {
        202: { description: 'Accepted: the code is durably on its way', schema: codeRequestedSchema },
        400: 'Invalid email',
        403: 'NEW_CLIENTS_NOT_ACCEPTED',
        404: 'No such portal, or the portal is off',
        429: 'RATE_LIMITED: too many codes for this mailbox or from this network address',
        503: 'Temporal unreachable: no code is on its way, retry later',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        assertAcceptsNewClients(practice);
        const email = (req.body as { email: string }).email.trim().toLowerCase();
        // Rate-limit keys and log lines name a mailbox by a hash, never by the address.
        const mailboxRef = createHash('sha256').update(mailboxOf(email)).digest('hex');
        const mailboxKey = `email-verification:${practice.id}:${mailboxRef}`;
        const addressKey = `email-verification-address:${practice.id}:${req.ip ?? 'unknown'}`;
        // Check and count in one locked step, so parallel requests are counted one by one.
        const attempt = await takeAttempt(deps.db, deps.clock, [
          { key: mailboxKey, limit: MAILBOX_LIMIT },
          { key: addressKey, limit: ADDRESS_LIMIT },
        ]);
        if ('refusedFor' in attempt) {
          deps.log.warn(
            {
              event: 'email_verification_limited',
              practiceId: practice.id,
              mailbox: mailboxRef.slice(0, 12),
            },
            'email verification code not sent: rate limit',
          );
          throw tooManyCodes(attempt.refusedFor);
        }
        try {
          const id = await issueEmailVerification(deps.db, {
            practiceId: practice.id,
            email,
            now: deps.clock.now(),
          });
          await withTemporal(() =>
            startPortalEmail(deps.temporal, deps.taskQueue, { kind: 'email-verification', id }),
          );
        } catch (err) {
          // Counted only once the code is on its way: retries through an outage (503) use up none of the limit.
          await attempt.succeeded();
          throw err;
        }
        res.status(202).json(CODE_SENT);
      },
    },
  ];
}
