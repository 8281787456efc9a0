import { expect } from 'chai';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';
import type { CancellationPolicy, Client, Practice, Service, StaffUser } from '../../models';

const HOUR = 3_600_000;
// The clock is Monday 1 June 2026, 12:00 UTC; the slots are the week after.
const SLOT = new Date('2026-06-10T14:00:00.000Z');
const at = (ms: number) => new Date(SLOT.getTime() + ms);

describe("the client's appointment list in the portal: upcoming is only what will happen (API, PostgreSQL)", function () {
  this.timeout(120_000);
  const ctx = useApi();

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { cancellationPolicy: '24h', phone: '+1 555 0199' });
    clinician = await aClinician(ctx.db, practice);
    service = await aService(ctx.db, practice, { durationMinutes: 50 });
    client = await aClient(ctx.db, practice);
  });

  const booked = (startsAt: Date, policy?: CancellationPolicy) =>
    anAppointment(ctx.db, { practice, clinician, client, service, startsAt, cancellationPolicy: policy });
  const list = async () => {
    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 2 * HOUR),
    );
    const res = await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as {
      upcoming: {
        id: string;
        status: string;
        cancelByPhoneMessage: string | null;
        canCancelOnline: boolean;
      }[];
      past: { id: string; status: string }[];
    };
  };

  it('a canceled or late canceled appointment still ahead moves to past with its status; scheduled ones stay upcoming', async () => {
    const kept = await booked(SLOT);
    const canceled = await booked(at(24 * HOUR));
    const late = await booked(at(48 * HOUR));
    const before = await booked(new Date('2026-05-20T14:00:00Z'));
    // As a cancelation leaves them: the hold released with the status change.
    for (const [a, status] of [
      [canceled, 'canceled'],
      [late, 'late_canceled'],
    ] as const) {
      const holdId = a.holdId!;
      await a.update({ status, canceledBy: 'client', canceledAt: ctx.clock.now(), holdId: null });
      await ctx.db.TimeHold.destroy({ where: { id: holdId } });
    }

    const body = await list();
    expect(body.upcoming.map((a) => a.id)).to.deep.equal([kept.id]);
    expect(body.past.map((a) => [a.id, a.status])).to.deep.equal([
      [late.id, 'late_canceled'],
      [canceled.id, 'canceled'],
      [before.id, 'scheduled'],
    ]);
  });

  it("under the phone-only policy the upcoming appointment carries the sentence to show instead of a button, with the practice's number", async () => {
    const phoneOnly = await booked(SLOT, 'phone_call');
    const online = await booked(at(24 * HOUR), '24h');
    const body = await list();
    const item = (id: string) => body.upcoming.find((a) => a.id === id)!;
    expect(item(phoneOnly.id)).to.include({
      canCancelOnline: false,
      cancelByPhoneMessage: "This appointment can't be canceled online; to cancel, please call +1 555 0199.",
    });
    expect(item(online.id)).to.include({ canCancelOnline: true, cancelByPhoneMessage: null });
  });
});
