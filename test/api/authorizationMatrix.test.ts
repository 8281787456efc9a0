import { expect } from 'chai';
import type { Store } from '../../models/store';
import { useApi } from './context';
import { aPractice, aStaffUser, aClinician, aService, fixturePassword } from '../fixtures';
import { randomUUID } from 'node:crypto';
import { aClient, anAppointment } from '../fixtures';
import { type Practice, type Service, type StaffUser } from '../../models';
import type { HttpClient } from '../support/http';

type Actor = 'admin' | 'manager' | 'clinician' | 'colleague' | 'outsider' | 'none' | 'expired' | 'forged';
const actors: Actor[] = [
  'admin',
  'manager',
  'clinician',
  'colleague',
  'outsider',
  'none',
  'expired',
  'forged',
];

interface World {
  db: Store;
  practice: Practice;
  clinician: StaffUser;
  service: Service;
}

interface Cell {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Builds the path (and any row the call acts on) afresh for each actor. */
  path: (w: World) => Promise<string> | string;
  /** A function builds a body afresh for each actor (e.g. an address no earlier actor has used). */
  body?: unknown;
  expect: Partial<Record<Actor, number>>;
}

// 401 for no, idle-expired or forged tokens is the same on every route; only the signed-in cells differ.
const unauthenticated = { none: 401, expired: 401, forged: 401 };
const managersOnly = (ok: number, outsider: number) => ({
  admin: ok,
  manager: ok,
  clinician: 403,
  colleague: 403,
  outsider,
  ...unauthenticated,
});
// The subject clinician and the practice's admins act on a clinician's settings; a colleague is refused and
// another practice cannot tell the clinician exists. Practice managers are not clinicians but act for them.
const clinicianScoped = (ok: number) => ({
  admin: ok,
  manager: ok,
  clinician: ok,
  colleague: 403,
  outsider: 404,
  ...unauthenticated,
});
const everyStaff = (ok: number) => ({
  admin: ok,
  manager: ok,
  clinician: ok,
  colleague: ok,
  outsider: ok,
  ...unauthenticated,
});

const rule = {
  rrule: 'FREQ=WEEKLY;BYDAY=MO,WE',
  startDate: '2026-06-01',
  startTime: '13:00',
  endTime: '19:00',
  timeZone: 'America/New_York',
};
const newRule = async (w: World) =>
  (await w.db.AvailabilityRule.create({ clinicianId: w.clinician.id, ...rule, until: null })).id;
const newTimeOff = async (w: World) =>
  (
    await w.db.TimeOff.create({
      clinicianId: w.clinician.id,
      startsAt: new Date('2026-07-01T00:00:00Z'),
      endsAt: new Date('2026-07-08T00:00:00Z'),
      reason: null,
    })
  ).id;
/** A client with an appointment with the world's clinician, so that clinician (and no colleague) sees them. */
let rescheduleFrom = 0;
let clientSlot = 0;
const clientOf = async (w: World) => {
  const client = await aClient(w.db, w.practice);
  clientSlot += 1;
  await anAppointment(w.db, {
    practice: w.practice,
    clinician: w.clinician,
    client,
    service: w.service,
    // An hour apart: each actor gets a client of its own, and the clinician's appointments never overlap.
    startsAt: new Date(Date.parse('2026-09-01T14:00:00Z') + clientSlot * 3_600_000),
  });
  return client.id;
};
/** The body of the booking cell, built with the world its path was built for. */
let staffBooking: Record<string, string> = {};
const prefs = {
  initialConsultationServiceId: null,
  startTimeIntervalMinutes: 30,
  minimumNoticeHours: 12,
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
};

