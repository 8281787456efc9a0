import { expect } from 'chai';
import { useApi } from './context';
import { aClient, aPractice, aService, aStaffUser, anAppointment, fixturePassword } from '../fixtures';
import type { Practice, StaffUser, Store } from '../../models';

const HOUR = 3_600_000;

/** A pending request for the clinician, as a submission leaves it (hold and row). */
async function aPendingRequest(db: Store, practice: Practice, clinician: StaffUser, startsAt: Date) {
  const service = await aService(db, practice);
  const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
  const hold = await db.TimeHold.create({
    clinicianId: clinician.id,
    during: db.TimeHold.range(startsAt, endsAt),
    kind: 'request',
  });
  return db.AppointmentRequest.create({
    practiceId: practice.id,
    clinicianId: clinician.id,
    serviceId: service.id,
    clientId: (await aClient(db, practice)).id,
    newClient: null,
    possibleDuplicateClientId: null,
    message: null,
    clientTimeZone: null,
    startsAt,
    endsAt,
    holdId: hold.id,
    idempotencyKey: null,
  });
}

describe('staff list, role changes and deactivation', () => {
  const ctx = useApi();

  async function practiceWithAdmin() {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, {
      role: 'admin_clinician',
      firstName: 'Maya',
      lastName: 'Chen',
    });
    return { practice, admin, token: await ctx.http.signIn(admin.email, fixturePassword) };
  }

  it('every staff member sees the practice staff with role and active, never another practice', async () => {
    const { practice, admin } = await practiceWithAdmin();
    const clinician = await aStaffUser(ctx.db, practice, { role: 'clinician' });
    await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'clinician' });
    const res = await ctx.http.get('/api/staff', {
      token: await ctx.http.signIn(clinician.email, fixturePassword),
    });
    expect(res.status).to.equal(200);
    expect(res.body.map((s: { id: string }) => s.id).sort()).to.deep.equal([admin.id, clinician.id].sort());
    expect(res.body.find((s: { id: string }) => s.id === admin.id)).to.deep.equal({
      id: admin.id,
      email: admin.email,
      firstName: 'Maya',
      lastName: 'Chen',
      role: 'admin_clinician',
      active: true,
    });
  });

  it('the last active admin clinician can never be demoted or deactivated (409); with a second admin they can', async () => {
    const { practice, admin, token } = await practiceWithAdmin();
    const demote = await ctx.http.patch(`/api/staff/${admin.id}`, { role: 'clinician' }, { token });
    expect(demote.status).to.equal(409);
    expect(demote.body.code).to.equal('LAST_ADMIN_CLINICIAN');
    expect(demote.body.detail).to.equal(
      "Maya Chen is the practice's only active admin clinician. Make someone else an admin clinician first.",
    );
    const off = await ctx.http.patch(`/api/staff/${admin.id}`, { active: false }, { token });
    expect(off.status).to.equal(409);
    // An inactive admin clinician does not count.
    const dormant = await aStaffUser(ctx.db, practice, { role: 'admin_clinician', active: false });
    expect(
      (await ctx.http.patch(`/api/staff/${admin.id}`, { role: 'clinician' }, { token })).status,
    ).to.equal(409);
    expect((await ctx.http.patch(`/api/staff/${dormant.id}`, { active: true }, { token })).status).to.equal(
      200,
    );
    const now = await ctx.http.patch(`/api/staff/${admin.id}`, { role: 'clinician' }, { token });
    expect(now.status).to.equal(200);
    expect(now.body.role).to.equal('clinician');
    await admin.reload();
    expect(admin.role).to.equal('clinician');
  });

  it('a clinician with pending requests or future appointments cannot be deactivated: 409 with the counts', async () => {
    const { practice, token } = await practiceWithAdmin();
    const clinician = await aStaffUser(ctx.db, practice, {
      role: 'clinician',
      firstName: 'Sam',
      lastName: 'Lee',
    });
    const soon = new Date(ctx.clock.now().getTime() + 48 * HOUR);
    await aPendingRequest(ctx.db, practice, clinician, soon);
    const service = await aService(ctx.db, practice);
    const client = await aClient(ctx.db, practice);
    await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date(soon.getTime() + 24 * HOUR),
    });
    await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date(soon.getTime() + 48 * HOUR),
    });
    // A past appointment is history, not a reason to refuse.
    await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date(ctx.clock.now().getTime() - 72 * HOUR),
    });
    const res = await ctx.http.patch(`/api/staff/${clinician.id}`, { active: false }, { token });
    expect(res.status).to.equal(409);
    expect(res.body).to.include({
      code: 'CLINICIAN_HAS_BOOKINGS',
      pendingRequests: 1,
      futureAppointments: 2,
    });
    expect(res.body.detail).to.equal(
      'Sam Lee still has 1 pending request and 2 future appointments. To deactivate them, first approve or decline the requests and move or cancel the appointments.',
    );
    await clinician.reload();
    expect(clinician.active).to.equal(true);
    expect(await ctx.db.AuditEntry.count({ where: { action: 'staff.update' } })).to.equal(0);
  });

  it('deactivating ends every session at once and refuses sign-in; reactivating lets them in again; both audited', async () => {
    const { practice, admin, token } = await practiceWithAdmin();
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const first = await ctx.http.signIn(manager.email, fixturePassword);
    const second = await ctx.http.signIn(manager.email, fixturePassword);
    const res = await ctx.http.patch(`/api/staff/${manager.id}`, { active: false }, { token });
    expect(res.status).to.equal(200);
    expect(res.body.active).to.equal(false);
    for (const t of [first, second])
      expect((await ctx.http.get('/api/auth/me', { token: t })).status).to.equal(401);
    const refused = await ctx.http.post('/api/auth/login', {
      email: manager.email,
      password: fixturePassword,
    });
    expect(refused.status).to.equal(401);
    expect(refused.body.detail).to.equal('Wrong email or password.');
    expect((await ctx.http.patch(`/api/staff/${manager.id}`, { active: true }, { token })).status).to.equal(
      200,
    );
    expect(await ctx.http.signIn(manager.email, fixturePassword)).to.be.a('string');
    const entries = await ctx.db.AuditEntry.findAll({
      where: { action: 'staff.update', entityId: manager.id },
      order: [['id', 'ASC']],
    });
    expect(entries.map((e) => [e.actorId, e.oldValue, e.newValue])).to.deep.equal([
      [admin.id, { active: true }, { active: false }],
      [admin.id, { active: false }, { active: true }],
    ]);
  });

  it('clinicians may not change anyone (403); another practice is 404; an empty or bad body is 400', async () => {
    const { practice, admin, token } = await practiceWithAdmin();
    const clinician = await aStaffUser(ctx.db, practice);
    const clinicianToken = await ctx.http.signIn(clinician.email, fixturePassword);
    expect(
      (
        await ctx.http.patch(
          `/api/staff/${clinician.id}`,
          { role: 'admin_clinician' },
          { token: clinicianToken },
        )
      ).status,
    ).to.equal(403);
    const stranger = await aStaffUser(ctx.db, await aPractice(ctx.db));
    expect((await ctx.http.patch(`/api/staff/${stranger.id}`, { active: false }, { token })).status).to.equal(
      404,
    );
    expect((await ctx.http.patch(`/api/staff/${admin.id}`, {}, { token })).status).to.equal(400);
    const bad = await ctx.http.patch(`/api/staff/${clinician.id}`, { role: 'owner' }, { token });
    expect(bad.body.field).to.equal('/role');
    await stranger.reload();
    expect(stranger.active).to.equal(true);
  });
});
