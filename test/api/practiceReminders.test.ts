import { expect } from 'chai';
import { useMailedApi } from './context';
import { aClient, aClinician, aPractice, aService, aStaffUser, fixturePassword } from '../fixtures';
import { startRequestWorkflow } from '../../temporal/requests';
import { appointmentWorkflowId } from '../../temporal/appointments';
import { practiceIdKey } from '../../temporal/searchAttributes';
import type { Practice, Service, StaffUser } from '../../models';

// The clock is Monday 1 June 2026, 12:00 UTC; Wednesday 10 June, 10:00 in New York is inside the fixture's hours.
const SLOT = new Date('2026-06-10T14:00:00.000Z');

describe('reminder settings and the reminders of booked appointments (API, worker, PostgreSQL, Temporal)', function () {
  this.timeout(120_000);
  const mailed = useMailedApi();
  const { ctx } = mailed;

  let practice: Practice;
  let clinician: StaffUser;
  let manager: StaffUser;
  let service: Service;
  beforeEach(async () => {
    practice = await aPractice(ctx.db);
    clinician = await aClinician(ctx.db, practice);
    manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
  });
  const tokenOf = (who: StaffUser) => ctx.http.signIn(who.email, fixturePassword);
  const put = async (body: unknown, who: StaffUser = manager) =>
    ctx.http.request('PUT', '/api/practice/reminders', { token: await tokenOf(who), body });
  const audits = () =>
    ctx.db.AuditEntry.findAll({ where: { practiceId: practice.id, action: 'practice.reminders.update' } });

  it('a new practice reminds 48 and 2 hours ahead; a manager changes it, audited; a clinician reads it', async () => {
    const before = await ctx.http.get('/api/practice/reminders', { token: await tokenOf(clinician) });
    expect(before.status).to.equal(200);
    expect(before.body).to.deep.equal({ enabled: true, offsetsHours: [48, 2] });
    const res = await put({ enabled: true, offsetsHours: [3, 72, 24] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({ enabled: true, offsetsHours: [72, 24, 3] });
    const [entry] = await audits();
    expect(entry).to.deep.include({ actorId: manager.id, entity: 'practice', entityId: practice.id });
    expect(entry.oldValue).to.deep.equal({ offsetsHours: [48, 2] });
    expect(entry.newValue).to.deep.equal({ offsetsHours: [72, 24, 3] });
    const off = await put({ enabled: false, offsetsHours: [72, 24, 3] });
    expect(off.body).to.deep.equal({ enabled: false, offsetsHours: [72, 24, 3] });
    expect(await audits()).to.have.length(2);
    const after = await ctx.http.get('/api/practice/reminders', { token: await tokenOf(clinician) });
    expect(after.body).to.deep.equal({ enabled: false, offsetsHours: [72, 24, 3] });
  });

  it('refuses bad offsets with 400 naming the entry, and writes nothing; a clinician may not change them', async () => {
    const cases: [unknown, string][] = [
      [{ enabled: true, offsetsHours: [48, 400] }, '/offsetsHours/1'],
      [{ enabled: true, offsetsHours: [0] }, '/offsetsHours/0'],
      [{ enabled: true, offsetsHours: [2, 2] }, '/offsetsHours/1'],
      [{ enabled: true, offsetsHours: [1.5] }, '/offsetsHours/0'],
      [{ enabled: true, offsetsHours: [1, 2, 3, 4] }, '/offsetsHours'],
      [{ enabled: 'yes', offsetsHours: [2] }, '/enabled'],
      [{ enabled: true }, '/offsetsHours'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.headers.get('content-type')).to.match(/problem\+json/);
      expect(res.body.field, JSON.stringify(body)).to.equal(field);
    }
    expect((await put({ enabled: false, offsetsHours: [24] }, clinician)).status).to.equal(403);
    await practice.reload();
    expect([practice.remindersEnabled, practice.reminderOffsetsHours]).to.deep.equal([true, [48, 2]]);
    expect(await audits()).to.have.length(0);
  });

  /** The appointment's reminder workflow, once it has read the appointment (and tagged itself with its practice). */
  async function remindersOf(appointmentId: string) {
    const handle = ctx.stack.temporal.workflow.getHandle(appointmentWorkflowId(appointmentId));
    for (let i = 0; i < 100; i++) {
      const description = await handle.describe().catch(() => null);
      if (description?.typedSearchAttributes.get(practiceIdKey)) return description;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no reminder workflow for appointment ${appointmentId}`);
  }

  it('a staff booking starts the appointment workflow with the booking', async () => {
    const client = await aClient(ctx.db, practice);
    const res = await ctx.http.post(
      '/api/appointments',
      { clinicianId: clinician.id, clientId: client.id, serviceId: service.id, startsAt: SLOT.toISOString() },
      { token: await tokenOf(manager) },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const description = await remindersOf(res.body.id);
    expect(description.type).to.equal('appointmentWorkflow');
    expect(description.typedSearchAttributes.get(practiceIdKey)).to.equal(practice.id);
  });

  it("approving a request starts the booked appointment's workflow", async () => {
    const client = await aClient(ctx.db, practice);
    const endsAt = new Date(SLOT.getTime() + 50 * 60_000);
    const hold = await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(SLOT, endsAt),
      kind: 'request',
    });
    const request = await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: client.id,
      newClient: null,
      possibleDuplicateClientId: null,
      message: null,
      clientTimeZone: null,
      startsAt: SLOT,
      endsAt,
      holdId: hold.id,
      idempotencyKey: null,
      createdAt: ctx.clock.now(),
    });
    await startRequestWorkflow(ctx.stack.temporal, ctx.stack.config.taskQueue, {
      requestId: request.id,
      practiceId: practice.id,
      clinicianId: clinician.id,
      startsAt: SLOT.toISOString(),
      requestedAt: request.createdAt.toISOString(),
      lifetimeHours: practice.requestLifetimeHours,
    });
    const res = await ctx.http.post(`/api/appointment-requests/${request.id}/approve`, undefined, {
      token: await tokenOf(clinician),
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const description = await remindersOf(res.body.appointment.id);
    expect(description.type).to.equal('appointmentWorkflow');
    expect(description.typedSearchAttributes.get(practiceIdKey)).to.equal(practice.id);
  });
});