const table: Cell[] = [
  { name: 'who am I', method: 'GET', path: () => '/api/auth/me', expect: everyStaff(200) },
  {
    name: 'read portal settings',
    method: 'GET',
    path: () => '/api/practice/client-portal',
    expect: managersOnly(200, 200),
  },
  {
    name: 'change portal settings',
    method: 'PATCH',
    path: () => '/api/practice/client-portal',
    body: { allowNewClients: false },
    expect: managersOnly(200, 200),
  },
  {
    name: "read the practice's details",
    method: 'GET',
    path: () => '/api/practice',
    expect: everyStaff(200),
  },
  {
    name: "change the practice's details",
    method: 'PATCH',
    path: () => '/api/practice',
    body: { phone: '+1 555 0100' },
    expect: managersOnly(200, 200),
  },
  { name: 'list services', method: 'GET', path: () => '/api/services', expect: everyStaff(200) },
  {
    name: 'add a service',
    method: 'POST',
    path: () => '/api/services',
    body: { name: 'Family session', durationMinutes: 60 },
    expect: managersOnly(201, 201),
  },
  {
    name: 'change a service',
    method: 'PATCH',
    path: (w) => `/api/services/${w.service.id}`,
    body: { durationMinutes: 45 },
    expect: managersOnly(200, 404),
  },
  {
    name: 'remove a service',
    method: 'DELETE',
    path: async (w) => `/api/services/${(await aService(w.db, w.practice)).id}`,
    expect: managersOnly(204, 404),
  },
  { name: 'list clinicians', method: 'GET', path: () => '/api/clinicians', expect: everyStaff(200) },
  {
    name: 'read booking preferences',
    method: 'GET',
    path: (w) => `/api/clinicians/${w.clinician.id}/booking-preferences`,
    expect: clinicianScoped(200),
  },
  {
    name: 'set booking preferences',
    method: 'PUT',
    path: (w) => `/api/clinicians/${w.clinician.id}/booking-preferences`,
    body: prefs,
    expect: clinicianScoped(200),
  },
  {
    name: 'list availability rules',
    method: 'GET',
    path: (w) => `/api/clinicians/${w.clinician.id}/availability-rules`,
    expect: clinicianScoped(200),
  },
  {
    name: 'add an availability rule',
    method: 'POST',
    path: (w) => `/api/clinicians/${w.clinician.id}/availability-rules`,
    body: rule,
    expect: clinicianScoped(201),
  },
  {
    name: 'replace an availability rule',
    method: 'PUT',
    path: async (w) => `/api/clinicians/${w.clinician.id}/availability-rules/${await newRule(w)}`,
    body: rule,
    expect: clinicianScoped(200),
  },
  {
    name: 'delete an availability rule',
    method: 'DELETE',
    path: async (w) => `/api/clinicians/${w.clinician.id}/availability-rules/${await newRule(w)}`,
    expect: clinicianScoped(204),
  },
  {
    name: 'list time off',
    method: 'GET',
    path: (w) => `/api/clinicians/${w.clinician.id}/time-off`,
    expect: clinicianScoped(200),
  },
  {
    name: 'add time off',
    method: 'POST',
    path: (w) => `/api/clinicians/${w.clinician.id}/time-off`,
    body: { startsAt: '2026-08-01T13:00:00Z', endsAt: '2026-08-01T17:00:00Z' },
    expect: clinicianScoped(201),
  },
  {
    name: 'remove time off',
    method: 'DELETE',
    path: async (w) => `/api/clinicians/${w.clinician.id}/time-off/${await newTimeOff(w)}`,
    expect: clinicianScoped(204),
  },
  // Clients: admins and managers see and add any client of the practice; a clinician sees (and edits, invites)
  // only the clients they have an appointment or request with (w.clinician has one with the client made here),
  // a colleague finds no such client, and so does another practice.
  { name: 'list clients', method: 'GET', path: () => '/api/clients', expect: everyStaff(200) },
  {
    name: 'add a client',
    method: 'POST',
    path: () => '/api/clients',
    body: () => ({ firstName: 'Added', lastName: 'By hand', email: `added-${randomUUID()}@example.test` }),
    expect: managersOnly(201, 201),
  },
  {
    name: "read a clinician's client",
    method: 'GET',
    path: async (w) => `/api/clients/${await clientOf(w)}`,
    expect: { ...clinicianScoped(200), colleague: 404 },
  },
  {
    name: "edit a clinician's client",
    method: 'PATCH',
    path: async (w) => `/api/clients/${await clientOf(w)}`,
    body: { phone: '+1 555 0177' },
    expect: { ...clinicianScoped(200), colleague: 404 },
  },
  {
    name: "invite a clinician's client to the portal",
    method: 'POST',
    path: async (w) => `/api/clients/${await clientOf(w)}/portal-invite`,
    expect: { ...clinicianScoped(202), colleague: 404 },
  },
  // Staff and onboarding (api/staff.ts, api/staffInvitations.ts, api/practices.ts).
  { name: 'list staff', method: 'GET', path: () => '/api/staff', expect: everyStaff(200) },
  {
    name: 'list open invitations',
    method: 'GET',
    path: () => '/api/staff/invitations',
    expect: managersOnly(200, 200),
  },
  {
    name: 'invite a staff member',
    method: 'POST',
    // One address for every actor: the previous actor's invitation is cleared so each call can succeed.
    path: async (w) => {
      await w.db.StaffInvitation.destroy({ where: { email: 'matrix-invitee@example.test' } });
      return '/api/staff/invitations';
    },
    body: { email: 'matrix-invitee@example.test', firstName: 'Mat', lastName: 'Rix', role: 'clinician' },
    expect: managersOnly(201, 201),
  },
  {
    name: 'revoke an invitation',
    method: 'DELETE',
    path: async (w) => {
      const invitation = await w.db.StaffInvitation.create({
        practiceId: w.practice.id,
        email: `revoke-${Math.random().toString(36).slice(2)}@example.test`,
        firstName: 'Rev',
        lastName: 'Oke',
        role: 'clinician',
        tokenHash: Math.random().toString(36),
        invitedBy: null,
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      return `/api/staff/invitations/${invitation.id}`;
    },
    expect: managersOnly(204, 404),
  },
  {
    name: 'accept an invitation (public: an unknown token is 404 whoever asks)',
    method: 'POST',
    path: () => '/api/staff/invitations/accept',
    body: { token: 'no-such-invitation-token', password: 'a long enough password' },
    expect: Object.fromEntries(actors.map((a) => [a, 404])),
  },
  {
    name: "change a staff member's role",
    method: 'PATCH',
    path: (w) => `/api/staff/${w.clinician.id}`,
    body: { role: 'clinician' },
    expect: managersOnly(200, 404),
  },
  {
    name: 'public configuration',
    method: 'GET',
    path: () => '/api/config',
    expect: Object.fromEntries(actors.map((a) => [a, 200])),
  },
  {
    name: 'sign up a practice (off unless SIGNUP_ENABLED)',
    method: 'POST',
    path: () => '/api/practices',
    body: {
      practiceName: 'Matrix Practice',
      timeZone: 'UTC',
      admin: { firstName: 'Mat', lastName: 'Rix', email: 'matrix-signup@example.test' },
    },
    expect: Object.fromEntries(actors.map((a) => [a, 404])),
  },
  // Payload encryption (issue 16): the Temporal UI's codec endpoint. Payloads carry no practice, so an admin of
  // any practice may decode (an outsider is another practice's admin); clinicians may not.
  {
    name: 'decode workflow payloads (codec endpoint)',
    method: 'POST',
    path: () => '/codec/decode',
    body: { payloads: [] },
    expect: managersOnly(200, 200),
  },
  {
    name: 'encode workflow payloads (codec endpoint)',
    method: 'POST',
    path: () => '/codec/encode',
    body: { payloads: [] },
    expect: managersOnly(200, 200),
  },
  // Account: cookie sessions, staff profiles, the audit log (issue 13).
  { name: 'the current session', method: 'GET', path: () => '/api/auth/session', expect: everyStaff(200) },
  {
    name: "read a clinician's profile",
    method: 'GET',
    path: (w) => `/api/staff/${w.clinician.id}/profile`,
    expect: clinicianScoped(200),
  },
  {
    name: "change a clinician's profile",
    method: 'PATCH',
    path: (w) => `/api/staff/${w.clinician.id}/profile`,
    body: { bio: 'Grief and loss.' },
    expect: clinicianScoped(200),
  },
  { name: 'read the audit log', method: 'GET', path: () => '/api/audit-log', expect: managersOnly(200, 200) },
  // Calendar feed (issue 14): the clinician's own, or any clinician's for admins and managers.
  {
    name: "read a clinician's calendar feed address",
    method: 'GET',
    path: (w) => `/api/clinicians/${w.clinician.id}/calendar-feed`,
    expect: clinicianScoped(200),
  },
  {
    name: "turn on or rotate a clinician's calendar feed",
    method: 'POST',
    path: (w) => `/api/clinicians/${w.clinician.id}/calendar-feed`,
    expect: clinicianScoped(201),
  },
  {
    name: "turn off a clinician's calendar feed",
    method: 'DELETE',
    path: (w) => `/api/clinicians/${w.clinician.id}/calendar-feed`,
    expect: clinicianScoped(204),
  },
  {
    name: 'read a calendar feed (public: the address is the key; an unknown one is 404 whoever asks)',
    method: 'GET',
    path: () => `/calendar/${'A'.repeat(43)}.ics`,
    expect: Object.fromEntries(actors.map((a) => [a, 404])),
  },
  // Attendance (issue 14 item 5): the appointment's clinician, admins and managers; a started appointment per actor.
  {
    name: 'mark attendance',
    method: 'POST',
    path: async (w) => {
      clientSlot += 1;
      const appointment = await anAppointment(w.db, {
        practice: w.practice,
        clinician: w.clinician,
        client: await aClient(w.db, w.practice),
        service: w.service,
        // Before the test clock's 1 June 2026: started, an hour apart so the clinician's holds never overlap.
        startsAt: new Date(Date.parse('2026-05-01T14:00:00Z') + clientSlot * 3_600_000),
      });
      return `/api/appointments/${appointment.id}/attendance`;
    },
    body: { status: 'no_show' },
    expect: clinicianScoped(200),
  },
  // Staff booking (issue 14 item 2): the clinician in their own calendar, admins and managers in
  // anyone's; a colleague 403, another practice 404. Each actor books a fresh client an hour after the last.
  {
    name: 'book an appointment',
    method: 'POST',
    path: async (w) => {
      clientSlot += 1;
      staffBooking = {
        clinicianId: w.clinician.id,
        clientId: (await aClient(w.db, w.practice)).id,
        serviceId: w.service.id,
        startsAt: new Date(Date.parse('2026-10-01T14:00:00Z') + clientSlot * 3_600_000).toISOString(),
      };
      return '/api/appointments';
    },
    body: () => staffBooking,
    expect: clinicianScoped(201),
  },
  // Staff reschedule (issue 14 item 4): the appointment's clinician, admins and managers; a future appointment
  // per actor, three hours apart, each moved an hour later into its own gap.
  {
    name: 'reschedule an appointment',
    method: 'POST',
    path: async (w) => {
      clientSlot += 1;
      rescheduleFrom = Date.parse('2026-07-01T14:00:00Z') + clientSlot * 3 * 3_600_000;
      const appointment = await anAppointment(w.db, {
        practice: w.practice,
        clinician: w.clinician,
        client: await aClient(w.db, w.practice),
        service: w.service,
        startsAt: new Date(rescheduleFrom),
      });
      return `/api/appointments/${appointment.id}/reschedule`;
    },
    body: () => ({ startsAt: new Date(rescheduleFrom + 3_600_000).toISOString() }),
    expect: clinicianScoped(200),
  },
  {
    name: "ask to move a client's appointment in the portal (clients only: no staff token opens it)",
    method: 'POST',
    // Refused before any lookup, so any appointment id will do.
    path: (w) => `/portal/${w.practice.slug}/me/appointments/${w.service.id}/reschedule-requests`,
    body: { startsAt: '2026-07-21T14:00:00.000Z' },
    expect: Object.fromEntries(actors.map((a) => [a, 401])),
  },
  // The calendar grid (issue 14 item 1): a clinician's week with pending holds, time off and availability, for
  // that clinician, admins and managers; a colleague 403, another practice 404.
  {
    name: "read a clinician's calendar with holds and time off",
    method: 'GET',
    path: (w) =>
      `/api/appointments?from=2026-06-08T00:00:00Z&to=2026-06-15T00:00:00Z&clinicianId=${w.clinician.id}&include=holds,timeOff`,
    expect: clinicianScoped(200),
  },
  {
    name: "read a clinician's calendar grid",
    method: 'GET',
    path: (w) =>
      `/api/calendar?from=2026-06-08T00:00:00Z&to=2026-06-15T00:00:00Z&clinicianId=${w.clinician.id}`,
    expect: clinicianScoped(200),
  },
  // Reminders (issue 15): everyone in a practice reads its settings (another practice sees only its own); admins and
  // managers change them.
  {
    name: 'read the reminder settings',
    method: 'GET',
    path: () => '/api/practice/reminders',
    expect: everyStaff(200),
  },
  {
    name: 'change the reminder settings',
    method: 'PUT',
    path: () => '/api/practice/reminders',
    body: { enabled: true, offsetsHours: [24] },
    expect: managersOnly(200, 200),
  },
  // Reminder opt-out (issue 15 item 3): the link is the key, so a staff token opens nothing (a forged link is 400
  // whoever sends it), and the portal's switch is the signed-in client's alone (no staff token opens it).
  {
    name: 'stop reminders by the link in a reminder email (public: a forged link is refused whoever asks)',
    method: 'POST',
    path: (w) =>
      `/portal/${w.practice.slug}/reminders/opt-out?client=${w.clinician.id}&token=${'A'.repeat(43)}`,
    expect: Object.fromEntries(actors.map((a) => [a, 400])),
  },
  {
    name: "read a client's reminder choice in the portal (clients only)",
    method: 'GET',
    path: (w) => `/portal/${w.practice.slug}/me/reminders`,
    expect: Object.fromEntries(actors.map((a) => [a, 401])),
  },
  {
    name: "change a client's reminder choice in the portal (clients only)",
    method: 'PUT',
    path: (w) => `/portal/${w.practice.slug}/me/reminders`,
    body: { enabled: false },
    expect: Object.fromEntries(actors.map((a) => [a, 401])),
  },
];

async function tokensFor(
  http: HttpClient,
  world: World,
  db: Store,
): Promise<Record<Actor, string | undefined>> {
  const admin = await aStaffUser(db, world.practice, { role: 'admin_clinician' });
  const manager = await aStaffUser(db, world.practice, { role: 'practice_manager' });
  const colleague = await aClinician(db, world.practice);
  const other = await aPractice(db);
  const outsider = await aStaffUser(db, other, { role: 'admin_clinician' });
  const expired = await http.signIn(admin.email, fixturePassword);
  // Idle past the 30-minute timeout, as if the dashboard had been left open.
  await db.sequelize.query(
    `UPDATE staff_sessions SET last_seen_at = last_seen_at - interval '31 minutes' WHERE id = (SELECT id FROM staff_sessions ORDER BY created_at DESC, id LIMIT 1)`,
  );
  const adminToken = await http.signIn(admin.email, fixturePassword);
  const [head, payload] = adminToken.split('.');
  return {
    admin: adminToken,
    manager: await http.signIn(manager.email, fixturePassword),
    clinician: await http.signIn(world.clinician.email, fixturePassword),
    colleague: await http.signIn(colleague.email, fixturePassword),
    outsider: await http.signIn(outsider.email, fixturePassword),
    none: undefined,
    expired,
    forged: `${head}.${payload}.${'A'.repeat(43)}`,
  };
}

describe('authorization matrix: every staff route x every role, practice and token state', () => {
  const ctx = useApi();

  for (const cell of table) {
    it(`${cell.method} ${cell.name}`, async () => {
      const practice = await aPractice(ctx.db);
      const world: World = {
        db: ctx.db,
        practice,
        clinician: await aClinician(ctx.db, practice),
        service: await aService(ctx.db, practice),
      };
      const tokens = await tokensFor(ctx.http, world, ctx.db);
      const outcomes: string[] = [];
      for (const actor of actors) {
        const expected = cell.expect[actor];
        if (expected === undefined) continue;
        const path = await cell.path(world);
        const body = typeof cell.body === 'function' ? (cell.body as () => unknown)() : cell.body;
        const res = await ctx.http.request(cell.method, path, { token: tokens[actor], body });
        outcomes.push(`${actor}: ${res.status}${res.status === expected ? '' : ` (expected ${expected})`}`);
        if (actor === 'outsider' && res.status < 300) {
          const text = JSON.stringify(res.body);
          for (const secret of [world.clinician.id, world.service.id, practice.slug]) {
            expect(text, `${cell.name} leaks practice A data to another practice`).to.not.include(secret);
          }
        }
        if (res.status >= 400)
          expect(res.headers.get('content-type'), `${actor} error body`).to.match(/problem\+json/);
      }
      expect(
        outcomes.filter((o) => o.includes('expected')),
        outcomes.join(', '),
      ).to.deep.equal([]);
    });
  }
});
