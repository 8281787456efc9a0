import { createHash } from 'node:crypto';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { OneTimeCodes } from '../booking/oneTimeCodes';
import {
  PASSWORD_RESET_VALID_MINUTES,
  confirmPasswordReset,
  requestPasswordReset,
  type PasswordResetOutcome,
} from '../booking/passwordReset';
import { startPasswordResetEmail } from '../temporal/passwordResetEmails';
import { withTemporal } from '../temporal/errors';
import { ProblemError } from './errors';
import type { RouteDef } from './route';
import { codeRequestedSchema } from './responseSchemas';
import { takeAttempt, type FailureLimit } from './auth/rateLimit';
import type { Schema } from './validation';
import type { Store } from '../models/store';
import { BookingError } from '../booking/errors';
import { staffPasswordProblem } from '../booking/staffPassword';

// A person who lost their password asks once or twice; more is someone filling another person's inbox. Both
// limits answer the same 429 for every address, so they say nothing about who has an account.
const EMAIL_LIMIT: FailureLimit = { max: 3, windowMinutes: 60 };
const ADDRESS_LIMIT: FailureLimit = { max: 20, windowMinutes: 60 };

// The upper bound only caps hashing work; what a new password must be is staffPasswordProblem's, as on invitations.
const PASSWORD_SCHEMA = { type: 'string', minLength: 1, maxLength: 1024 } as const;

const requestBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: { email: { type: 'string', format: 'email', maxLength: 254 } },
};

const confirmBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'password'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password: PASSWORD_SCHEMA },
};

/** The one answer for every address, known or not. */
const LINK_SENT = {
  status: 'accepted',
  detail: `If this address belongs to a staff account, a link to choose a new password is on its way. It works once, for ${PASSWORD_RESET_VALID_MINUTES} minutes.`,
  validForMinutes: PASSWORD_RESET_VALID_MINUTES,
} as const;

const refusals: Record<Exclude<PasswordResetOutcome, 'reset'>, string> = {
  expired: 'This link has expired: reset links work for one hour. Ask for a new one.',
  used: 'This link has already been used, or a newer one was sent. Ask for a new one if you still need it.',
  unknown: 'This link is not valid. Check that you copied all of it, or ask for a new one.',
};

const tooManyRequests = (seconds: number) =>
  new ProblemError(
    429,
    'RATE_LIMITED',
    'Too many requests',
    'Too many reset links were asked for. Please try again later.',
    {},
    { 'Retry-After': String(seconds) },
  );

/** Staff password reset by emailed link (DESIGN.md section 8). */
export function passwordResetRoutes(deps: {
  db: Store;
  clock: Clock;
  log: Logger;
  codes: OneTimeCodes;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  return [
    {
      method: 'post',
      path: '/api/auth/password-reset',
      summary:
        'Email a link to choose a new password: always 202, the same answer and work for unknown addresses',
      tag: 'Staff auth',
      auth: 'public',
      body: requestBody,
      responses: {
        202: { description: 'Accepted (whether or not the address is known)', schema: codeRequestedSchema },
        400: 'Invalid email',
        429: 'RATE_LIMITED: too many links for this address or from this network address',
        503: 'Temporal unreachable: no link is on its way, retry later',
      },
      handler: async (req, res) => {
        const email = (req.body as { email: string }).email.trim().toLowerCase();
        const emailRef = createHash('sha256').update(email).digest('hex');
        const attempt = await takeAttempt(deps.db, deps.clock, [
          { key: `password-reset:${emailRef}`, limit: EMAIL_LIMIT },
          { key: `password-reset-address:${req.ip ?? 'unknown'}`, limit: ADDRESS_LIMIT },
        ]);
        if ('refusedFor' in attempt) {
          deps.log.warn(
            { event: 'password_reset_limited', account: emailRef.slice(0, 12), ip: req.ip },
            'password reset not sent: rate limit',
          );
          throw tooManyRequests(attempt.refusedFor);
        }
        try {
          // Known or not, the same statements and the same workflow start: the answer's time gives nothing away.
          const id = await requestPasswordReset(deps.db, deps.codes, { email, now: deps.clock.now() });
          await withTemporal(() => startPasswordResetEmail(deps.temporal, deps.taskQueue, { id }));
        } catch (err) {
          await attempt.succeeded();
          throw err;
        }
        res.status(202).json(LINK_SENT);
      },
    },
    {
      method: 'post',
      path: '/api/auth/password-reset/confirm',
      summary: 'Choose a new password with the emailed link; ends every session of the user',
      tag: 'Staff auth',
      auth: 'public',
      body: confirmBody,
      responses: {
        204: 'Password changed; every session of the user ended',
        400: 'Invalid token or password (too short)',
        410: 'LINK_EXPIRED or LINK_USED: the link cannot be used (again)',
      },
      handler: async (req, res) => {
        const { token, password } = req.body as { token: string; password: string };
        const problem = staffPasswordProblem(password);
        if (problem) throw new BookingError('WEAK_PASSWORD', problem, '/password');
        const outcome = await confirmPasswordReset(deps.db, { token, password, now: deps.clock.now() });
        if (outcome !== 'reset')
          throw new ProblemError(
            410,
            outcome === 'expired' ? 'LINK_EXPIRED' : outcome === 'used' ? 'LINK_USED' : 'LINK_INVALID',
            'Link no longer valid',
            refusals[outcome],
          );
        deps.log.info({ event: 'password_reset' }, 'password reset');
        res.status(204).end();
      },
    },
  ];
}
