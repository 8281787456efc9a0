import { expect } from 'chai';
import { useApi } from './context';
import { aPractice, aStaffUser, aClinician, fixturePassword } from '../fixtures';

describe('client portal settings', () => {
  const ctx = useApi();

  it('shows the settings with the portal link that Copy Link copies', async () => {
    const practice = await aPractice(ctx.db, { slug: 'harbor-therapy', cancellationPolicy: '48h' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const token = await ctx.http.signIn(manager.email, fixturePassword);
    const res = await ctx.http.get('/api/practice/client-portal', { token });
    expect(res.body).to.deep.equal({
      enabled: true,
      slug: 'harbor-therapy',
      portalUrl: 'http://portal.test/portal/harbor-therapy',
      allowNewClients: true,
      cancellationPolicy: '48h',
    });
  });

  it('turning the portal off makes every portal address answer 404 as if the practice did not exist', async () => {
    const practice = await aPractice(ctx.db, { slug: 'harbor-therapy' });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    expect((await ctx.http.get('/portal/harbor-therapy')).status).to.equal(200);
    expect(
      (await ctx.http.patch('/api/practice/client-portal', { enabled: false }, { token })).status,
    ).to.equal(200);
    const off = await ctx.http.get('/portal/harbor-therapy');
    const missing = await ctx.http.get('/portal/no-such-practice');
    expect(off.status).to.equal(404);
    expect(off.body).to.deep.equal(missing.body);
    await ctx.http.patch('/api/practice/client-portal', { enabled: true }, { token });
    expect((await ctx.http.get('/portal/harbor-therapy')).status).to.equal(200);
  });

  it('a new web address is case-folded, works at once, and the old one stops working', async () => {
    const practice = await aPractice(ctx.db, { slug: 'harbor-therapy' });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const res = await ctx.http.patch('/api/practice/client-portal', { slug: 'Harbor-Counseling' }, { token });
    expect(res.status).to.equal(200);
    expect(res.body.slug).to.equal('harbor-counseling');
    expect(res.body.portalUrl).to.equal('http://portal.test/portal/harbor-counseling');
    expect((await ctx.http.get('/portal/harbor-counseling')).body.name).to.equal(practice.name);
    expect((await ctx.http.get('/portal/harbor-therapy')).status).to.equal(404);
  });

  it('toggles new clients and sets the cancelation policy, shown on the portal', async () => {
    const practice = await aPractice(ctx.db, { slug: 'harbor-therapy' });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    await ctx.http.patch(
      '/api/practice/client-portal',
      { allowNewClients: false, cancellationPolicy: 'phone_call' },
      { token },
    );
    const portal = await ctx.http.get('/portal/harbor-therapy');
    expect(portal.body).to.include({ allowNewClients: false, cancellationPolicy: 'phone_call' });
  });

  it('writes an audit entry per change: who, when, old value, new value; none for a no-op', async () => {
    const practice = await aPractice(ctx.db, { slug: 'harbor-therapy', cancellationPolicy: '24h' });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    await ctx.http.patch(
      '/api/practice/client-portal',
      { cancellationPolicy: '72h', slug: 'harbor-two' },
      { token },
    );
    await ctx.http.patch('/api/practice/client-portal', { cancellationPolicy: '72h' }, { token });
    const entries = await ctx.db.AuditEntry.findAll({
      where: { practiceId: practice.id, action: 'practice.client_portal.update' },
    });
    expect(entries).to.have.length(1);
    expect(entries[0].actorId).to.equal(admin.id);
    expect(entries[0].actorType).to.equal('staff');
    expect(entries[0].createdAt).to.be.instanceOf(Date);
    expect(entries[0].oldValue).to.deep.equal({ cancellationPolicy: '24h', slug: 'harbor-therapy' });
    expect(entries[0].newValue).to.deep.equal({ cancellationPolicy: '72h', slug: 'harbor-two' });
  });

  it('audits services, preferences, rules and time off with old and new values', async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const clinician = await aClinician(ctx.db, practice, { rules: [] });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const service = await ctx.http.post('/api/services', { name: 'Intake', durationMinutes: 30 }, { token });
    await ctx.http.patch(`/api/services/${service.body.id}`, { durationMinutes: 45 }, { token });
    await ctx.http.put(
      `/api/clinicians/${clinician.id}/booking-preferences`,
      {
        initialConsultationServiceId: service.body.id,
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 48,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 15,
      },
      { token },
    );
    const rule = await ctx.http.post(
      `/api/clinicians/${clinician.id}/availability-rules`,
      { rrule: 'FREQ=WEEKLY;BYDAY=TU', startDate: '2026-06-02', startTime: '09:00', endTime: '12:00' },
      { token },
    );
    await ctx.http.delete(`/api/clinicians/${clinician.id}/availability-rules/${rule.body.id}`, { token });
    const entries = await ctx.db.AuditEntry.findAll({
      where: { practiceId: practice.id },
      order: [['id', 'ASC']],
    });
    expect(entries.map((e) => e.action)).to.deep.equal([
      'service.create',
      'service.update',
      'booking_preferences.update',
      'availability_rule.create',
      'availability_rule.delete',
    ]);
    expect(entries[1].oldValue).to.deep.equal({ durationMinutes: 30 });
    expect(entries[1].newValue).to.deep.equal({ durationMinutes: 45 });
    expect(entries[2].newValue).to.include({
      minimumNoticeHours: 48,
      bufferAfterMinutes: 15,
      initialConsultationServiceId: service.body.id,
    });
    expect(entries[4].oldValue).to.include({ rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: practice.timeZone });
    expect(entries.every((e) => e.actorId === admin.id)).to.equal(true);
  });
});

describe('booking preferences and availability', () => {
  const ctx = useApi();

  it('gives a new clinician the documented defaults', async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    const res = await ctx.http.get(`/api/clinicians/${clinician.id}/booking-preferences`, { token });
    expect(res.body).to.deep.equal({
      onlineBookingEnabled: true,
      initialConsultationServiceId: null,
      startTimeIntervalMinutes: 15,
      minimumNoticeHours: 24,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
    });
  });

  it('stores the three example rules and summarises them for people', async () => {
    const practice = await aPractice(ctx.db, { timeZone: 'America/Chicago' });
    const clinician = await aStaffUser(ctx.db, practice, { timeZone: 'America/Denver' });
    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    const path = `/api/clinicians/${clinician.id}/availability-rules`;
    const weekdays = await ctx.http.post(
      path,
      {
        rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
        startDate: '2026-06-01',
        startTime: '09:00',
        endTime: '17:00',
      },
      { token },
    );
    const biweekly = await ctx.http.post(
      path,
      {
        rrule: 'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
        startDate: '2026-06-01',
        startTime: '13:00',
        endTime: '19:00',
        timeZone: 'Europe/London',
      },
      { token },
    );
    const monthly = await ctx.http.post(
      path,
      {
        rrule: 'FREQ=MONTHLY;BYDAY=1SA',
        startDate: '2026-06-01',
        until: '2026-12-31',
        startTime: '10:00',
        endTime: '14:00',
      },
      { token },
    );
    for (const res of [weekdays, biweekly, monthly])
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(weekdays.body.timeZone, "defaults to the clinician's zone").to.equal('America/Denver');
    expect(biweekly.body.rrule).to.equal('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE');
    const list = await ctx.http.get(path, { token });
    expect(list.body.map((r: { summary: string }) => r.summary)).to.deep.equal([
      weekdays.body.summary,
      biweekly.body.summary,
      monthly.body.summary,
    ]);
    expect(biweekly.body.summary).to.match(/every 2 weeks on Monday, Wednesday/i);
    expect(biweekly.body.summary).to.match(/1:00\s?PM\s?[-–]\s?7:00\s?PM/);
    expect(weekdays.body.summary).to.match(/9:00\s?AM\s?[-–]\s?5:00\s?PM/);
    expect(monthly.body.summary).to.match(/1st Saturday/i);
  });

  it('replaces and removes time off within a range', async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const token = await ctx.http.signIn(clinician.email, fixturePassword);
    const path = `/api/clinicians/${clinician.id}/time-off`;
    const vacation = await ctx.http.post(
      path,
      { startsAt: '2026-07-01T00:00:00-04:00', endsAt: '2026-07-08T00:00:00-04:00', reason: 'Vacation' },
      { token },
    );
    await ctx.http.post(
      path,
      { startsAt: '2026-09-01T12:00:00Z', endsAt: '2026-09-01T16:00:00Z' },
      { token },
    );
    expect(vacation.body).to.include({
      startsAt: '2026-07-01T04:00:00.000Z',
      endsAt: '2026-07-08T04:00:00.000Z',
      reason: 'Vacation',
    });
    const july = await ctx.http.get(`${path}?from=2026-07-01T00:00:00Z&to=2026-08-01T00:00:00Z`, { token });
    expect(july.body.map((t: { id: string }) => t.id)).to.deep.equal([vacation.body.id]);
    expect((await ctx.http.delete(`${path}/${vacation.body.id}`, { token })).status).to.equal(204);
    expect((await ctx.http.get(path, { token })).body).to.have.length(1);
    expect((await ctx.http.get(path, { token })).body[0], 'no reason comes back as null').to.include({
      reason: null,
    });
    const backwards = await ctx.http.get(`${path}?from=2026-08-01T00:00:00Z&to=2026-07-01T00:00:00Z`, {
      token,
    });
    expect(backwards.status).to.equal(400);
    expect(backwards.body.field).to.equal('to');
  });
});

describe('OpenAPI', () => {
  const ctx = useApi();

  it('publishes every route with its schemas, and interactive docs', async () => {
    const doc = await ctx.http.get('/openapi.json');
    expect(doc.body.openapi).to.equal('3.1.0');
    expect(
      doc.body.paths['/api/clinicians/{id}/availability-rules'].post.requestBody.content['application/json']
        .schema.required,
    ).to.include('rrule');
    expect(
      doc.body.paths['/api/practice/client-portal'].patch.requestBody.content['application/json'].schema
        .properties.cancellationPolicy.enum,
    ).to.deep.equal(['phone_call', '24h', '48h', '72h']);
    expect(doc.body.paths['/api/auth/login'].post.security).to.deep.equal([]);
    const docs = await ctx.http.get('/docs');
    expect(docs.status).to.equal(200);
    expect(docs.body).to.include('swagger-ui-bundle.js');
    expect((await ctx.http.get('/docs/assets/swagger-ui-bundle.js')).status).to.equal(200);
  });
});
