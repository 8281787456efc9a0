import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { useApi } from './context';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import {
  aClient,
  aClinician,
  anAppointment,
  aPractice,
  aService,
  aStaffUser,
  fixturePassword,
} from '../fixtures';
import type { Practice, Service, StaffUser } from '../../models';

const SLOT = new Date('2026-06-10T14:00:00.000Z');

describe('clients on the dashboard: list, profile, add, edit, archive, portal invitations (API, worker, Temporal)', function () {
  this.timeout(120_000);
  let capture: CaptureServer;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture?.close();
  });
  beforeEach(() => capture.reset());
  // Invitations are emailed by the worker (workflows/portalEmail.ts).
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  let practice: Practice;
  let service: Service;
  let manager: StaffUser;
  let managerToken: string;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    managerToken = await ctx.http.signIn(manager.email, fixturePassword);
  });

  const auditOf = (entityId: string) =>
    ctx.db.AuditEntry.findAll({ where: { entity: 'client', entityId }, order: [['id', 'ASC']] });
  const invitationRows = (clientId: string) =>
    ctx.db.sequelize.query<{ id: string }>(
      'SELECT id FROM client_portal_invitations WHERE client_id = :clientId',
      {
        replacements: { clientId },
        type: QueryTypes.SELECT,
      },
    );

  it('lists clients by name, searchable by name, email or phone in any case, archived ones only when asked', async () => {
    const tag = randomUUID().slice(0, 8);
    const zoe = await aClient(ctx.db, practice, {
      firstName: 'Zoe',
      lastName: 'Adams',
      phone: '+1 (555) 014-2999',
    });
    const amir = await aClient(ctx.db, practice, {
      firstName: 'Amir',
      lastName: 'Baker',
      email: `amir.${tag}@Example.test`,
      phone: null,
    });
    const old = await aClient(ctx.db, practice, {
      firstName: 'Olga',
      lastName: 'Archer',
      archivedAt: new Date(),
    });
    await aClient(ctx.db, await aPractice(ctx.db), { firstName: 'Other', lastName: 'Practice' });

    const all = await ctx.http.get('/api/clients', { token: managerToken });
    expect(all.status).to.equal(200);
    expect(all.body.map((c: { id: string }) => c.id)).to.deep.equal([zoe.id, amir.id]);
    expect(all.body[0]).to.include({
      firstName: 'Zoe',
      lastName: 'Adams',
      archived: false,
      portalSignIn: true,
    });

    const search = async (q: string) =>
      (await ctx.http.get(`/api/clients?q=${encodeURIComponent(q)}`, { token: managerToken })).body.map(
        (c: { id: string }) => c.id,
      );
    expect(await search('zoe ADA'), 'first and last name').to.deep.equal([zoe.id]);
    expect(await search('baker amir'), 'last name first').to.deep.equal([amir.id]);
    expect(await search(`AMIR.${tag}@example`), 'email, any case').to.deep.equal([amir.id]);
    expect(await search('555 0142'), 'phone by its digits').to.deep.equal([zoe.id]);
    expect(await search('100%'), 'a % is a character, not a wildcard').to.deep.equal([]);

    const archived = await ctx.http.get('/api/clients?archived=true', { token: managerToken });
    expect(archived.body.map((c: { id: string }) => c.id)).to.deep.equal([old.id]);
    expect(archived.body[0].archived).to.equal(true);
  });

  it('pages with Link rel=next; the pages together hold every client once', async () => {
    for (let i = 0; i < 5; i += 1)
      await aClient(ctx.db, practice, { firstName: 'Pat', lastName: `Page ${i}` });
    const seen: string[] = [];
    let next: string | null = '/api/clients?limit=2';
    let pages = 0;
    while (next) {
      const res = await ctx.http.get(next, { token: managerToken });
      expect(res.status).to.equal(200);
      seen.push(...res.body.map((c: { lastName: string }) => c.lastName));
      const link = res.headers.get('link');
      next = link ? /<([^>]+)>; rel="next"/.exec(link)![1] : null;
      pages += 1;
    }
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal(['Page 0', 'Page 1', 'Page 2', 'Page 3', 'Page 4']);
    const foreign = await ctx.http.get('/api/clients?cursor=bm9wZQ', { token: managerToken });
    expect(foreign.status).to.equal(400);
    expect(foreign.body.field).to.equal('cursor');
  });

  it("a clinician sees only clients they have an appointment or request with; another's profile is 404", async () => {
    const clinician = await aClinician(ctx.db, practice);
    const colleague = await aClinician(ctx.db, practice);
    const booked = await aClient(ctx.db, practice, { lastName: 'Booked' });
    const requested = await aClient(ctx.db, practice, { lastName: 'Requested' });
    const theirs = await aClient(ctx.db, practice, { lastName: 'Theirs' });
    await anAppointment(ctx.db, { practice, clinician, client: booked, service, startsAt: SLOT });
    await anAppointment(ctx.db, { practice, clinician: colleague, client: theirs, service, startsAt: SLOT });
    await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: requested.id,
      newClient: null,
      possibleDuplicateClientId: null,
      message: null,
      clientTimeZone: null,
      startsAt: new Date('2026-05-01T14:00:00Z'),
      endsAt: new Date('2026-05-01T14:50:00Z'),
      status: 'declined',
      holdId: null,
      idempotencyKey: null,
      createdAt: new Date('2026-04-20T12:00:00Z'),
    });
    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    const list = await ctx.http.get('/api/clients', { token });
    expect(list.body.map((c: { lastName: string }) => c.lastName)).to.deep.equal(['Booked', 'Requested']);
    expect((await ctx.http.get(`/api/clients/${theirs.id}`, { token })).status).to.equal(404);
    expect((await ctx.http.patch(`/api/clients/${theirs.id}`, { phone: null }, { token })).status).to.equal(
      404,
    );
    expect((await ctx.http.get(`/api/clients/${booked.id}`, { token })).status).to.equal(200);
    const everyone = await ctx.http.get('/api/clients', { token: managerToken });
    expect(everyone.body).to.have.length(3);
  });

  it('the profile has the contact details and every appointment and request, newest first', async () => {
    const clinician = await aClinician(ctx.db, practice);
    const client = await aClient(ctx.db, practice, { firstName: 'Jordan', lastName: 'Lee' });
    const first = await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: SLOT });
    const second = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date(SLOT.getTime() + 7 * 86_400_000),
    });
    const res = await ctx.http.get(`/api/clients/${client.id}`, { token: managerToken });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({
      firstName: 'Jordan',
      lastName: 'Lee',
      email: client.email,
      phone: client.phone,
    });
    expect(res.body.appointments.map((a: { id: string }) => a.id)).to.deep.equal([second.id, first.id]);
    expect(res.body.appointments[0]).to.deep.include({
      status: 'scheduled',
      service: { id: service.id, name: 'Individual therapy' },
    });
    expect(res.body.appointments[0].clinician).to.include({ id: clinician.id, lastName: clinician.lastName });
    expect(res.body.requests).to.deep.equal([]);
    expect(res.body.portalInvitedAt).to.equal(null);
    const elsewhere = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const outsider = await ctx.http.signIn(elsewhere.email, fixturePassword);
    expect((await ctx.http.get(`/api/clients/${client.id}`, { token: outsider })).status).to.equal(404);
  });

  it('adds a client by hand (201, audited); the same address in another case is 409 CLIENT_EMAIL_TAKEN naming /email', async () => {
    const email = `casey.${randomUUID()}@example.test`;
    const res = await ctx.http.post(
      '/api/clients',
      { firstName: ' Casey ', lastName: 'Morgan', email, phone: '+1 555 0199' },
      { token: managerToken },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.client).to.include({
      firstName: 'Casey',
      lastName: 'Morgan',
      email,
      phone: '+1 555 0199',
    });
    expect(res.body.invitation).to.equal(null);
    const [entry] = await auditOf(res.body.client.id);
    expect(entry).to.include({ action: 'client.create', actorId: manager.id, oldValue: null });
    expect(entry.newValue).to.include({ email, firstName: 'Casey' });

    const taken = await ctx.http.post(
      '/api/clients',
      { firstName: 'Other', lastName: 'Person', email: email.toUpperCase() },
      { token: managerToken },
    );
    expect(taken.status).to.equal(409);
    expect(taken.body).to.include({ code: 'CLIENT_EMAIL_TAKEN', field: '/email' });
    const missing = await ctx.http.post(
      '/api/clients',
      { firstName: 'No', email: 'x@example.test' },
      { token: managerToken },
    );
    expect(missing.status).to.equal(400);
    expect(missing.body.field).to.equal('/lastName');
    expect(
      await ctx.db.Client.count({ where: { practiceId: practice.id } }),
      'refusals write nothing',
    ).to.equal(1);
    expect(capture.deliveries(), 'no invitation asked for').to.have.length(0);
  });

  it('edits contact details and archives / unarchives, each audited with before and after; a taken address is 409', async () => {
    const client = await aClient(ctx.db, practice, { firstName: 'Jordan', phone: '+1 555 0100' });
    const other = await aClient(ctx.db, practice);
    const edit = await ctx.http.patch(
      `/api/clients/${client.id}`,
      { firstName: 'Jordyn', phone: null },
      { token: managerToken },
    );
    expect(edit.status, JSON.stringify(edit.body)).to.equal(200);
    expect(edit.body).to.include({ firstName: 'Jordyn', phone: null });
    const taken = await ctx.http.patch(
      `/api/clients/${client.id}`,
      { email: other.email.toUpperCase(), lastName: 'Changed' },
      { token: managerToken },
    );
    expect(taken.status).to.equal(409);
    expect(taken.body).to.include({ code: 'CLIENT_EMAIL_TAKEN', field: '/email' });
    await client.reload();
    expect(client.lastName, 'nothing written on refusal').to.not.equal('Changed');

    ctx.clock.set('2026-06-01T12:05:00Z');
    const archived = await ctx.http.patch(
      `/api/clients/${client.id}`,
      { archived: true },
      { token: managerToken },
    );
    expect(archived.status, JSON.stringify(archived.body)).to.equal(200);
    expect(archived.body).to.include({ archived: true, archivedAt: '2026-06-01T12:05:00.000Z' });
    const unarchived = await ctx.http.patch(
      `/api/clients/${client.id}`,
      { archived: false },
      { token: managerToken },
    );
    expect(unarchived.body).to.include({ archived: false, archivedAt: null });

    const entries = await auditOf(client.id);
    expect(entries.map((e) => e.action)).to.deep.equal([
      'client.update',
      'client.archive',
      'client.unarchive',
    ]);
    expect(entries[0].oldValue).to.deep.equal({ firstName: 'Jordan', phone: '+1 555 0100' });
    expect(entries[0].newValue).to.deep.equal({ firstName: 'Jordyn', phone: null });
    expect(entries[1].newValue).to.deep.include({ archived: true });
    const empty = await ctx.http.patch(`/api/clients/${client.id}`, {}, { token: managerToken });
    expect(empty.status).to.equal(400);
  });

  it('a client added with portalInvite is emailed a link to the portal sign-in, then signs in with the usual code', async () => {
    const email = `invited.${randomUUID()}@example.test`;
    const res = await ctx.http.post(
      '/api/clients',
      { firstName: 'Riley', lastName: 'Invited', email, portalInvite: true },
      { token: managerToken },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const invitationId = res.body.invitation.invitationId as string;
    const sent = await capture.waitFor((e) => e.to.includes(email), 20_000);
    expect(sent.idempotencyKey).to.equal(`portal-invitation/${invitationId}`);
    expect(sent.subject).to.include('Harbor Counseling');
    const link = `${ctx.stack.config.publicUrl}/portal/${practice.slug}/sign-in`;
    expect(sent.text).to.include(link);
    expect(sent.text).to.include('Hi Riley');
    const actions = (await auditOf(res.body.client.id)).map((e) => e.action);
    expect(actions).to.deep.equal(['client.create', 'client.portal_invite']);

    expect((await ctx.http.post(`/portal/${practice.slug}/auth/code`, { email })).status).to.equal(202);
    const codeEmail = await capture.waitFor(
      (e) => e.to.includes(email) && /sign-in-code\//.test(e.idempotencyKey ?? ''),
      20_000,
    );
    const code = /^\s*(\d{6})\s*$/m.exec(codeEmail.text ?? '')![1];
    const signedIn = await ctx.http.post(`/portal/${practice.slug}/auth/verify`, { email, code });
    expect(signedIn.status).to.equal(200);
    expect(signedIn.body.client.id).to.equal(res.body.client.id);
  });

  it('POST portal-invite: 202 and an email; refused with nothing written when the portal is off or the client archived', async () => {
    const client = await aClient(ctx.db, practice, { firstName: 'Sam' });
    const sent = await ctx.http.post(`/api/clients/${client.id}/portal-invite`, undefined, {
      token: managerToken,
    });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
    await capture.waitFor((e) => e.idempotencyKey === `portal-invitation/${sent.body.invitationId}`, 20_000);
    const profile = await ctx.http.get(`/api/clients/${client.id}`, { token: managerToken });
    expect(profile.body.portalInvitedAt).to.equal(sent.body.invitedAt);

    await client.update({ archivedAt: new Date() });
    const archived = await ctx.http.post(`/api/clients/${client.id}/portal-invite`, undefined, {
      token: managerToken,
    });
    expect(archived.status).to.equal(409);
    expect(archived.body.code).to.equal('CLIENT_ARCHIVED');

    await client.update({ archivedAt: null });
    await practice.update({ portalEnabled: false });
    const off = await ctx.http.post(`/api/clients/${client.id}/portal-invite`, undefined, {
      token: managerToken,
    });
    expect(off.status).to.equal(409);
    expect(off.body.code).to.equal('PORTAL_DISABLED');
    const withInvite = await ctx.http.post(
      '/api/clients',
      { firstName: 'Not', lastName: 'Added', email: `n.${randomUUID()}@example.test`, portalInvite: true },
      { token: managerToken },
    );
    expect(withInvite.status).to.equal(409);
    expect(withInvite.body.code).to.equal('PORTAL_DISABLED');
    expect(
      await ctx.db.Client.count({ where: { practiceId: practice.id } }),
      'the client is not added either',
    ).to.equal(1);
    expect(await invitationRows(client.id)).to.have.length(1);
    expect((await auditOf(client.id)).map((e) => e.action)).to.deep.equal(['client.portal_invite']);
    expect(capture.deliveries()).to.have.length(1);
  });
});
