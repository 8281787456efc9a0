import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';

import {
  aSubmission,
  aWorld,
  decide,
  emailProblems,
  useReliabilityStack,
  sized,
  submit,
  waitForFinal,
  waitFor,
  type World,
} from './harness';

/** Issue item 5: concurrent submissions for one slot, concurrent overlapping approvals, a cancel racing an approve. */
describe('reliability: races (item 5)', function () {
  const stack = useReliabilityStack({ invariants: true });

  async function pendingRequests(world: World, count: number, clinician = 0): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await submit(stack, world, aSubmission(world, world.nextSlot(clinician)));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids.push(res.body.id as string);
    }
    return ids;
  }

  it('50 concurrent requests for the same slot: exactly one 201, the others 409, one request and one hold', async () => {
    const world = await aWorld(stack);
    const slot = world.nextSlot(0);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => submit(stack, world, aSubmission(world, slot))),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s === 201),
      statuses.join(','),
    ).to.have.length(1);
    expect(
      statuses.filter((s) => s === 409),
      statuses.join(','),
    ).to.have.length(49);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'SLOT_UNAVAILABLE')).to.equal(
      true,
    );
    const [row] = await stack.db.sequelize.query<{ requests: string; holds: string }>(
      `SELECT (SELECT count(*) FROM appointment_requests WHERE clinician_id = :c) AS requests,
              (SELECT count(*) FROM time_holds WHERE clinician_id = :c) AS holds`,
      { replacements: { c: slot.clinicianId }, type: QueryTypes.SELECT },
    );
    expect(row).to.deep.equal({ requests: '1', holds: '1' });
    const winner = answers.find((a) => a.status === 201)!.body.id as string;
    await decide(stack, world, winner, 'decline');
    await waitForFinal(stack, [winner]);
  });

  it('10 concurrent approvals of requests that overlap once the buffer grows: one appointment, nine stay pending', async () => {
    const world = await aWorld(stack);
    const ids = await pendingRequests(world, 10);
    // Ten back-to-back half hours; a 10-hour buffer after each makes every pair conflict.
    await stack.db.BookingPreferences.update(
      { bufferBeforeMinutes: 240, bufferAfterMinutes: 240 },
      { where: { clinicianId: world.clinicians[0].id } },
    );
    const answers = await Promise.all(ids.map((id) => decide(stack, world, id, 'approve')));
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s === 200),
      statuses.join(','),
    ).to.have.length(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).to.deep.equal(
      Array(9).fill('SLOT_UNAVAILABLE'),
    );
    const [row] = await stack.db.sequelize.query<{ appointments: string; pending: string }>(
      `SELECT (SELECT count(*) FROM appointments WHERE clinician_id = :c AND status = 'scheduled') AS appointments,
              (SELECT count(*) FROM appointment_requests WHERE clinician_id = :c AND status = 'pending') AS pending`,
      { replacements: { c: world.clinicians[0].id }, type: QueryTypes.SELECT },
    );
    expect(row).to.deep.equal({ appointments: '1', pending: '9' });
    const refused = ids.filter((_, i) => answers[i].status === 409);
    await Promise.all(refused.map((id) => decide(stack, world, id, 'decline')));
    await waitForFinal(stack, ids);
    expect((await emailProblems(stack, ids)).problems).to.deep.equal([]);
  });

  it('a cancel racing an approve of a request that conflicts with the canceled appointment: never both scheduled', async function () {
    const rounds = sized(4, 12);
    const orders = { cancelFirst: 0, approveFirst: 0 };
    for (let round = 0; round < rounds; round++) {
      const world = await aWorld(stack);
      const [first, second] = await pendingRequests(world, 2);
      const approved = await decide(stack, world, first, 'approve');
      expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
      const appointmentId = approved.body.appointment.id as string;
      // The second request starts when the first ends; a buffer makes it conflict with the booked appointment.
      await stack.db.BookingPreferences.update(
        { bufferAfterMinutes: 60 },
        { where: { clinicianId: world.clinicians[0].id } },
      );
      // A small random head start, for one side in even rounds and the other in odd ones: both orders happen.
      const delay = (mine: boolean) => sleep(mine ? Math.random() * 150 : 0);
      const [cancel, approve] = await Promise.all([
        delay(round % 2 === 1).then(() =>
          stack.http.post(
            `/api/appointments/${appointmentId}/cancel`,
            { status: 'canceled', notifyClient: true },
            { token: world.adminToken },
          ),
        ),
        delay(round % 2 === 0).then(() => decide(stack, world, second, 'approve')),
      ]);
      expect(cancel.status, JSON.stringify(cancel.body)).to.be.oneOf([200, 202]);
      expect(approve.status, JSON.stringify(approve.body)).to.be.oneOf([200, 409]);
      // A 202 means the cancelation is recorded and finishes as soon as the worker gets to it.
      await waitFor(
        'the cancelation',
        async () => (await stack.db.Appointment.findByPk(appointmentId))?.status === 'canceled',
      );
      if (approve.status === 200) orders.cancelFirst++;
      else {
        orders.approveFirst++;
        expect(approve.body.code).to.equal('SLOT_UNAVAILABLE');
        await decide(stack, world, second, 'decline');
      }
      const rows = await stack.db.sequelize.query<{ status: string }>(
        'SELECT status FROM appointments WHERE clinician_id = :c ORDER BY starts_at',
        { replacements: { c: world.clinicians[0].id }, type: QueryTypes.SELECT },
      );
      expect(rows.map((r) => r.status)).to.deep.equal(
        approve.status === 200 ? ['canceled', 'scheduled'] : ['canceled'],
      );
      await waitForFinal(stack, [first, second]);
    }
    this.test!.title += ` (${rounds} rounds: cancel won ${orders.cancelFirst}, approve won ${orders.approveFirst})`;
  });
});
