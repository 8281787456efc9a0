import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useApi } from '../api/context';
import { startCaptureServer, type CaptureServer, type CapturedEmail } from '../support/captureServer';
import { emailVerificationCode } from '../support/verification';
import { aPractice, aStaffUser, aClinician, aService, aClient, fixturePassword } from '../fixtures';
import { type Practice, type Service, type StaffUser } from '../../models';

// Monday 1 June 2026, 12:00 UTC (08:00 in New York). The slot is Wednesday 10 June, 10:00 New York time.
const SLOT = '2026-06-10T14:00:00.000Z';

/** Minimal RFC 5545 reader: the unfolded properties of the first VEVENT. */
function readIcs(text: string): Record<string, string> {
  const lines = text.replace(/\r\n[ \t]/g, '').split(/\r\n/);
  const start = lines.indexOf('BEGIN:VEVENT');
  const end = lines.indexOf('END:VEVENT');
  expect(start, 'a VEVENT').to.be.greaterThan(-1);
  return Object.fromEntries(
    lines.slice(start + 1, end).map((l) => [l.split(/[:;]/)[0], l.slice(l.indexOf(':') + 1)]),
  );
}

describe('appointment requests end to end (HTTP, worker, PostgreSQL, Temporal dev server, Resend SDK)', function () {
  this.timeout(120_000);
  let capture: CaptureServer;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture?.close();
  });
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;
  let therapy: Service;
  beforeEach(async () => {
    capture.reset();
    practice = await aPractice(ctx.db);
    consultation = await aService(ctx.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    therapy = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    clinician = await aClinician(ctx.db, practice, {
      preferences: {
        initialConsultationServiceId: consultation.id,
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 24,
      },
    });
  });

  const newClient = (email = `robin-${randomUUID().slice(0, 6)}@example.test`) => ({
    firstName: 'Robin',
    lastName: 'Reyes',
    email,
    phone: '+1 555 0123',
  });
  const sendRequest = (
    body: Record<string, unknown>,
    opts: { token?: string; key?: string; ip?: string } = {},
  ) =>
    ctx.http.post(`/portal/${practice.slug}/requests`, body, {
      token: opts.token,
      headers: {
        ...(opts.key ? { 'idempotency-key': opts.key } : {}),
        ...(opts.ip ? { 'x-forwarded-for': opts.ip } : {}),
      },
    });
  /** A new-client body with the code its address was sent, asked for from the same network address. */
  const verified = async <B extends { newClient: { email: string } }>(body: B, ip?: string) => ({
    ...body,
    emailVerificationCode: await emailVerificationCode(
      ctx.http,
      capture,
      practice.slug,
      body.newClient.email,
      {
        ip,
      },
    ),
  });
  const emailTo = (to: string, pred: (e: CapturedEmail) => boolean = () => true) =>
    capture.waitFor((e) => e.to.includes(to) && pred(e), 20_000);
  const key = (prefix: string) => (e: CapturedEmail) => e.idempotencyKey?.startsWith(prefix) ?? false;

  it('a new client requests; the clinician gets an email and a bell item, approves; client, appointment and a valid .ics invite follow', async () => {
    const details = newClient();
    const created = await sendRequest(
      await verified({
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        newClient: details,
        message: 'First time in therapy.',
        timeZone: 'America/Chicago',
      }),
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ status: 'pending', startsAt: SLOT });

    const toClinician = await emailTo(clinician.email, key('request-new/'));
    expect(toClinician.subject).to.not.include('Robin');
    await emailTo(details.email, key('request-received/'));
    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    const bell = await ctx.http.get('/api/notifications', { token });
    expect(bell.body.unreadCount).to.equal(1);
    expect(bell.body.items[0]).to.include({
      kind: 'request_new',
      requestId: created.body.id,
      decided: false,
    });
    const list = await ctx.http.get('/api/appointment-requests?status=pending', { token });
    expect(list.body).to.have.length(1);
    expect(list.body[0].client).to.include({ firstName: 'Robin', email: details.email, isNew: true });
    expect(list.body[0]).to.include({ possibleDuplicate: false, waitingMinutes: 0 });

    const approved = await ctx.http.post(`/api/appointment-requests/${created.body.id}/approve`, undefined, {
      token,
    });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    expect(approved.body.appointment).to.include({ startsAt: SLOT, status: 'scheduled' });
    const client = await ctx.db.Client.findOne({ where: { email: details.email } });
    expect(client).to.include({
      firstName: 'Robin',
      lastName: 'Reyes',
      phone: '+1 555 0123',
      practiceId: practice.id,
    });
    expect(await ctx.db.Appointment.findByPk(approved.body.appointment.id)).to.include({
      clientId: client!.id,
    });

    const confirmation = await emailTo(details.email, key('request-approved/'));
    const ics = readIcs(confirmation.attachments.find((a) => a.filename.endsWith('.ics'))!.utf8);
    expect(ics.DTSTART).to.equal('20260610T140000Z');
    expect(ics.DTEND).to.equal('20260610T143000Z');
    expect(confirmation.text).to.match(/9:00\s?AM/); // 14:00 UTC in the client's Chicago zone
    expect((await ctx.http.get('/api/notifications', { token })).body.items[0].decided).to.equal(true);
  });

  it('an existing client signs in with an emailed code, requests any bookable service, and is approved', async () => {
    const client = await aClient(ctx.db, practice);
    await ctx.http.post(`/portal/${practice.slug}/auth/code`, { email: client.email });
    const codeEmail = await emailTo(client.email);
    const code = /\b(\d{6})\b/.exec(codeEmail.text!)![1];
    const verified = await ctx.http.post(`/portal/${practice.slug}/auth/verify`, {
      email: client.email,
      code,
    });
    const clientToken = verified.body.token as string;
    const created = await sendRequest(
      { clinicianId: clinician.id, serviceId: therapy.id, startsAt: SLOT },
      { token: clientToken },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const mine = await ctx.http.get(`/portal/${practice.slug}/me/requests`, { token: clientToken });
    expect(mine.body.map((r: { id: string }) => r.id)).to.deep.equal([created.body.id]);
    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    expect(
      (await ctx.http.post(`/api/appointment-requests/${created.body.id}/approve`, undefined, { token }))
        .status,
    ).to.equal(200);
    const confirmation = await emailTo(client.email, key('request-approved/'));
    expect(readIcs(confirmation.attachments[0].utf8).DTSTART).to.equal('20260610T140000Z');
    expect(await ctx.db.Client.count()).to.equal(1);
  });

  it('a decline with a note reaches the client and frees the slot for the next request', async () => {
    const details = newClient();
    const created = await sendRequest(
      await verified({
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        newClient: details,
      }),
    );
    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    const declined = await ctx.http.post(
      `/api/appointment-requests/${created.body.id}/decline`,
      { note: 'My practice is full; please try Dr. Lee.' },
      { token },
    );
    expect(declined.status).to.equal(200);
    expect(declined.body.request).to.include({
      status: 'declined',
      declineNote: 'My practice is full; please try Dr. Lee.',
    });
    const email = await emailTo(details.email, key('request-declined/'));
    expect(email.text).to.include('My practice is full; please try Dr. Lee.');
    const again = await sendRequest(
      await verified({
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        newClient: newClient(),
      }),
    );
    expect(again.status).to.equal(201);
    const twice = await ctx.http.post(`/api/appointment-requests/${created.body.id}/approve`, undefined, {
      token,
    });
    expect(twice.status).to.equal(409);
    expect(twice.body.code).to.equal('REQUEST_NOT_PENDING');
  });

  it('a retried submission with the same Idempotency-Key returns the first response and starts nothing new; without one the repeat is 409', async () => {
    const body = await verified({
      clinicianId: clinician.id,
      serviceId: consultation.id,
      startsAt: SLOT,
      newClient: newClient(),
    });
    const idempotencyKey = `portal-${randomUUID()}`;
    const first = await sendRequest(body, { key: idempotencyKey });
    const retried = await sendRequest(body, { key: idempotencyKey });
    expect(first.status).to.equal(201);
    expect(retried.status).to.equal(201);
    expect(retried.body).to.deep.equal(first.body);
    expect(retried.headers.get('idempotent-replayed')).to.equal('true');
    expect(await ctx.db.AppointmentRequest.count()).to.equal(1);
    const repeat = await sendRequest(body);
    expect(repeat.status).to.equal(409);
    expect(repeat.body.code).to.equal('SLOT_UNAVAILABLE');
  });

  it('20 concurrent requests for one slot give exactly one 201, and one hold', async () => {
    const results = await Promise.all(
      // Twenty people at twenty addresses, so the per-address submission cap is not what refuses them.
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const ip = `203.0.113.${i + 1}`;
          const body = {
            clinicianId: clinician.id,
            serviceId: consultation.id,
            startsAt: SLOT,
            newClient: newClient(),
          };
          return { body: await verified(body, ip), ip };
        }),
      ).then((all) => all.map(({ body, ip }) => sendRequest(body, { ip }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(
      statuses.filter((s) => s === 201),
      statuses.join(','),
    ).to.have.length(1);
    expect(statuses.filter((s) => s === 409)).to.have.length(19);
    expect(await ctx.db.TimeHold.count()).to.equal(1);
    expect(await ctx.db.AppointmentRequest.count()).to.equal(1);
  });

  it('two staff approving two requests that now conflict (buffer raised meanwhile) at once book exactly one', async () => {
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const a = await sendRequest(
      await verified({
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        newClient: newClient(),
      }),
    );
    const b = await sendRequest(
      await verified({
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: '2026-06-10T14:30:00.000Z',
        newClient: newClient(),
      }),
    );
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    await ctx.db.BookingPreferences.update(
      { bufferAfterMinutes: 15 },
      { where: { clinicianId: clinician.id } },
    );
    const [adminToken, clinicianToken] = [
      await ctx.http.signIn(admin.email, fixturePassword),
      await ctx.http.signIn(clinician.email, fixturePassword),
    ];
    const outcomes = await Promise.all([
      ctx.http.post(`/api/appointment-requests/${a.body.id}/approve`, undefined, { token: adminToken }),
      ctx.http.post(`/api/appointment-requests/${b.body.id}/approve`, undefined, { token: clinicianToken }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal([200, 409]);
    expect(outcomes.find((o) => o.status === 409)!.body.code).to.equal('SLOT_UNAVAILABLE');
    expect(await ctx.db.Appointment.count()).to.equal(1);
    expect(
      await ctx.db.AppointmentRequest.count({ where: { status: 'pending' } }),
      'the refused one stays pending',
    ).to.equal(1);
  });

  it('refuses with clear problems: portal off 404, new clients off 403, slot not offered 409, unknown clinician 404, wrong service for a new client', async () => {
    const body = await verified({
      clinicianId: clinician.id,
      serviceId: consultation.id,
      startsAt: SLOT,
      newClient: newClient(),
    });
    await practice.update({ allowNewClients: false });
    const closed = await sendRequest(body);
    expect(closed.status).to.equal(403);
    expect(closed.body.code).to.equal('NEW_CLIENTS_NOT_ACCEPTED');
    await practice.update({ allowNewClients: true });
    const offGrid = await sendRequest({ ...body, startsAt: '2026-06-10T14:10:00.000Z' });
    expect([offGrid.status, offGrid.body.code]).to.deep.equal([409, 'SLOT_UNAVAILABLE']);
    const tooSoon = await sendRequest({ ...body, startsAt: '2026-06-02T10:00:00.000Z' });
    expect([tooSoon.status, tooSoon.body.code], 'inside the 24 h notice').to.deep.equal([
      409,
      'SLOT_UNAVAILABLE',
    ]);
    const therapyForNew = await sendRequest({ ...body, serviceId: therapy.id });
    expect([therapyForNew.status, therapyForNew.body.field]).to.deep.equal([400, '/serviceId']);
    expect((await sendRequest({ ...body, clinicianId: randomUUID() })).status).to.equal(404);
    const missing = await sendRequest({
      clinicianId: clinician.id,
      serviceId: consultation.id,
      startsAt: SLOT,
    });
    expect([missing.status, missing.body.field]).to.deep.equal([400, '/newClient']);
    const badEmail = await sendRequest({ ...body, newClient: { ...newClient(), email: 'not-an-email' } });
    expect([badEmail.status, badEmail.body.field]).to.deep.equal([400, '/newClient/email']);
    const { emailVerificationCode: _code, ...unverified } = body;
    const notVerified = await sendRequest(unverified);
    expect([notVerified.status, notVerified.body.code, notVerified.body.field]).to.deep.equal([
      422,
      'EMAIL_NOT_VERIFIED',
      '/emailVerificationCode',
    ]);
    await practice.update({ portalEnabled: false });
    expect((await sendRequest(body)).status).to.equal(404);
    expect(await ctx.db.AppointmentRequest.count()).to.equal(0);
    expect(await ctx.db.TimeHold.count()).to.equal(0);
  });

  it("authorization: a client cannot see or withdraw another client's request; a clinician cannot decide a colleague's", async () => {
    const [alice, bob] = [await aClient(ctx.db, practice), await aClient(ctx.db, practice)];
    const tokenOf = async (email: string) => {
      capture.reset();
      await ctx.http.post(`/portal/${practice.slug}/auth/code`, { email });
      const code = /\b(\d{6})\b/.exec((await emailTo(email)).text!)![1];
      return (await ctx.http.post(`/portal/${practice.slug}/auth/verify`, { email, code })).body
        .token as string;
    };
    const [aliceToken, bobToken] = [await tokenOf(alice.email), await tokenOf(bob.email)];
    const created = await sendRequest(
      { clinicianId: clinician.id, serviceId: therapy.id, startsAt: SLOT },
      { token: aliceToken },
    );
    expect(created.status).to.equal(201);
    expect(
      (await ctx.http.get(`/portal/${practice.slug}/me/requests`, { token: bobToken })).body,
    ).to.deep.equal([]);
    expect(
      (
        await ctx.http.post(`/portal/${practice.slug}/me/requests/${created.body.id}/withdraw`, undefined, {
          token: bobToken,
        })
      ).status,
    ).to.equal(404);
    const colleague = await aClinician(ctx.db, practice);
    const colleagueToken = await ctx.http.signIn(colleague.email, fixturePassword);
    expect(
      (
        await ctx.http.post(`/api/appointment-requests/${created.body.id}/approve`, undefined, {
          token: colleagueToken,
        })
      ).status,
    ).to.equal(403);
    expect((await ctx.http.get('/api/appointment-requests', { token: colleagueToken })).body).to.deep.equal(
      [],
    );
    const outsider = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const outsiderToken = await ctx.http.signIn(outsider.email, fixturePassword);
    expect(
      (
        await ctx.http.post(
          `/api/appointment-requests/${created.body.id}/decline`,
          {},
          { token: outsiderToken },
        )
      ).status,
    ).to.equal(404);
    const withdrawn = await ctx.http.post(
      `/portal/${practice.slug}/me/requests/${created.body.id}/withdraw`,
      undefined,
      { token: aliceToken },
    );
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    expect(withdrawn.body.status).to.equal('withdrawn');
    await emailTo(clinician.email, key('request-withdrawn/'));
  });
});
