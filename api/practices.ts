import type { Client } from '@temporalio/client';
import { IANAZone } from 'luxon';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Store } from '../models/store';
import type { OneTimeCodes } from '../booking/oneTimeCodes';
import { BookingError } from '../booking/errors';
import { createPractice, staffIdByEmail } from '../booking/staffOnboarding';
import { startStaffInvitation, startStaffSignupNotice } from '../temporal/staffInvitations';
import { withTemporal } from '../temporal/errors';
import { badRequest, notFound } from './errors';
import type { RouteDef } from './route';
import { checkSlug } from './practiceSettings';
import { timeZoneField } from './schemas';

const personName = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;

const signupBody = {
  type: 'object',
  additionalProperties: false,
  required: ['practiceName', 'timeZone', 'admin'],
  properties: {
    practiceName: { type: 'string', minLength: 2, maxLength: 200, pattern: '\\S' },
    timeZone: timeZoneField,
    admin: {
      type: 'object',
      additionalProperties: false,
      required: ['firstName', 'lastName', 'email'],
      properties: {
        firstName: personName,
        lastName: personName,
        email: { type: 'string', format: 'email', maxLength: 254 },
      },
    },
  },
};

/** What the browser app needs to know before anyone signs in. */
const publicConfigSchema = {
  type: 'object',
  required: ['signupEnabled'],
  properties: { signupEnabled: { type: 'boolean' } },
} as const;

const ACCEPTED = {
  status: 'accepted',
  message:
    'Thank you. If this address can be used, an email with a link to set your password is on its way. ' +
    'The practice becomes usable once you follow it.',
} as const;

/** The web-address rules a derived slug must meet (the settings page's own). */
export const slugProblem = (slug: string): string | null => {
  const checked = checkSlug(slug);
  return 'error' in checked ? checked.error : null;
};

/** Web sign-up (behind SIGNUP_ENABLED) and the public configuration that tells the app whether to offer it. */
export function practiceRoutes(deps: {
  db: Store;
  clock: Clock;
  log: Logger;
  temporal: Client;
  taskQueue: string;
  codes: OneTimeCodes;
  signupEnabled: boolean;
}): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/config',
      summary: 'Public settings of this deployment the browser app reads before sign-in',
      tag: 'Practices',
      auth: 'public',
      responses: { 200: { description: 'Settings', schema: publicConfigSchema } },
      handler: (_req, res) => {
        res.json({ signupEnabled: deps.signupEnabled });
      },
    },
    {
      method: 'post',
      path: '/api/practices',
      summary:
        'Create a practice from the web (only with SIGNUP_ENABLED=true): its first admin clinician is emailed a link to set a password',
      tag: 'Practices',
      auth: 'public',
      body: signupBody,
      responses: {
        202: {
          description: 'The same answer for every address',
          schema: {
            type: 'object',
            required: ['status', 'message'],
            properties: { status: { type: 'string' }, message: { type: 'string' } },
          },
        },
        400: 'Bad input, the field named',
        404: 'Sign-up is not enabled on this deployment',
      },
      handler: async (req, res) => {
        if (!deps.signupEnabled) throw notFound('No such route.');
        const body = req.body as {
          practiceName: string;
          timeZone: string;
          admin: { firstName: string; lastName: string; email: string };
        };
        if (!IANAZone.isValidZone(body.timeZone))
          throw badRequest('/timeZone', 'timeZone must be an IANA time zone such as America/New_York.');
        // One practice per admin address, and the answer never says whether an address has an account: an
        // address already on a staff anywhere, or already invited, gets the same 202 and no second practice.
        const existing = await staffIdByEmail(deps.db, body.admin.email);
        if (existing) {
          await withTemporal(() =>
            startStaffSignupNotice(deps.temporal, deps.taskQueue, existing, deps.clock.now()),
          );
        } else {
          try {
            const { practice } = await createPractice(
              deps.db,
              {
                name: body.practiceName,
                timeZone: body.timeZone,
                admin: body.admin,
                now: deps.clock.now(),
                codes: deps.codes,
                slugProblem,
              },
              (id) => withTemporal(() => startStaffInvitation(deps.temporal, deps.taskQueue, id)),
            );
            deps.log.info(
              { event: 'practice_signup', practiceId: practice.id },
              'practice created by sign-up',
            );
          } catch (err) {
            if (!(err instanceof BookingError && err.code === 'STAFF_EMAIL_TAKEN')) throw err;
          }
        }
        res.status(202).json(ACCEPTED);
      },
    },
  ];
}
