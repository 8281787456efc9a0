import { expect } from 'chai';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { cancelAppointment } from '../../booking/cancelAppointment';
import { BookingError } from '../../booking/errors';
import {
  aClient,
  aClinician,
  aPractice,
  aService,
  aStaffUser,
  anAppointment,
  fixturePassword,
} from '../fixtures';

const SLOT = new Date('2026-06-10T14:00:00.000Z');

describe('staff profiles: name, time zone, phone, bio and photo', () => {
  const ctx = useApi();

  it('lets a clinician read and change their own profile, audited with before and after', async () => {
    const practice = await aPractice(ctx.db);
    const me = await aStaffUser(ctx.db, practice, { firstName: 'Dana', lastName: 'Lee' });
    const token = await ctx.http.signIn(me.email, fixturePassword);
    const read = await ctx.http.get(`/api/staff/${me.id}/profile`, { token });
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.include({ firstName: 'Dana', phone: null, bio: null, photoUrl: null });
    expect(read.body).to.not.have.property('passwordHash');

    const changed = await ctx.http.patch(
      `/api/staff/${me.id}/profile`,
      {
        firstName: ' Danielle ',
        timeZone: 'America/Chicago',
        phone: '+1 555 0123',
        bio: 'Couples and family therapy.\nEvenings on Tuesdays.',
        photoUrl: 'https://images.example.com/dana.jpg',
      },
      { token },
    );
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    expect(changed.body).to.deep.include({
      firstName: 'Danielle',
      lastName: 'Lee',
      timeZone: 'America/Chicago',
      phone: '+1 555 0123',
      photoUrl: 'https://images.example.com/dana.jpg',
    });
    const [entry] = await ctx.db.AuditEntry.findAll({ where: { action: 'staff.profile.update' } });
    expect(entry).to.include({ actorId: me.id, entityId: me.id, practiceId: practice.id });
    expect(entry.oldValue).to.deep.equal({
      firstName: 'Dana',
      timeZone: null,
      phone: null,
      bio: null,
      photoUrl: null,
    });
    expect(entry.newValue).to.include({ firstName: 'Danielle', phone: '+1 555 0123' });

    // Clearing the phone (an empty box) goes back to the practice's number; an unchanged profile writes nothing.
    expect(
      (await ctx.http.patch(`/api/staff/${me.id}/profile`, { phone: '' }, { token })).body.phone,
    ).to.equal(null);
    const count = await ctx.db.AuditEntry.count();
    expect(
      (await ctx.http.patch(`/api/staff/${me.id}/profile`, { lastName: 'Lee' }, { token })).status,
    ).to.equal(200);
    expect(await ctx.db.AuditEntry.count()).to.equal(count);
  });

  it("lets admins change a colleague's profile; a clinician gets 403, another practice 404", async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const colleague = await aStaffUser(ctx.db, practice);
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const outsider = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const adminToken = await ctx.http.signIn(admin.email, fixturePassword);
    const byAdmin = await ctx.http.patch(
      `/api/staff/${clinician.id}/profile`,
      { bio: 'Set by the admin.' },
      {
        token: adminToken,
      },
    );
    expect(byAdmin.status).to.equal(200);
    const [entry] = await ctx.db.AuditEntry.findAll({ where: { action: 'staff.profile.update' } });
    expect(entry).to.include({ actorId: admin.id, entityId: clinician.id });

    const colleagueToken = await ctx.http.signIn(colleague.email, fixturePassword);
    const refused = await ctx.http.patch(
      `/api/staff/${clinician.id}/profile`,
      { bio: 'Mine now.' },
      {
        token: colleagueToken,
      },
    );
    expect(refused.status).to.equal(403);
    const outsiderToken = await ctx.http.signIn(outsider.email, fixturePassword);
    expect(
      (await ctx.http.get(`/api/staff/${clinician.id}/profile`, { token: outsiderToken })).status,
    ).to.equal(404);
    await clinician.reload();
    expect(clinician.bio).to.equal('Set by the admin.');
  });

  it('refuses a photo that is not https, an unknown time zone and a bad phone with 400 naming the field, writing nothing', async () => {
    const practice = await aPractice(ctx.db);
    const me = await aStaffUser(ctx.db, practice);
    const token = await ctx.http.signIn(me.email, fixturePassword);
    const cases: [object, string][] = [
      [{ photoUrl: 'http://images.example.com/me.jpg' }, '/photoUrl'],
      [{ photoUrl: 'javascript:alert(1)' }, '/photoUrl'],
      [{ photoUrl: 'data:image/png;base64,AAAA' }, '/photoUrl'],
      [{ photoUrl: 'images/me.jpg' }, '/photoUrl'],
      [{ timeZone: 'Mars/Olympus_Mons' }, '/timeZone'],
      [{ phone: 'call me maybe' }, '/phone'],
      [{ firstName: '   ' }, '/firstName'],
      [{ bio: 'x'.repeat(1001) }, '/bio'],
      [{ role: 'admin_clinician' }, '/role'],
    ];
    for (const [body, field] of cases) {
      const res = await ctx.http.patch(
        `/api/staff/${me.id}/profile`,
        { ...body, lastName: 'Changed' },
        { token },
      );
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.field, JSON.stringify(body)).to.equal(field);
    }
    await me.reload();
    expect(me.lastName).to.not.equal('Changed');
    expect(await ctx.db.AuditEntry.count()).to.equal(0);
  });

  it("shows the bio and photo on the portal's clinician list", async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aClinician(ctx.db, practice);
    await clinician.update({ bio: 'Anxiety and grief.', photoUrl: 'https://images.example.com/c.jpg' });
    const res = await ctx.http.get(`/portal/${practice.slug}/clinicians`);
    expect(res.status).to.equal(200);
    const listed = res.body.find((c: { id: string }) => c.id === clinician.id);
    expect(listed).to.include({ bio: 'Anxiety and grief.', photoUrl: 'https://images.example.com/c.jpg' });
  });

  it("tells a client who may cancel only by phone to call their clinician's number when set, else the practice's", async () => {
    const practice = await aPractice(ctx.db, { phone: '+1 555 0199' });
    const withPhone = await aClinician(ctx.db, practice);
    await withPhone.update({ phone: '+1 555 0142' });
    const withoutPhone = await aClinician(ctx.db, practice);
    const service = await aService(ctx.db, practice);
    const client = await aClient(ctx.db, practice);
    const book = (clinician: typeof withPhone, startsAt: Date) =>
      anAppointment(ctx.db, {
        practice,
        clinician,
        client,
        service,
        startsAt,
        cancellationPolicy: 'phone_call',
      });
    const theirs = await book(withPhone, SLOT);
    const practices = await book(withoutPhone, new Date(SLOT.getTime() + 86_400_000));
    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );

    const list = await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token });
    const phoneOf = (id: string) =>
      list.body.upcoming.find((a: { id: string }) => a.id === id).practicePhone as string | null;
    expect(phoneOf(theirs.id)).to.equal('+1 555 0142');
    expect(phoneOf(practices.id)).to.equal('+1 555 0199');

    const refused = await ctx.http.post(
      `/portal/${practice.slug}/me/appointments/${theirs.id}/cancel`,
      {},
      { token },
    );
    expect(refused.status).to.equal(409);
    expect(refused.body).to.include({ code: 'CANCEL_BY_PHONE_ONLY', phone: '+1 555 0142' });
    expect(refused.body.detail).to.include('+1 555 0142');

    // The cancelation step (run by the worker) says the same as the API's precheck.
    const step = await cancelAppointment(ctx.db, {
      appointmentId: theirs.id,
      by: 'client',
      requestedAt: ctx.clock.now(),
      now: ctx.clock.now(),
    }).catch((err: unknown) => err);
    expect(step).to.be.instanceOf(BookingError);
    expect((step as BookingError).extra).to.deep.equal({ phone: '+1 555 0142' });
  });
});
