import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { aPractice, aClinician, aService, aClient, fixturePassword } from '../fixtures';
import { type Practice, type Service, type StaffUser } from '../../models';

describe('portal availability and clinicians', () => {
  const ctx = useApi({ now: '2026-03-05T12:00:00Z' });

  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;
  let therapy: Service;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { timeZone: 'America/New_York' });
    consultation = await aService(ctx.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    therapy = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    clinician = await aClinician(ctx.db, practice, {
      preferences: {
        initialConsultationServiceId: consultation.id,
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 24,
        bufferAfterMinutes: 15,
      },
      rules: [
        {
          rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
          startDate: '2026-01-01',
          startTime: '09:00',
          endTime: '12:00',
          timeZone: 'America/New_York',
        },
      ],
    });
  });

  const availability = (params: Record<string, string>, token?: string) =>
    ctx.http.get(`/portal/${practice.slug}/availability?${new URLSearchParams(params)}`, { token });
  const base = () => ({ clinicianId: clinician.id, serviceId: consultation.id });

  it('lists clinicians with their bookable services and whether new clients can book them', async () => {
    const noInitial = await aClinician(ctx.db, practice, {
      preferences: { initialConsultationServiceId: null },
    });
    await aService(ctx.db, practice, { name: 'Assessment', bookableOnline: false });
    const res = await ctx.http.get(`/portal/${practice.slug}/clinicians`);
    const byId = Object.fromEntries(res.body.map((c: { id: string }) => [c.id, c]));
    expect(byId[clinician.id].newClients).to.deep.equal({
      accepted: true,
      initialConsultationServiceId: consultation.id,
    });
    expect(
      byId[noInitial.id].newClients.accepted,
      'no initial consultation service: not offered to new clients',
    ).to.equal(false);
    expect(byId[clinician.id].services.map((s: { name: string }) => s.name)).to.deep.equal([
      'Individual therapy',
      'Initial consultation',
    ]);
    expect(JSON.stringify(res.body)).to.not.include('email');
  });

  it('offers slots across the spring-forward week with the same instants in the asked zone', async () => {
    // 8 March 2026: New York moves from -05:00 to -04:00. Friday 6 March and Monday 9 March, 09:00 local.
    const res = await availability({
      ...base(),
      from: '2026-03-06T00:00:00Z',
      to: '2026-03-10T00:00:00Z',
      timeZone: 'Europe/London',
    });
    expect(res.status).to.equal(200);
    const starts = res.body.slots.map((s: { startsAt: string }) => s.startsAt);
    expect(starts[0]).to.equal('2026-03-06T14:00:00.000Z');
    expect(starts).to.include('2026-03-09T13:00:00.000Z');
    expect(starts, 'after the window ends at 12:00 local').to.not.include('2026-03-09T16:00:00.000Z');
    const monday = res.body.slots.find(
      (s: { startsAt: string }) => s.startsAt === '2026-03-09T13:00:00.000Z',
    );
    expect(monday.localStartsAt).to.equal('2026-03-09T13:00:00.000+00:00');
    expect(res.body.timeZone).to.equal('Europe/London');
    // Minimum notice is 24 real hours from Thursday 12:00 UTC, so nothing on Thursday or before Friday 12:00 UTC.
    expect(starts.every((s: string) => Date.parse(s) >= Date.parse('2026-03-06T12:00:00Z'))).to.equal(true);
  });

  it('time off added through the staff API hides its slots from the portal at once; removing it brings them back', async () => {
    const tuesday = { ...base(), from: '2026-03-10T00:00:00Z', to: '2026-03-11T00:00:00Z' };
    const starts = async () =>
      ((await availability(tuesday)).body.slots as { startsAt: string }[]).map((s) => s.startsAt);
    // Tuesday 10 March, 09:00-12:00 New York (13:00-16:00 UTC), every half hour.
    const before = await starts();
    expect(before).to.include.members(['2026-03-10T14:00:00.000Z', '2026-03-10T15:00:00.000Z']);

    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    const path = `/api/clinicians/${clinician.id}/time-off`;
    // 10:00-11:00 New York: the 10:00 and 10:30 starts go.
    const added = await ctx.http.post(
      path,
      { startsAt: '2026-03-10T10:00:00-04:00', endsAt: '2026-03-10T11:00:00-04:00', reason: 'Dentist' },
      { token },
    );
    expect(added.status, JSON.stringify(added.body)).to.equal(201);
    const during = await starts();
    expect(during).to.not.include.members(['2026-03-10T14:00:00.000Z']);
    expect(during).to.not.include('2026-03-10T14:30:00.000Z');
    expect(during, 'before the time off').to.include('2026-03-10T13:00:00.000Z');
    expect(during, 'from its end').to.include('2026-03-10T15:00:00.000Z');
    expect(during.length).to.be.lessThan(before.length);

    expect((await ctx.http.delete(`${path}/${added.body.id}`, { token })).status).to.equal(204);
    expect(await starts()).to.deep.equal(before);
  });

  it("does not list a slot inside a booking's after-buffer, and refuses to accept it either (listing and booking agree)", async () => {
    // Monday 9 March 09:00-09:30 New York is booked; with a 15-minute after-buffer 09:30 is not offered, 10:00 is.
    const client = await aClient(ctx.db, practice);
    const hold = await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(new Date('2026-03-09T13:00:00Z'), new Date('2026-03-09T13:30:00Z')),
      kind: 'appointment',
    });
    await ctx.db.Appointment.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: consultation.id,
      clientId: client.id,
      requestId: null,
      startsAt: new Date('2026-03-09T13:00:00Z'),
      endsAt: new Date('2026-03-09T13:30:00Z'),
      cancellationPolicy: '24h',
      holdId: hold.id,
    });
    const res = await availability({ ...base(), from: '2026-03-09T00:00:00Z', to: '2026-03-10T00:00:00Z' });
    const starts = res.body.slots.map((s: { startsAt: string }) => s.startsAt);
    expect(starts).to.not.include('2026-03-09T13:00:00.000Z');
    expect(starts).to.not.include('2026-03-09T13:30:00.000Z');
    expect(starts).to.include('2026-03-09T14:00:00.000Z');
    // As the client of that appointment, signed in (a new client would first have to verify an address).
    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
    const refused = await ctx.http.post(
      `/portal/${practice.slug}/requests`,
      { ...base(), startsAt: '2026-03-09T13:30:00.000Z' },
      { token },
    );
    expect([refused.status, refused.body.code]).to.deep.equal([409, 'SLOT_UNAVAILABLE']);
  });

  it('a new client may ask only for the initial consultation; refuses bad ranges, zones and unknown ids', async () => {
    const week = { from: '2026-03-09T00:00:00Z', to: '2026-03-16T00:00:00Z' };
    const wrongService = await availability({ ...base(), serviceId: therapy.id, ...week });
    expect([wrongService.status, wrongService.body.code]).to.deep.equal([400, 'SERVICE_NOT_OFFERED']);
    const tooLong = await availability({
      ...base(),
      from: '2026-03-09T00:00:00Z',
      to: '2026-05-11T00:00:00Z',
    });
    expect([tooLong.status, tooLong.body.field]).to.deep.equal([400, 'to']);
    const backwards = await availability({ ...base(), from: week.to, to: week.from });
    expect([backwards.status, backwards.body.field]).to.deep.equal([400, 'to']);
    const badZone = await availability({ ...base(), ...week, timeZone: 'Atlantis/Capital' });
    expect([badZone.status, badZone.body.field]).to.deep.equal([400, 'timeZone']);
    const badDate = await availability({ ...base(), from: 'next week', to: week.to });
    expect([badDate.status, badDate.body.field]).to.deep.equal([400, 'from']);
    expect((await availability({ ...base(), clinicianId: randomUUID(), ...week })).status).to.equal(404);
    expect((await availability({ ...base(), serviceId: randomUUID(), ...week })).status).to.equal(404);
    await practice.update({ allowNewClients: false });
    const closed = await availability({ ...base(), ...week });
    expect([closed.status, closed.body.code]).to.deep.equal([403, 'NEW_CLIENTS_NOT_ACCEPTED']);
    await practice.update({ portalEnabled: false });
    expect((await availability({ ...base(), ...week })).status).to.equal(404);
  });

  it('a 62-day range is accepted', async () => {
    const res = await availability({ ...base(), from: '2026-03-09T00:00:00Z', to: '2026-05-10T00:00:00Z' });
    expect(res.status).to.equal(200);
    expect(res.body.slots.length).to.be.greaterThan(100);
  });
});
