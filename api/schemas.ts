import type { Schema } from './validation';

/** Reusable schema fragments, so every route spells a field the same way. */
export const uuid = { type: 'string', format: 'uuid' } as const;
export const idParams: Schema = {
  type: 'object',
  required: ['id'],
  properties: { id: uuid },
};
export const isoInstant = { type: 'string', format: 'date-time', maxLength: 40 } as const;
export const timeZoneField = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  example: 'America/New_York',
} as const;
/** A phone number as people write it: digits with an optional leading +, spaces, dots, dashes, brackets. */
export const phoneField = {
  type: 'string',
  pattern: '^\\+?[0-9 ().-]{7,25}$',
  example: '+1 555 0100',
} as const;
/** Free text a person writes (a note, a reason, a message): several lines allowed, control characters not. */
export const multilineText = (maxLength: number) =>
  ({ type: 'string', maxLength, 'x-multiline': true }) as const;
export const localDate = { type: 'string', format: 'date', maxLength: 10 } as const;
export const clockTime = {
  type: 'string',
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  example: '09:00',
} as const;

/** A staff user as the API shows it (never the password hash). */
export const staffUserSchema: Schema = {
  type: 'object',
  required: ['id', 'practiceId', 'email', 'firstName', 'lastName', 'role', 'timeZone'],
  properties: {
    id: uuid,
    practiceId: uuid,
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    role: { type: 'string', enum: ['admin_clinician', 'clinician', 'practice_manager'] },
    timeZone: { type: ['string', 'null'] },
  },
};

/** A service as the API shows it. */
export const serviceSchema: Schema = {
  type: 'object',
  required: ['id', 'name', 'durationMinutes', 'bookableOnline'],
  properties: {
    id: uuid,
    name: { type: 'string' },
    durationMinutes: { type: 'integer' },
    bookableOnline: { type: 'boolean' },
  },
};
