import { expect } from 'chai';
import ICAL from 'ical.js';
import { useApi } from './context';
import {
  aClient,
  aClinician,
  aPractice,
  aService,
  aStaffUser,
  anAppointment,
  fixturePassword,
} from '../fixtures';
import type { Practice, Service, StaffUser } from '../../models';
import type { TestResponse } from '../support/http';

// The clock is Monday 1 June 2026, 12:00 UTC: the feed shows 6 April (8 weeks back) to 1 December 2026.
const SLOT = new Date('2026-06-10T14:00:00.000Z');
const PRACTICE = 'Harbor Counseling, Family & Couples Therapy Associates of Greater Malmö';
const hours = (h: number) => h * 3_600_000;
const feedPath = (url: string) => new URL(url).pathname;

// ical.js knows RFC 5545's properties only; calendar apps read these two as TEXT (escaped commas and all).
for (const name of ['x-wr-calname', 'x-wr-timezone'])
  ICAL.design.icalendar.property[name] = { defaultType: 'text' };

describe('calendar feed: a private iCalendar subscription per clinician', () => {
  const ctx = useApi();

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let token: string;
  beforeEach(async () => {
    // Long, with a comma and non-ASCII letters: the name line has to be escaped and folded.
    practice = await aPractice(ctx.db, { name: PRACTICE });
    clinician = await aClinician(ctx.db, practice);
    await clinician.update({ firstName: 'Dana', lastName: 'Lee' });
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    token = await ctx.http.signIn(clinician.email, fixturePassword);
  });

  const turnOn = async (as = token, id = clinician.id): Promise<TestResponse> =>
    ctx.http.post(`/api/clinicians/${id}/calendar-feed`, undefined, { token: as });
  const read = (url: string) => ctx.http.get(feedPath(url));

  it('lists scheduled appointments (and pending requests, tentative) in the window by initials and service, with the invite UID and UTC times', async () => {
    const rosa = await aClient(ctx.db, practice, {
      firstName: 'Rosa',
      lastName: 'Rivera',
      email: 'rosa.rivera@example.test',
      phone: '+1 555 0177',
    });
    const otto = await aClient(ctx.db, practice, {
      firstName: 'otto',
      lastName: 'Østergaard',
      email: 'otto@example.test',
      phone: '+1 555 0188',
    });
    const first = await anAppointment(ctx.db, { practice, clinician, client: rosa, service, startsAt: SLOT });
    const second = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: otto,
      service,
      startsAt: new Date(SLOT.getTime() + hours(24 * 30)),
    });
    const lastMonth = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: rosa,
      service,
      startsAt: new Date('2026-05-04T13:00:00Z'),
    });
    // Outside the window: too old, too far ahead.
    for (const startsAt of [new Date('2026-03-02T14:00:00Z'), new Date('2027-01-04T14:00:00Z')])
      await anAppointment(ctx.db, { practice, clinician, client: rosa, service, startsAt });
    // Canceled: left out, reason and all.
    await ctx.db.Appointment.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: otto.id,
      requestId: null,
      startsAt: new Date(SLOT.getTime() + hours(2)),
      endsAt: new Date(SLOT.getTime() + hours(3)),
      status: 'canceled',
      cancellationPolicy: '24h',
      holdId: null,
      canceledAt: new Date('2026-06-01T10:00:00Z'),
      canceledBy: 'client',
      cancelReason: 'Confidential reason about my divorce',
    });
    // Pending requests are tentative holds, a new client's by the initials they typed; messages stay in the dashboard.
    const hold = await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(new Date(SLOT.getTime() + hours(4)), new Date(SLOT.getTime() + hours(5))),
      kind: 'request',
    });
    const pending = await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: rosa.id,
      newClient: null,
      possibleDuplicateClientId: null,
      message: 'Private message about my panic attacks',
      clientTimeZone: null,
      startsAt: new Date(SLOT.getTime() + hours(4)),
      endsAt: new Date(SLOT.getTime() + hours(5)),
      holdId: hold.id,
      idempotencyKey: null,
    });
    const newHold = await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(
        new Date(SLOT.getTime() + hours(48)),
        new Date(SLOT.getTime() + hours(49)),
      ),
      kind: 'request',
    });
    const newClientRequest = await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: null,
      newClient: {
        firstName: 'Nina',
        lastName: 'Novak',
        email: 'nina.novak@example.test',
        phone: '+1 555 0166',
      },
      possibleDuplicateClientId: null,
      message: 'Referred by Dr. Abernathy',
      clientTimeZone: null,
      startsAt: new Date(SLOT.getTime() + hours(48)),
      endsAt: new Date(SLOT.getTime() + hours(49)),
      holdId: newHold.id,
      idempotencyKey: null,
    });
    // A declined request holds nothing.
    await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: otto.id,
      newClient: null,
      possibleDuplicateClientId: null,
      message: null,
      clientTimeZone: null,
      startsAt: new Date(SLOT.getTime() + hours(6)),
      endsAt: new Date(SLOT.getTime() + hours(7)),
      status: 'declined',
      holdId: null,
      idempotencyKey: null,
    });
    // A colleague's appointment is theirs alone.
    const colleague = await aClinician(ctx.db, practice);
    await anAppointment(ctx.db, { practice, clinician: colleague, client: rosa, service, startsAt: SLOT });

    const created = await turnOn();
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.enabled).to.equal(true);
    expect(created.body.url).to.match(/^http:\/\/[^/]+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(created.body.webcalUrl).to.equal(created.body.url.replace(/^http:/, 'webcal:'));

    const feed = await read(created.body.url);
    expect(feed.status).to.equal(200);
    expect(feed.headers.get('content-type')).to.equal('text/calendar; charset=utf-8');
    expect(feed.headers.get('cache-control')).to.equal('private, no-cache');
    const text = feed.body as string;

    // RFC 5545: CRLF after every line, no physical line over 75 octets.
    expect(text.endsWith('\r\n')).to.equal(true);
    expect(text.replace(/\r\n/g, '')).to.not.match(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line), line).to.be.at.most(75);

    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('version')).to.equal('2.0');
    expect(calendar.getFirstPropertyValue('prodid'))
      .to.be.a('string')
      .and.match(/Practice Booking/);
    expect(calendar.getFirstPropertyValue('calscale')).to.equal('GREGORIAN');
    expect(calendar.getFirstPropertyValue('method')).to.equal('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).to.equal(`Dana Lee · ${PRACTICE}`);
    expect(text).to.include('\r\n ');
    expect(calendar.getFirstPropertyValue('x-wr-timezone')).to.equal('America/New_York');
    expect(String(calendar.getFirstPropertyValue('refresh-interval'))).to.equal('PT1H');
    expect(calendar.getFirstPropertyValue('x-published-ttl')).to.equal('PT1H');

    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid)).to.deep.equal([
      // The UID of the appointment's invite email, so a calendar that has both shows one event.
      `appointment-${lastMonth.id}@practice-booking`,
      `appointment-${first.id}@practice-booking`,
      `request-${pending.id}@practice-booking`,
      `request-${newClientRequest.id}@practice-booking`,
      `appointment-${second.id}@practice-booking`,
    ]);
    expect(events.map((e) => e.summary)).to.deep.equal([
      'R.R. · Individual therapy',
      'R.R. · Individual therapy',
      'Requested: R.R. · Individual therapy',
      'Requested: N.N. · Individual therapy',
      'O.Ø. · Individual therapy',
    ]);
    expect(events.map((e) => e.component.getFirstPropertyValue('status'))).to.deep.equal([
      'CONFIRMED',
      'CONFIRMED',
      'TENTATIVE',
      'TENTATIVE',
      'CONFIRMED',
    ]);
    const [, firstEvent] = events;
    expect(firstEvent.startDate.toJSDate().toISOString()).to.equal(SLOT.toISOString());
    expect(firstEvent.endDate.toJSDate().toISOString()).to.equal(
      new Date(SLOT.getTime() + 50 * 60_000).toISOString(),
    );
    expect(firstEvent.startDate.zone?.tzid).to.equal('UTC');
    expect(firstEvent.component.getFirstPropertyValue('dtstamp')).to.not.equal(null);
    expect(firstEvent.component.getFirstPropertyValue('status')).to.equal('CONFIRMED');
    expect(text).to.include('DTSTART:20260610T140000Z');

    for (const secret of [
      'Rosa',
      'Rivera',
      'otto',
      'Østergaard',
      'rosa.rivera@example.test',
      'otto@example.test',
      '555 0177',
      '555 0188',
      'divorce',
      'panic',
      'Nina',
      'Novak',
      'nina.novak@example.test',
      '555 0166',
      'Abernathy',
      rosa.id,
      otto.id,
    ])
      expect(text, secret).to.not.include(secret);
  });

  it('answers 304 to an unchanged feed (ETag) and an empty calendar when nothing is booked', async () => {
    const { url } = (await turnOn()).body;
    const feed = await read(url);
    const calendar = new ICAL.Component(ICAL.parse(feed.body as string));
    expect(calendar.getAllSubcomponents('vevent')).to.have.length(0);
    const etag = feed.headers.get('etag');
    expect(etag).to.be.a('string');
    // fetch adds "Cache-Control: no-cache" to a conditional request unless told otherwise; calendar apps do not.
    const conditional = { 'if-none-match': etag!, 'cache-control': 'max-age=0' };
    const again = await ctx.http.get(feedPath(url), { headers: conditional });
    expect(again.status).to.equal(304);

    // One statement per answer, however many events: the feed is public and polled, so it must stay cheap.
    let statements = 0;
    const count = () => {
      statements += 1;
    };
    ctx.db.sequelize.addHook('beforeQuery', 'countFeedStatements', count);
    try {
      expect((await read(url)).status).to.equal(200);
    } finally {
      ctx.db.sequelize.removeHook('beforeQuery', 'countFeedStatements');
    }
    expect(statements).to.equal(1);

    await anAppointment(ctx.db, {
      practice,
      clinician,
      client: await aClient(ctx.db, practice),
      service,
      startsAt: SLOT,
    });
    const changed = await ctx.http.get(feedPath(url), { headers: conditional });
    expect(changed.status).to.equal(200);
    expect(changed.body).to.include('BEGIN:VEVENT');
  });

  it('rotating gives a new address and the old one answers 404 at once; the same address is shown again', async () => {
    const old = (await turnOn()).body;
    expect((await read(old.url)).status).to.equal(200);
    const shown = await ctx.http.get(`/api/clinicians/${clinician.id}/calendar-feed`, { token });
    expect(shown.status).to.equal(200);
    expect(shown.body).to.deep.equal(old);

    ctx.clock.advance(60_000);
    const rotated = await turnOn();
    expect(rotated.status).to.equal(201);
    expect(rotated.body.url).to.not.equal(old.url);
    const gone = await read(old.url);
    expect(gone.status).to.equal(404);
    expect(gone.headers.get('content-type')).to.match(/problem\+json/);
    expect((await read(rotated.body.url)).status).to.equal(200);

    const audit = await ctx.db.AuditEntry.findAll({
      where: { entityId: clinician.id },
      order: [['createdAt', 'ASC']],
    });
    expect(audit.map((a) => a.action)).to.deep.equal(['calendar_feed.create', 'calendar_feed.rotate']);
    const tokens = [old.url, rotated.body.url].map((u: string) => u.match(/calendar\/(.+)\.ics$/)![1]);
    for (const entry of audit)
      for (const t of tokens) expect(JSON.stringify([entry.oldValue, entry.newValue])).to.not.include(t);
    // The database holds a hash, never the token.
    const [rows] = await ctx.db.sequelize.query('SELECT * FROM calendar_feeds');
    for (const t of tokens) expect(JSON.stringify(rows)).to.not.include(t);
  });

  it('DELETE turns it off: the address answers 404, the dashboard sees it off, a second DELETE changes nothing', async () => {
    const { url } = (await turnOn()).body;
    const off = await ctx.http.delete(`/api/clinicians/${clinician.id}/calendar-feed`, { token });
    expect(off.status).to.equal(204);
    expect((await read(url)).status).to.equal(404);
    expect(
      (await ctx.http.get(`/api/clinicians/${clinician.id}/calendar-feed`, { token })).body,
    ).to.deep.equal({
      enabled: false,
      url: null,
      webcalUrl: null,
      createdAt: null,
    });
    const count = await ctx.db.AuditEntry.count({ where: { action: 'calendar_feed.delete' } });
    expect(count).to.equal(1);
    expect(
      (await ctx.http.delete(`/api/clinicians/${clinician.id}/calendar-feed`, { token })).status,
    ).to.equal(204);
    expect(await ctx.db.AuditEntry.count({ where: { action: 'calendar_feed.delete' } })).to.equal(1);
  });

  it('stops answering once the clinician is deactivated', async () => {
    const { url } = (await turnOn()).body;
    await clinician.update({ active: false });
    expect((await read(url)).status).to.equal(404);
  });

  it('answers an unknown or malformed token with the same 404, whoever asks', async () => {
    await turnOn();
    const unknown = await ctx.http.get(`/calendar/${'A'.repeat(43)}.ics`);
    const malformed = await ctx.http.get('/calendar/not-a-token.ics');
    expect(unknown.status).to.equal(404);
    expect(malformed.status).to.equal(404);
    expect(unknown.body).to.deep.equal(malformed.body);
  });

  it('lets admins and managers act for a clinician; a colleague gets 403, another practice 404, nothing written', async () => {
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const colleague = await aClinician(ctx.db, practice);
    const outsider = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const byAdmin = await turnOn(await ctx.http.signIn(admin.email, fixturePassword));
    expect(byAdmin.status).to.equal(201);
    const entry = await ctx.db.AuditEntry.findOne({ where: { action: 'calendar_feed.create' } });
    expect(entry).to.include({ actorId: admin.id, entityId: clinician.id, practiceId: practice.id });
    expect((await turnOn(await ctx.http.signIn(manager.email, fixturePassword))).status).to.equal(201);

    const before = await ctx.db.AuditEntry.count();
    const colleagueToken = await ctx.http.signIn(colleague.email, fixturePassword);
    const outsiderToken = await ctx.http.signIn(outsider.email, fixturePassword);
    expect((await turnOn(colleagueToken)).status).to.equal(403);
    expect((await turnOn(outsiderToken)).status).to.equal(404);
    for (const [t, status] of [
      [colleagueToken, 403],
      [outsiderToken, 404],
    ] as const) {
      const path = `/api/clinicians/${clinician.id}/calendar-feed`;
      expect((await ctx.http.get(path, { token: t })).status).to.equal(status);
      expect((await ctx.http.delete(path, { token: t })).status).to.equal(status);
    }
    expect(await ctx.db.AuditEntry.count()).to.equal(before);
    // A manager is no clinician: there is no feed of theirs to turn on.
    expect((await turnOn(token, manager.id)).status).to.equal(404);
  });

  it('refuses a bad clinician id with 400 naming it, nothing written', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await ctx.http.request(method, '/api/clinicians/not-a-uuid/calendar-feed', { token });
      expect(res.status, method).to.equal(400);
      expect(res.body.field).to.match(/\bid$/);
    }
    const [rows] = await ctx.db.sequelize.query('SELECT * FROM calendar_feeds');
    expect(rows).to.have.length(0);
    expect(await ctx.db.AuditEntry.count()).to.equal(0);
  });
});
