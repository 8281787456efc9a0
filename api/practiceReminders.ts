import { badRequest, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { updateReminderSettings, type ReminderSettings } from '../booking/reminders';
import {
  MAX_REMINDER_OFFSET_HOURS,
  MAX_REMINDER_OFFSETS,
  MIN_REMINDER_OFFSET_HOURS,
  reminderOffsetsProblem,
} from '../booking/rules/reminders';
import { toReminderSettings } from '../booking/views';
import type { Store } from '../models/store';

const offsetsHours = {
  type: 'array',
  maxItems: MAX_REMINDER_OFFSETS,
  items: { type: 'integer', minimum: MIN_REMINDER_OFFSET_HOURS, maximum: MAX_REMINDER_OFFSET_HOURS },
};

const settingsSchema = {
  type: 'object',
  required: ['enabled', 'offsetsHours'],
  properties: { enabled: { type: 'boolean' }, offsetsHours: { type: 'array', items: { type: 'integer' } } },
};

const putBody = {
  type: 'object',
  additionalProperties: false,
  required: ['enabled', 'offsetsHours'],
  properties: { enabled: { type: 'boolean' }, offsetsHours },
};

/**
 * Settings › Practice › Reminders: whether clients get appointment reminders by email, and how many hours before the
 * start (up to three). Everyone in the practice reads them; admin clinicians and practice managers change them.
 * Scheduled appointments follow a change for every reminder moment not yet passed.
 */
export function practiceReminderRoutes(deps: { db: Store }): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'get',
      path: '/api/practice/reminders',
      summary: 'Appointment reminder settings: on or off, and the hours before the start',
      tag: 'Practice settings',
      auth: 'staff',
      responses: { 200: { description: 'Reminder settings', schema: settingsSchema } },
      handler: async (_req, res) => {
        const practice = await db.Practice.findByPk(res.locals.staff!.practiceId);
        if (!practice) throw notFound();
        res.json(toReminderSettings(practice));
      },
    },
    {
      method: 'put',
      path: '/api/practice/reminders',
      summary: 'Change the appointment reminder settings (audited)',
      tag: 'Practice settings',
      auth: 'staff',
      body: putBody,
      responses: {
        200: { description: 'Reminder settings', schema: settingsSchema },
        400: 'Invalid field (an offset out of 1–336 hours, listed twice, or more than three)',
        403: 'Not an admin or manager',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        if (!managesPractice(staff))
          throw forbidden('Only admin clinicians and practice managers change the reminder settings.');
        const body = req.body as ReminderSettings;
        const problem = reminderOffsetsProblem(body.offsetsHours);
        if (problem) throw badRequest(`/offsetsHours/${problem.index}`, problem.message);
        res.json(toReminderSettings(await updateReminderSettings(db, staff, body)));
      },
    },
  ];
}
