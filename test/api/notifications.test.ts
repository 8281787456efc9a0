import { expect } from 'chai';
import { useApi } from './context';
import { approveRequest, closeRequest } from '../../booking/decisions';
import { aClient, aConsultingClinician, anAppointment, aStaffUser, fixturePassword } from '../fixtures';
import type { AppointmentRequest, Client, Practice, Service, StaffUser } from '../../models';

const NOW = new Date('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.UTC(2026, 5, 10, 14) + ms);

describe('the bell names the client and forgets decided requests (API, PostgreSQL)', function () {
  this.timeout(120_000);
  const ctx = useApi({ now: NOW.toISOString() });

  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;
  let client: Client;
  let token: string;
  beforeEach(async () => {
    ({ practice, consultation, clinician } = await aConsultingClinician(ctx.db));
    client = await aClient(ctx.db, practice, { firstName: 'Casey', lastName: 'Quinn' });
    token = await ctx.http.signIn(clinician.email, fixturePassword);
  });

  let slotNo = 0;
  /** A pending request holding its slot, as submission leaves it, and the bell item its arrival rang. */
  async function aRingingRequest(of: Client | 'new'): Promise<AppointmentRequest> {
    slotNo += 1;
    const startsAt = at(slotNo * HOUR);
    const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
    const hold = await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(startsAt, endsAt),
      kind: 'request',
    });
    const request = await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: consultation.id,
      clientId: of === 'new' ? null : of.id,
      newClient:
        of === 'new'
          ? {
              firstName: 'Robin',
              lastName: 'Reyes',
              email: `robin-${slotNo}@example.test`,
              phone: '+1 555 0123',
            }
          : null,
      possibleDuplicateClientId: null,
      message: null,
      clientTimeZone: null,
      startsAt,
      endsAt,
      status: 'pending',
      holdId: hold.id,
      idempotencyKey: null,
      createdAt: NOW,
    });
    await ctx.db.Notification.create({
      userId: clinician.id,
      kind: 'request_new',
      dedupeKey: `request-new/${request.id}`,
      requestId: request.id,
      appointmentId: null,
    });
    return request;
  }

  const bell = async () => {
    const res = await ctx.http.get('/api/notifications', { token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as {
      unreadCount: number;
      items: { requestId: string | null; appointmentId: string | null; read: boolean; client: unknown }[];
    };
  };
  const itemFor = (b: Awaited<ReturnType<typeof bell>>, id: string) =>
    b.items.find((n) => n.requestId === id || n.appointmentId === id)!;

  it("names an existing client, a new client by the name they gave, and an appointment's client", async () => {
    const existing = await aRingingRequest(client);
    const fresh = await aRingingRequest('new');
    const appointment = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service: consultation,
      startsAt: at(-48 * HOUR),
    });
    await ctx.db.Notification.create({
      userId: clinician.id,
      kind: 'appointment_canceled',
      dedupeKey: `appointment-canceled/${appointment.id}`,
      requestId: null,
      appointmentId: appointment.id,
    });

    const b = await bell();
    expect(itemFor(b, existing.id).client).to.deep.equal({ firstName: 'Casey', lastName: 'Quinn' });
    expect(itemFor(b, fresh.id).client).to.deep.equal({ firstName: 'Robin', lastName: 'Reyes' });
    expect(itemFor(b, appointment.id).client).to.deep.equal({ firstName: 'Casey', lastName: 'Quinn' });
  });

  it('a decided request (approved, declined, withdrawn, expired) leaves its items read, for every staff user; a pending one stays unread', async () => {
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const requests = await Promise.all([1, 2, 3, 4, 5].map(() => aRingingRequest(client)));
    await ctx.db.Notification.create({
      userId: manager.id,
      kind: 'request_new',
      dedupeKey: `request-new/${requests[1].id}`,
      requestId: requests[1].id,
      appointmentId: null,
    });
    expect((await bell()).unreadCount).to.equal(5);

    const approved = await approveRequest(ctx.db, {
      requestId: requests[0].id,
      actorId: clinician.id,
      now: NOW,
    });
    expect(approved, JSON.stringify(approved)).to.include({ ok: true });
    for (const [i, status] of [
      [1, 'declined'],
      [2, 'withdrawn'],
      [3, 'expired'],
    ] as const) {
      const closed = await closeRequest(ctx.db, {
        requestId: requests[i].id,
        status,
        actorId: null,
        now: NOW,
      });
      expect(closed).to.deep.equal({ ok: true, status });
    }

    const b = await bell();
    expect(b.unreadCount).to.equal(1);
    expect(requests.map((r) => itemFor(b, r.id).read)).to.deep.equal([true, true, true, true, false]);
    const managerItem = await ctx.db.Notification.findOne({ where: { userId: manager.id } });
    expect(managerItem!.readAt).to.not.equal(null);
  });

  it('a refused decision leaves the items as they were', async () => {
    const request = await aRingingRequest(client);
    await closeRequest(ctx.db, { requestId: request.id, status: 'declined', now: NOW });
    await ctx.db.Notification.update({ readAt: null }, { where: { requestId: request.id } });
    const again = await closeRequest(ctx.db, { requestId: request.id, status: 'withdrawn', now: NOW });
    expect(again.ok).to.equal(false);
    expect((await bell()).unreadCount).to.equal(1);
  });
});
