import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Store } from '../models/store';
import type { OneTimeCodes } from '../booking/oneTimeCodes';
import { optOutOfReminders, reminderChoiceOf, setRemindersWanted } from '../booking/reminderOptOut';
import { toReminderChoice } from '../booking/views';
import { badRequest, notFound } from './errors';
import { portalPractice, slugParams } from './portal';
import { requirePortalClient } from './portalAuth';
import type { RouteDef } from './route';
import { isoInstant, uuid } from './schemas';
import type { Schema } from './validation';

const optOutQuery: Schema = {
  type: 'object',
  required: ['client', 'token'],
  properties: {
    client: { ...uuid, description: 'The client the link was made for' },
    token: { type: 'string', minLength: 1, maxLength: 200, description: "The link's secret" },
  },
};
const choiceSchema: Schema = {
  type: 'object',
  required: ['enabled', 'optedOutAt'],
  properties: {
    enabled: { type: 'boolean', description: 'Whether reminder emails go to this client' },
    optedOutAt: { ...isoInstant, type: ['string', 'null'], description: 'When they turned them off' },
  },
};
const choiceBody: Schema = {
  type: 'object',
  required: ['enabled'],
  additionalProperties: false,
  properties: { enabled: { type: 'boolean' } },
};

/**
 * Stopping reminder emails from the link in one (no sign-in, for mail clients' one-click unsubscribe and the
 * portal's confirm page), and the signed-in client's own switch to turn them back on or off.
 */
export function reminderOptOutRoutes(deps: {
  db: Store;
  clock: Clock;
  log: Logger;
  codes: OneTimeCodes;
}): RouteDef[] {
  const { db, clock, codes } = deps;
  return [
    {
      method: 'post',
      path: '/portal/:slug/reminders/opt-out',
      summary:
        'Stop reminder emails by the link in one (RFC 8058 one-click: List-Unsubscribe-Post). Only POST changes ' +
        'anything: link scanners fetch GETs',
      tag: 'Client portal',
      auth: 'public',
      params: slugParams,
      query: optOutQuery,
      responses: {
        204: 'No more reminder emails (also when they were already off)',
        400: 'Not a valid link: a forged or altered token, or not a client of this practice; nothing changed',
      },
      handler: async (req, res) => {
        const query = res.locals.query as { client: string; token: string };
        const outcome = await optOutOfReminders(db, codes, {
          slug: req.params.slug as string,
          clientId: query.client,
          token: query.token,
          now: clock.now(),
        });
        if (outcome === 'invalid_link')
          throw badRequest(
            'token',
            'This link to stop reminder emails is not valid. Use the link in your latest reminder email, or sign in ' +
              'to the client portal to turn reminders off.',
            'REMINDER_LINK_INVALID',
          );
        if (outcome === 'opted_out')
          deps.log.info({ event: 'reminders_opted_out', clientId: query.client }, 'client stopped reminders');
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/portal/:slug/me/reminders',
      summary: 'Whether the signed-in client gets reminder emails',
      tag: 'Client portal',
      auth: 'client',
      params: slugParams,
      responses: {
        200: { description: "The client's choice", schema: choiceSchema },
        401: 'Not signed in',
        404: 'No such portal, the portal is off, or the token is for another practice',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const client = requirePortalClient(res, practice);
        const choice = await reminderChoiceOf(db, { practiceId: practice.id, clientId: client.id });
        if (!choice) throw notFound('No such client portal.');
        res.json(toReminderChoice(choice));
      },
    },
    {
      method: 'put',
      path: '/portal/:slug/me/reminders',
      summary: 'The signed-in client turns reminder emails on or off',
      tag: 'Client portal',
      auth: 'client',
      params: slugParams,
      body: choiceBody,
      responses: {
        200: { description: "The client's choice as saved", schema: choiceSchema },
        400: 'enabled is missing or not true/false',
        401: 'Not signed in',
        404: 'No such portal, the portal is off, or the token is for another practice',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const client = requirePortalClient(res, practice);
        const choice = await setRemindersWanted(db, {
          practiceId: practice.id,
          clientId: client.id,
          enabled: (req.body as { enabled: boolean }).enabled,
          now: clock.now(),
        });
        if (!choice) throw notFound('No such client portal.');
        res.json(toReminderChoice(choice));
      },
    },
  ];
}
