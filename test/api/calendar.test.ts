import { expect } from 'chai';
import { useMailedApi } from './context';
import { startRequestWorkflow } from '../../temporal/requests';
import {
  aClient,
  aClinician,
  aPractice,
  aService,
  aStaffUser,
  anAppointment,
  fixturePassword,
} from '../fixtures';
import type { Client, NewClientDetails, Practice, Service, StaffUser } from '../../models';

const HOUR = 3_600_000;
const MINUTE = 60_000;
// The clock is Monday 1 June 2026, 12:00 UTC; the week shown is 8-14 June in New York (UTC-4).
const WEEK_FROM = '2026-06-08T04:00:00.000Z';
const WEEK_TO = '2026-06-15T04:00:00.000Z';
const TUESDAY_10 = new Date('2026-06-09T14:00:00Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const week = `from=${WEEK_FROM}&to=${WEEK_TO}`;

interface Timed {
  clinicianId: string;
  startsAt: string;
  endsAt: string;
}

describe('the calendar with holds, time off and availability (API, worker, PostgreSQL, Temporal)', function () {
  this.timeout(120_000);
  const { ctx } = useMailedApi();

  let practice: Practice;
  let clinician: StaffUser;
  let colleague: StaffUser;
  let service: Service;
  let client: Client;
  beforeEach(async () => {
    practice = await aPractice(ctx.db);
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    // Tuesdays and Thursdays 09:00-17:00 New York; the colleague works Mondays 08:00-12:00 Chicago.
    clinician = await aClinician(ctx.db, practice, { rules: [{ rrule: 'FREQ=WEEKLY;BYDAY=TU,TH' }] });
    colleague = await aClinician(ctx.db, practice, {
      rules: [
        { rrule: 'FREQ=WEEKLY;BYDAY=MO', startTime: '08:00', endTime: '12:00', timeZone: 'America/Chicago' },
      ],
    });
    client = await aClient(ctx.db, practice, { firstName: 'Alex', lastName: 'Lee' });
  });

  /** A pending request as a submission records it, its hold taken and its workflow running. */
  async function pending(o: { startsAt: Date; with?: StaffUser; newClient?: NewClientDetails }) {
    const who = o.with ?? clinician;
    const endsAt = at(o.startsAt, 50 * MINUTE);
    const hold = await ctx.db.TimeHold.create({
      clinicianId: who.id,
      during: ctx.db.TimeHold.range(o.startsAt, endsAt),
      kind: 'request',
    });
    const request = await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: who.id,
      serviceId: service.id,
      clientId: o.newClient ? null : client.id,
      newClient: o.newClient ?? null,
      possibleDuplicateClientId: null,
      message: 'Private: about my mother',
      clientTimeZone: null,
      startsAt: o.startsAt,
      endsAt,
      holdId: hold.id,
      idempotencyKey: null,
      createdAt: ctx.clock.now(),
    });
    await startRequestWorkflow(ctx.stack.temporal, ctx.stack.config.taskQueue, {
      requestId: request.id,
      practiceId: practice.id,
      clinicianId: who.id,
      startsAt: o.startsAt.toISOString(),
      requestedAt: request.createdAt.toISOString(),
      lifetimeHours: practice.requestLifetimeHours,
    });
    return request;
  }
  const signIn = (who: StaffUser) => ctx.http.signIn(who.email, fixturePassword);
  const times = (rows: Timed[]) => rows.map((r) => [r.clinicianId, r.startsAt, r.endsAt]);

  it('include=holds,timeOff adds pending holds and time off; without include the answer is the plain list', async () => {
    const appointment = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: TUESDAY_10,
    });
    const request = await pending({ startsAt: at(TUESDAY_10, 2 * HOUR) });
    const off = await ctx.db.TimeOff.create({
      clinicianId: clinician.id,
      startsAt: new Date('2026-06-11T17:00:00Z'),
      endsAt: new Date('2026-06-11T21:00:00Z'),
      reason: 'Dentist',
    });
    // Outside the week: neither answer shows them.
    await ctx.db.TimeOff.create({
      clinicianId: clinician.id,
      startsAt: new Date('2026-06-16T13:00:00Z'),
      endsAt: new Date('2026-06-16T15:00:00Z'),
      reason: null,
    });
    const token = await signIn(clinician);

    const plain = await ctx.http.get(`/api/appointments?${week}`, { token });
    expect(plain.status, JSON.stringify(plain.body)).to.equal(200);
    expect(plain.body).to.be.an('array');
    expect(plain.body.map((a: { id: string }) => a.id)).to.deep.equal([appointment.id]);

    const both = await ctx.http.get(`/api/appointments?${week}&include=holds,timeOff`, { token });
    expect(both.status, JSON.stringify(both.body)).to.equal(200);
    expect(Object.keys(both.body).sort()).to.deep.equal(['appointments', 'holds', 'timeOff']);
    expect(both.body.appointments).to.deep.equal(plain.body);
    expect(both.body.holds).to.deep.equal([
      {
        requestId: request.id,
        kind: 'booking',
        appointmentId: null,
        clinicianId: clinician.id,
        client: { firstName: 'Alex', lastName: 'Lee', isNew: false },
        service: { id: service.id, name: 'Individual therapy' },
        startsAt: '2026-06-09T16:00:00.000Z',
        endsAt: '2026-06-09T16:50:00.000Z',
      },
    ]);
    expect(JSON.stringify(both.body), 'the request message stays on the request').to.not.include('mother');
    expect(both.body.timeOff).to.deep.equal([
      {
        id: off.id,
        clinicianId: clinician.id,
        startsAt: '2026-06-11T17:00:00.000Z',
        endsAt: '2026-06-11T21:00:00.000Z',
        reason: 'Dentist',
      },
    ]);

    const onlyHolds = await ctx.http.get(`/api/appointments?${week}&include=holds`, { token });
    expect(Object.keys(onlyHolds.body).sort()).to.deep.equal(['appointments', 'holds']);
  });

  it('a hold appears while the request is pending and vanishes once it is declined or approved', async () => {
    const declined = await pending({ startsAt: TUESDAY_10 });
    const approved = await pending({
      startsAt: at(TUESDAY_10, 3 * HOUR),
      newClient: {
        firstName: 'Jo',
        lastName: 'Newname',
        email: 'jo.newname@example.test',
        phone: '+1 555 0100',
      },
    });
    const token = await signIn(clinician);
    const calendar = async () => (await ctx.http.get(`/api/calendar?${week}`, { token })).body;

    const before = await calendar();
    expect(before.holds.map((h: { requestId: string }) => h.requestId)).to.deep.equal([
      declined.id,
      approved.id,
    ]);
    expect(before.holds[1].client).to.deep.equal({ firstName: 'Jo', lastName: 'Newname', isNew: true });

    const decline = await ctx.http.post(`/api/appointment-requests/${declined.id}/decline`, {}, { token });
    expect(decline.status, JSON.stringify(decline.body)).to.equal(200);
    const afterDecline = await calendar();
    expect(afterDecline.holds.map((h: { requestId: string }) => h.requestId)).to.deep.equal([approved.id]);

    const approve = await ctx.http.post(`/api/appointment-requests/${approved.id}/approve`, undefined, {
      token,
    });
    expect(approve.status, JSON.stringify(approve.body)).to.equal(200);
    const afterApprove = await calendar();
    expect(afterApprove.holds).to.deep.equal([]);
    expect(afterApprove.appointments.map((a: { startsAt: string }) => a.startsAt)).to.deep.equal([
      '2026-06-09T17:00:00.000Z',
    ]);
  });

  it('GET /api/calendar expands weekly availability in each rule zone; managers see every clinician', async () => {
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    await ctx.db.TimeOff.create({
      clinicianId: colleague.id,
      startsAt: new Date('2026-06-08T14:00:00Z'),
      endsAt: new Date('2026-06-08T15:00:00Z'),
      reason: null,
    });
    await pending({ startsAt: at(TUESDAY_10, 24 * HOUR), with: colleague });

    const own = await ctx.http.get(`/api/calendar?${week}`, { token: await signIn(clinician) });
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    // Tuesday and Thursday, 09:00-17:00 in New York (UTC-4 in June).
    expect(times(own.body.availability)).to.deep.equal([
      [clinician.id, '2026-06-09T13:00:00.000Z', '2026-06-09T21:00:00.000Z'],
      [clinician.id, '2026-06-11T13:00:00.000Z', '2026-06-11T21:00:00.000Z'],
    ]);
    expect(own.body.availability[0].date).to.equal('2026-06-09');
    expect(own.body.holds, "a colleague's hold is not mine").to.deep.equal([]);
    expect(own.body.timeOff, 'nor their time off').to.deep.equal([]);

    const managerToken = await signIn(manager);
    const all = await ctx.http.get(`/api/calendar?${week}`, { token: managerToken });
    // Monday 08:00-12:00 in Chicago (UTC-5 in June) for the colleague, by start.
    expect(times(all.body.availability)).to.deep.equal([
      [colleague.id, '2026-06-08T13:00:00.000Z', '2026-06-08T17:00:00.000Z'],
      [clinician.id, '2026-06-09T13:00:00.000Z', '2026-06-09T21:00:00.000Z'],
      [clinician.id, '2026-06-11T13:00:00.000Z', '2026-06-11T21:00:00.000Z'],
    ]);
    expect(times(all.body.timeOff)).to.deep.equal([
      [colleague.id, '2026-06-08T14:00:00.000Z', '2026-06-08T15:00:00.000Z'],
    ]);
    expect(all.body.holds.map((h: Timed) => h.clinicianId)).to.deep.equal([colleague.id]);

    const one = await ctx.http.get(`/api/calendar?${week}&clinicianId=${clinician.id}`, {
      token: managerToken,
    });
    expect(one.body.holds).to.deep.equal([]);
    expect(new Set(one.body.availability.map((w: Timed) => w.clinicianId))).to.deep.equal(
      new Set([clinician.id]),
    );
  });

  it("a clinician never sees a colleague's holds or time off, another practice never: 403 / 404, no data", async () => {
    await pending({ startsAt: TUESDAY_10, with: colleague });
    await ctx.db.TimeOff.create({
      clinicianId: colleague.id,
      startsAt: new Date('2026-06-08T14:00:00Z'),
      endsAt: new Date('2026-06-08T15:00:00Z'),
      reason: 'Private',
    });
    const outsider = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const mine = await signIn(clinician);
    const theirs = await signIn(outsider);

    for (const path of ['/api/calendar', '/api/appointments']) {
      const extra = path === '/api/appointments' ? '&include=holds,timeOff' : '';
      const peek = await ctx.http.get(`${path}?${week}&clinicianId=${colleague.id}${extra}`, { token: mine });
      expect(peek.status, path).to.equal(403);
      expect(JSON.stringify(peek.body)).to.not.match(/Private|holds|timeOff/);

      const foreign = await ctx.http.get(`${path}?${week}&clinicianId=${colleague.id}${extra}`, {
        token: theirs,
      });
      expect(foreign.status, path).to.equal(404);
      expect(JSON.stringify(foreign.body)).to.not.match(/Private|holds|timeOff/);

      // Their own practice's calendar is empty of ours.
      const own = await ctx.http.get(`${path}?${week}${extra}`, { token: theirs });
      expect(own.status, path).to.equal(200);
      expect(own.body.holds ?? [], path).to.deep.equal([]);
      expect(own.body.timeOff ?? [], path).to.deep.equal([]);
      expect(own.body.availability ?? [], path).to.deep.equal([]);
    }
  });

  it('include naming anything but holds and timeOff is 400 naming include; the range rules still hold', async () => {
    const token = await signIn(clinician);
    for (const include of ['holds,notes', 'availability', '', 'holds,', 'HOLDS']) {
      const res = await ctx.http.get(`/api/appointments?${week}&include=${encodeURIComponent(include)}`, {
        token,
      });
      expect(res.status, include).to.equal(400);
      expect(res.body.field, include).to.equal('include');
      expect(res.body.detail, include).to.match(/^include lists holds and timeOff/);
    }
    const wide = await ctx.http.get(
      `/api/calendar?from=${WEEK_FROM}&to=${at(new Date(WEEK_FROM), 94 * 24 * HOUR).toISOString()}`,
      { token },
    );
    expect([wide.status, wide.body.field]).to.deep.equal([400, 'to']);
    const backwards = await ctx.http.get(`/api/calendar?from=${WEEK_TO}&to=${WEEK_FROM}`, { token });
    expect([backwards.status, backwards.body.field]).to.deep.equal([400, 'to']);
  });
});
