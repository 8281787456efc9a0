import { expect } from 'chai';
import { ProblemError } from '../../api/errors';
import { clockTime, isoInstant, uuid } from '../../api/schemas';
import { validate, type Schema } from '../../api/validation';

// The shape of the portal's new-client request, as api/portalRequests.ts declares it.
const name = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' };
const requestBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['clinicianId', 'startsAt'],
  properties: {
    clinicianId: uuid,
    startsAt: isoInstant,
    newClient: {
      type: 'object',
      additionalProperties: false,
      required: ['firstName', 'lastName', 'email', 'phone'],
      properties: {
        firstName: name,
        lastName: name,
        email: { type: 'string', format: 'email', maxLength: 254 },
        phone: { type: 'string', pattern: '^\\+?[0-9 ().-]{7,25}$' },
      },
    },
    message: { type: 'string', maxLength: 2000 },
    startTime: clockTime,
    notifyClient: { type: 'boolean' },
    status: { type: 'string', enum: ['canceled', 'late_canceled'] },
  },
};
const base = { clinicianId: '6f1f3c1e-8d0a-4a57-9a52-6f0b8c2f4d11', startsAt: '2026-06-10T14:00:00Z' };
const person = { firstName: 'Robin', lastName: 'Reyes', email: 'robin@example.test', phone: '+1 555 0123' };

/** The 400 a body gets: its field and its sentence. */
function refusal(body: unknown): { field: string; detail: string } {
  try {
    validate(requestBody, body, 'body');
  } catch (err) {
    expect(err).to.be.instanceOf(ProblemError);
    const p = err as ProblemError;
    expect(p.status).to.equal(400);
    return { field: p.extra.field as string, detail: p.detail! };
  }
  throw new Error('expected a 400');
}

describe('api/validation: what a refused field says, in plain sentences', () => {
  const cases: [string, unknown, string, string][] = [
    [
      'a mistyped email',
      { ...base, newClient: { ...person, email: 'robin@' } },
      '/newClient/email',
      'Enter a valid email address.',
    ],
    [
      'a missing first name',
      { ...base, newClient: { ...person, firstName: undefined } },
      '/newClient/firstName',
      'First name is required.',
    ],
    [
      'an empty last name',
      { ...base, newClient: { ...person, lastName: '' } },
      '/newClient/lastName',
      'Last name is required.',
    ],
    [
      'a blank first name',
      { ...base, newClient: { ...person, firstName: '   ' } },
      '/newClient/firstName',
      'First name cannot be blank.',
    ],
    [
      'letters in a phone number',
      { ...base, newClient: { ...person, phone: 'call me' } },
      '/newClient/phone',
      'Enter a phone number: 7 to 25 digits, spaces and the signs + ( ) . - only.',
    ],
    ['a missing start time', { clinicianId: base.clinicianId }, '/startsAt', 'Start time is required.'],
    [
      'a start time without a zone',
      { ...base, startsAt: '2026-06-10 14:00' },
      '/startsAt',
      'Start time must be a date and time with its offset, such as 2026-06-10T09:00:00-05:00.',
    ],
    [
      'a clinician that is not an id',
      { ...base, clinicianId: 'dana' },
      '/clinicianId',
      'Clinician is not a valid id.',
    ],
    [
      'a long message',
      { ...base, message: 'x'.repeat(2001) },
      '/message',
      'Message must be at most 2000 characters.',
    ],
    ['a number for text', { ...base, message: 42 }, '/message', 'Message must be text.'],
    [
      'a time of day past midnight',
      { ...base, startTime: '24:30' },
      '/startTime',
      'Start time must be a time such as 09:00.',
    ],
    [
      'a word for a yes/no',
      { ...base, notifyClient: 'yes' },
      '/notifyClient',
      'Notify client must be true or false.',
    ],
    [
      'a status not on the list',
      { ...base, status: 'gone' },
      '/status',
      'Status must be one of: canceled, late_canceled.',
    ],
    [
      'a field nobody asked for',
      { ...base, nickname: 'Rob' },
      '/nickname',
      '"nickname" is not a field this request accepts.',
    ],
  ];
  for (const [what, body, field, sentence] of cases) {
    it(`${what}: "${sentence}" on ${field}`, () => {
      const got = refusal(body);
      expect(got).to.deep.equal({ field, detail: sentence });
      // Never the validator's own words, never the pointer inside the sentence.
      expect(got.detail).to.not.match(/must match|must have required|\//);
    });
  }
});
