import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { useMailedApi } from './context';
import type { TestResponse } from '../support/http';
import { aClient, aClinician, aPractice, aService, anAppointment, fixturePassword } from '../fixtures';
import { startRequestWorkflow } from '../../temporal/requests';
import { TokenService } from '../../api/auth/tokens';
import { type NewClientDetails, type Practice, type Service, type StaffUser } from '../../models';

// The clock is Monday 1 June 2026, 12:00 UTC; slots from Wednesday 10 June, 10:00 in New York.
const SLOT = new Date('2026-06-10T14:00:00.000Z');

type OpenApi = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
};

describe('API answers match the 200 schemas /openapi.json declares (what the web app types are generated from)', function () {
  this.timeout(120_000);
  const mailed = useMailedApi();
  const { ctx } = mailed;

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let token: string;
  let doc: OpenApi;
  beforeEach(async () => {
    practice = await aPractice(ctx.db);
    service = await aService(ctx.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    clinician = await aClinician(ctx.db, practice, {
      role: 'admin_clinician',
      preferences: { startTimeIntervalMinutes: 60, initialConsultationServiceId: service.id },
    });
    token = await ctx.http.signIn(clinician.email, fixturePassword);
    doc = (await ctx.http.get('/openapi.json')).body as OpenApi;
  });

  /** Asserts `res` is a success whose body the route's declared success schema accepts, every required field there. */
  function expectDeclared(res: TestResponse, method: string, route: string, status = 200) {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    const schema = doc.paths[route]?.[method]?.responses[status]?.content?.['application/json']?.schema;
    expect(schema, `${method.toUpperCase()} ${route} declares a ${status} schema`).to.be.an('object');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema!);
    expect(
      validate(res.body),
      `${method.toUpperCase()} ${route}: ${ajv.errorsText(validate.errors)}`,
    ).to.equal(true);
  }

  /** A pending request with its workflow running, as a submission leaves it. */
  async function submitted(newClient: NewClientDetails, slot: number) {
    const startsAt = new Date(SLOT.getTime() + slot * 3_600_000);
    const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
    const hold = await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(startsAt, endsAt),
      kind: 'request',
    });
    const request = await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: null,
      newClient,
      possibleDuplicateClientId: null,
      message: null,
      clientTimeZone: null,
      startsAt,
      endsAt,
      holdId: hold.id,
      idempotencyKey: null,
      createdAt: ctx.clock.now(),
    });
    await startRequestWorkflow(ctx.stack.temporal, ctx.stack.config.taskQueue, {
      requestId: request.id,
      practiceId: practice.id,
      clinicianId: clinician.id,
      startsAt: startsAt.toISOString(),
      requestedAt: request.createdAt.toISOString(),
      lifetimeHours: practice.requestLifetimeHours,
    });
    return request;
  }

  it('the dashboard: sign-in, requests (listed, one, approved, declined), the bell, calendar, settings', async () => {
    const login = await ctx.http.post('/api/auth/login', {
      email: clinician.email,
      password: fixturePassword,
    });
    expectDeclared(login, 'post', '/api/auth/login');

    // One new client gave no phone (optional in the form): the declared shape must allow its absence.
    const withPhone = await submitted(
      { firstName: 'Jo', lastName: 'Phone', email: `p-${randomUUID()}@example.test`, phone: '+1 555 0100' },
      0,
    );
    const withoutPhone = await submitted(
      { firstName: 'Jo', lastName: 'NoPhone', email: `n-${randomUUID()}@example.test` } as NewClientDetails,
      1,
    );
    expectDeclared(
      await ctx.http.get('/api/appointment-requests', { token }),
      'get',
      '/api/appointment-requests',
    );
    expectDeclared(
      await ctx.http.get(`/api/appointment-requests/${withPhone.id}`, { token }),
      'get',
      '/api/appointment-requests/{id}',
    );
    expectDeclared(
      await ctx.http.post(`/api/appointment-requests/${withPhone.id}/approve`, undefined, { token }),
      'post',
      '/api/appointment-requests/{id}/approve',
    );
    expectDeclared(
      await ctx.http.post(
        `/api/appointment-requests/${withoutPhone.id}/decline`,
        { note: 'Full' },
        { token },
      ),
      'post',
      '/api/appointment-requests/{id}/decline',
    );
    // Decided requests carry decidedAt and an appointment id: the list again, now in every state.
    expectDeclared(
      await ctx.http.get('/api/appointment-requests', { token }),
      'get',
      '/api/appointment-requests',
    );

    const bell = await ctx.http.get('/api/notifications', { token });
    expect(bell.body.items, 'the requests rang the bell').to.have.length.above(0);
    expectDeclared(bell, 'get', '/api/notifications');

    await anAppointment(ctx.db, {
      practice,
      clinician,
      client: await aClient(ctx.db, practice),
      service,
      startsAt: new Date(SLOT.getTime() + 5 * 3_600_000),
    });
    const q = `from=${encodeURIComponent('2026-06-08T00:00:00Z')}&to=${encodeURIComponent('2026-06-15T00:00:00Z')}`;
    const calendar = await ctx.http.get(`/api/appointments?${q}`, { token });
    expect(calendar.body).to.have.length(2);
    expectDeclared(calendar, 'get', '/api/appointments');
    // The calendar grid's answers (issue 14 item 1): the object include= asks for, and everything at once.
    await submitted(
      { firstName: 'Jo', lastName: 'Held', email: `h-${randomUUID()}@example.test`, phone: '+1 555 0100' },
      3,
    );
    const included = await ctx.http.get(`/api/appointments?${q}&include=holds,timeOff`, { token });
    expect(included.body.holds, 'the pending requests hold time').to.have.length.above(0);
    expectDeclared(included, 'get', '/api/appointments');
    const grid = await ctx.http.get(`/api/calendar?${q}`, { token });
    expect(grid.body.availability).to.have.length.above(0);
    expectDeclared(grid, 'get', '/api/calendar');

    expectDeclared(await ctx.http.get('/api/clinicians', { token }), 'get', '/api/clinicians');
    expectDeclared(await ctx.http.get('/api/services', { token }), 'get', '/api/services');
    expectDeclared(
      await ctx.http.get('/api/practice/client-portal', { token }),
      'get',
      '/api/practice/client-portal',
    );
    expectDeclared(
      await ctx.http.get(`/api/clinicians/${clinician.id}/availability-rules`, { token }),
      'get',
      '/api/clinicians/{id}/availability-rules',
    );
    expectDeclared(
      await ctx.http.get(`/api/clinicians/${clinician.id}/booking-preferences`, { token }),
      'get',
      '/api/clinicians/{id}/booking-preferences',
    );
  });

  it('staff reschedule (issue 14 item 4): the move answered as declared', async () => {
    const appointment = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: await aClient(ctx.db, practice),
      service,
      startsAt: SLOT,
    });
    const moved = await ctx.http.post(
      `/api/appointments/${appointment.id}/reschedule`,
      { startsAt: new Date(SLOT.getTime() + 26 * 3_600_000).toISOString() },
      { token },
    );
    expectDeclared(moved, 'post', '/api/appointments/{id}/reschedule');

    // The client asks to move it once more, to Thursday 11:00 in New York (on the fixture's hours and grid).
    const clientToken = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: appointment.clientId, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
    const asked = await ctx.http.post(
      `/portal/${practice.slug}/me/appointments/${appointment.id}/reschedule-requests`,
      { startsAt: '2026-06-11T15:00:00.000Z' },
      { token: clientToken },
    );
    expectDeclared(asked, 'post', '/portal/{slug}/me/appointments/{id}/reschedule-requests', 201);
  });

  it('clients: the list, a profile with its history, added (with and without an invitation), edited, invited, a flagged request', async () => {
    const added = await ctx.http.post(
      '/api/clients',
      { firstName: 'Ana', lastName: 'Added', email: `a-${randomUUID()}@example.test` },
      { token },
    );
    expectDeclared(added, 'post', '/api/clients', 201);
    const invited = await ctx.http.post(
      '/api/clients',
      {
        firstName: 'Ivo',
        lastName: 'Invited',
        email: `i-${randomUUID()}@example.test`,
        phone: null,
        portalInvite: true,
      },
      { token },
    );
    expectDeclared(invited, 'post', '/api/clients', 201);
    expectDeclared(await ctx.http.get('/api/clients', { token }), 'get', '/api/clients');
    expectDeclared(
      await ctx.http.patch(`/api/clients/${added.body.client.id}`, { archived: true }, { token }),
      'patch',
      '/api/clients/{id}',
    );
    expectDeclared(
      await ctx.http.post(`/api/clients/${invited.body.client.id}/portal-invite`, undefined, { token }),
      'post',
      '/api/clients/{id}/portal-invite',
      202,
    );

    // A profile with an appointment and a request, and a flagged request that names the existing client.
    const existing = await aClient(ctx.db, practice);
    await anAppointment(ctx.db, { practice, clinician, client: existing, service, startsAt: SLOT });
    const flagged = await submitted(
      { firstName: 'Kim', lastName: 'Flagged', email: existing.email, phone: '+1 555 0100' },
      2,
    );
    await flagged.update({ possibleDuplicateClientId: existing.id });
    expectDeclared(
      await ctx.http.get(`/api/appointment-requests/${flagged.id}`, { token }),
      'get',
      '/api/appointment-requests/{id}',
    );
    expectDeclared(
      await ctx.http.post(`/api/appointment-requests/${flagged.id}/approve`, undefined, { token }),
      'post',
      '/api/appointment-requests/{id}/approve',
    );
    const profile = await ctx.http.get(`/api/clients/${existing.id}`, { token });
    expect([profile.body.appointments.length, profile.body.requests.length]).to.deep.equal([2, 1]);
    expectDeclared(profile, 'get', '/api/clients/{id}');
  });

  it('the portal: the practice, its clinicians, their slots, a code request', async () => {
    const base = `/portal/${practice.slug}`;
    expectDeclared(
      await ctx.http.get(base, { headers: { accept: 'application/json' } }),
      'get',
      '/portal/{slug}',
    );
    const clinicians = await ctx.http.get(`${base}/clinicians`, { headers: { accept: 'application/json' } });
    expect(clinicians.body).to.have.length(1);
    expectDeclared(clinicians, 'get', '/portal/{slug}/clinicians');
    const slots = await ctx.http.get(
      `${base}/availability?clinicianId=${clinician.id}&serviceId=${service.id}&from=2026-06-10T00:00:00Z&to=2026-06-11T00:00:00Z`,
      { headers: { accept: 'application/json' } },
    );
    expect(slots.body.slots).to.have.length.above(0);
    expectDeclared(slots, 'get', '/portal/{slug}/availability');
    expectDeclared(
      await ctx.http.post(`${base}/auth/code`, { email: `nobody-${randomUUID()}@example.test` }),
      'post',
      '/portal/{slug}/auth/code',
      202,
    );
  });

  it('staff and onboarding: the staff list, invitations (invite, list, accept), a role change, the public config', async () => {
    expectDeclared(await ctx.http.get('/api/staff', { token }), 'get', '/api/staff');
    const email = `invitee-${randomUUID()}@example.test`;
    const invited = await ctx.http.post(
      '/api/staff/invitations',
      { email, firstName: 'Ivy', lastName: 'Invitee', role: 'practice_manager' },
      { token },
    );
    expectDeclared(invited, 'post', '/api/staff/invitations', 201);
    expectDeclared(await ctx.http.get('/api/staff/invitations', { token }), 'get', '/api/staff/invitations');
    const delivered = await mailed.capture.waitFor((e) => e.to.includes(email));
    const link = /accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(delivered.text ?? '')![1];
    const accepted = await ctx.http.post('/api/staff/invitations/accept', {
      token: link,
      password: 'a sturdy password',
    });
    expectDeclared(accepted, 'post', '/api/staff/invitations/accept');
    expectDeclared(
      await ctx.http.patch(`/api/staff/${accepted.body.user.id}`, { role: 'clinician' }, { token }),
      'patch',
      '/api/staff/{id}',
    );
    expectDeclared(await ctx.http.get('/api/config'), 'get', '/api/config');
  });
});
