import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { useApi } from './context';
import { aClient, aClinician, aPractice, aService, aStaffUser, fixturePassword } from '../fixtures';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { emailVerificationCode } from '../support/verification';
import { TokenService } from '../../api/auth/tokens';
import type { Client, Practice, Service, StaffUser } from '../../models';

// Monday 1 June 2026, 12:00 UTC; the fixture clinician sees clients 09:00-17:00 New York time on weekdays.
const NOW = '2026-06-01T12:00:00Z';
const slot = (n: number) => new Date(Date.UTC(2026, 5, 10, 13, 0) + n * 60 * 60_000).toISOString();

describe('archived clients and shared addresses: portal sign-in, requests and the two ways to approve a possible duplicate', function () {
  this.timeout(180_000);
  let capture: CaptureServer;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture?.close();
  });
  beforeEach(() => capture.reset());
  const ctx = useApi({
    worker: true,
    now: NOW,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  let practice: Practice;
  let service: Service;
  let clinician: StaffUser;
  let managerToken: string;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    service = await aService(ctx.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    clinician = await aClinician(ctx.db, practice, {
      preferences: { initialConsultationServiceId: service.id, startTimeIntervalMinutes: 60 },
    });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    managerToken = await ctx.http.signIn(manager.email, fixturePassword);
  });

  const archive = async (client: Client) => {
    const res = await ctx.http.patch(
      `/api/clients/${client.id}`,
      { archived: true },
      { token: managerToken },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };
  const askCode = (email: string) => ctx.http.post(`/portal/${practice.slug}/auth/code`, { email });
  async function signInCode(email: string): Promise<string> {
    const before = new Set(capture.deliveries().map((e) => e.id));
    expect((await askCode(email)).status).to.equal(202);
    const sent = await capture.waitFor(
      (e) =>
        !before.has(e.id) &&
        e.to.includes(email.toLowerCase()) &&
        /^sign-in-code\//.test(e.idempotencyKey ?? ''),
      20_000,
    );
    return /^\s*(\d{6})\s*$/m.exec(sent.text ?? '')![1];
  }
  /** Proves nothing else is on its way: a later code for another client arrives, and nothing more did. */
  async function settle(): Promise<void> {
    const sentinel = await aClient(ctx.db, practice);
    await signInCode(sentinel.email);
    await sleep(100);
  }
  const clientToken = (client: Client) =>
    new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(Date.parse(NOW) + 3_600_000),
    );
  const newClientRequest = async (email: string, n: number, firstName = 'Robin') => {
    const code = await emailVerificationCode(ctx.http, capture, practice.slug, email);
    return ctx.http.post(`/portal/${practice.slug}/requests`, {
      clinicianId: clinician.id,
      serviceId: service.id,
      startsAt: slot(n),
      newClient: { firstName, lastName: 'Reyes', email, phone: '+1 555 0123' },
      emailVerificationCode: code,
    });
  };
  const approve = (id: string, body?: unknown, token = managerToken) =>
    ctx.http.post(`/api/appointment-requests/${id}/approve`, body, { token });

  it('an archived client asking for a code gets the answer a stranger gets, and no email; an earlier code stops working', async () => {
    const client = await aClient(ctx.db, practice);
    const earlier = await signInCode(client.email);
    await archive(client);

    const archivedAnswer = await askCode(client.email);
    const strangerAnswer = await askCode(`nobody-${randomUUID()}@example.test`);
    expect(archivedAnswer.status).to.equal(202);
    expect(archivedAnswer.body).to.deep.equal(strangerAnswer.body);
    await settle();
    expect(
      capture.deliveries().filter((e) => e.to.includes(client.email)),
      'only the code from before',
    ).to.have.length(1);

    const verify = await ctx.http.post(`/portal/${practice.slug}/auth/verify`, {
      email: client.email,
      code: earlier,
    });
    expect(verify.status).to.equal(401);
  });

  it("an archived client's token stops working, so they cannot see or request anything; unarchived, it works again", async () => {
    const client = await aClient(ctx.db, practice);
    const token = await clientToken(client);
    expect((await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token })).status).to.equal(200);
    await archive(client);
    expect((await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token })).status).to.equal(401);
    const request = await ctx.http.post(
      `/portal/${practice.slug}/requests`,
      { clinicianId: clinician.id, serviceId: service.id, startsAt: slot(0) },
      { token },
    );
    expect(request.status).to.equal(401);
    expect(await ctx.db.AppointmentRequest.count({ where: { practiceId: practice.id } })).to.equal(0);
    await ctx.http.patch(`/api/clients/${client.id}`, { archived: false }, { token: managerToken });
    expect((await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token })).status).to.equal(200);
  });

  it("a new-client request with an archived client's address is answered like any other; staff see it flagged and decide", async () => {
    const archived = await aClient(ctx.db, practice, { firstName: 'Morgan' });
    await archive(archived);
    const stranger = `stranger-${randomUUID()}@example.test`;
    const [forArchived, forStranger] = [
      await newClientRequest(archived.email.toUpperCase(), 0),
      await newClientRequest(stranger, 1),
    ];
    expect([forArchived.status, forStranger.status]).to.deep.equal([201, 201]);
    expect(Object.keys(forArchived.body).sort()).to.deep.equal(Object.keys(forStranger.body).sort());
    const receipt = await capture.waitFor(
      (e) => e.idempotencyKey === `request-received/${forArchived.body.id}`,
      20_000,
    );
    const strangerReceipt = await capture.waitFor(
      (e) => e.idempotencyKey === `request-received/${forStranger.body.id}`,
      20_000,
    );
    expect(receipt.subject).to.equal(strangerReceipt.subject);

    const listed = await ctx.http.get(`/api/appointment-requests/${forArchived.body.id}`, {
      token: managerToken,
    });
    expect(listed.body.possibleDuplicateClient).to.include({
      id: archived.id,
      firstName: 'Morgan',
      archived: true,
    });
    expect(listed.body.client).to.include({ firstName: 'Robin', isNew: true });

    const refused = await approve(forArchived.body.id);
    expect(refused.status).to.equal(409);
    expect(refused.body.code).to.equal('CLIENT_ARCHIVED');
    const stillPending = await ctx.db.AppointmentRequest.findByPk(forArchived.body.id);
    expect(stillPending!.status).to.equal('pending');
    expect(await ctx.db.Appointment.count({ where: { clientId: archived.id } })).to.equal(0);

    const asNew = await approve(forArchived.body.id, { asNewClient: true });
    expect(asNew.status, JSON.stringify(asNew.body)).to.equal(200);
    expect(asNew.body.client).to.include({ firstName: 'Robin', created: true });
    await archived.reload();
    expect(archived.archivedAt, 'the archived client stays archived').to.not.equal(null);
  });

  it('approved as a separate new client: the address is shared for contact, the portal sign-in stays with the existing client', async () => {
    const parent = await aClient(ctx.db, practice, {
      firstName: 'Alex',
      lastName: 'Parent',
      phone: '+1 555 0001',
    });
    const submitted = await newClientRequest(parent.email, 0, 'Kim');
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);

    const list = await ctx.http.get('/api/appointment-requests?status=pending', { token: managerToken });
    const flagged = list.body.find((r: { id: string }) => r.id === submitted.body.id);
    expect(flagged.possibleDuplicate).to.equal(true);
    expect(flagged.client).to.include({ firstName: 'Kim', lastName: 'Reyes', phone: '+1 555 0123' });
    expect(flagged.possibleDuplicateClient).to.include({
      id: parent.id,
      firstName: 'Alex',
      lastName: 'Parent',
      phone: '+1 555 0001',
      archived: false,
    });

    const res = await approve(submitted.body.id, { asNewClient: true });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.client).to.include({ firstName: 'Kim', email: parent.email, created: true });
    const child = (await ctx.db.Client.findByPk(res.body.client.id))!;
    expect(child.portalSignIn).to.equal(false);
    expect(res.body.appointment.clientId).to.equal(child.id);
    await parent.reload();
    expect([parent.firstName, parent.portalSignIn]).to.deep.equal(['Alex', true]);
    const created = await ctx.db.AuditEntry.findOne({ where: { entity: 'client', entityId: child.id } });
    expect(created).to.include({ action: 'client.create', actorType: 'staff' });

    // The code for the shared address signs in the existing client, never the new one.
    const code = await signInCode(parent.email);
    const signedIn = await ctx.http.post(`/portal/${practice.slug}/auth/verify`, {
      email: parent.email,
      code,
    });
    expect(signedIn.body.client.id).to.equal(parent.id);

    const profile = await ctx.http.get(`/api/clients/${child.id}`, { token: managerToken });
    expect(profile.body).to.include({ portalSignIn: false });
    expect(profile.body.sharesAddressWith).to.include({ id: parent.id, firstName: 'Alex' });
    expect(profile.body.requests.map((r: { id: string }) => r.id)).to.deep.equal([submitted.body.id]);
    const invite = await ctx.http.post(`/api/clients/${child.id}/portal-invite`, undefined, {
      token: managerToken,
    });
    expect(invite.status).to.equal(409);
    expect(invite.body.code).to.equal('CLIENT_SHARES_ADDRESS');

    // Given an address of their own, the new client signs in with it.
    const own = `kim-${randomUUID()}@example.test`;
    const moved = await ctx.http.patch(`/api/clients/${child.id}`, { email: own }, { token: managerToken });
    expect(moved.body).to.include({ email: own, portalSignIn: true });
  });

  it('approved for the existing client (the default): booked for them, no client added', async () => {
    const existing = await aClient(ctx.db, practice, { firstName: 'Alex' });
    const submitted = await newClientRequest(existing.email, 0, 'Alexander');
    const res = await approve(submitted.body.id);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.client).to.include({ id: existing.id, firstName: 'Alex', created: false });
    expect(await ctx.db.Client.count({ where: { practiceId: practice.id } })).to.equal(1);
  });

  it("asNewClient on a signed-in client's request is 400 naming /asNewClient, and the request stays pending", async () => {
    const client = await aClient(ctx.db, practice);
    const submitted = await ctx.http.post(
      `/portal/${practice.slug}/requests`,
      { clinicianId: clinician.id, serviceId: service.id, startsAt: slot(0) },
      { token: await clientToken(client) },
    );
    expect(submitted.status).to.equal(201);
    const res = await approve(submitted.body.id, { asNewClient: true });
    expect([res.status, res.body.field]).to.deep.equal([400, '/asNewClient']);
    expect((await ctx.db.AppointmentRequest.findByPk(submitted.body.id))!.status).to.equal('pending');
  });

  it('the database allows one client per address who signs in, and any number who only share it', async () => {
    const holder = await aClient(ctx.db, practice);
    await aClient(ctx.db, practice, { email: holder.email.toUpperCase(), portalSignIn: false });
    await aClient(ctx.db, practice, { email: holder.email, portalSignIn: false });
    let refused: unknown = null;
    try {
      await aClient(ctx.db, practice, { email: holder.email.toUpperCase() });
    } catch (err) {
      refused = err;
    }
    expect((refused as Error | null)?.name).to.equal('SequelizeUniqueConstraintError');
  });
});
