import { expect } from 'chai';
import { submitRequest, type Requester } from '../../booking/submitRequest';
import { issueEmailVerification } from '../../booking/emailVerification';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import type { Practice, Service, StaffUser } from '../../models';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aConsultingClinician } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';
const SLOT = new Date('2026-06-10T14:00:00Z');

describe('approving a request whose time has started (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();
  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;

  beforeEach(async () => {
    ({ practice, consultation, clinician } = await aConsultingClinician(tb.db));
  });

  async function submit() {
    const email = 'late@example.test';
    const id = await issueEmailVerification(tb.db, { practiceId: practice.id, email, now: new Date(NOW) });
    const requester: Requester = {
      newClient: { firstName: 'Lee', lastName: 'Late', email, phone: '+1 555 0199' },
      emailVerificationCode: tb.codes.codeFor('email-verification', id),
    };
    const { request } = await submitRequest(
      tb.db,
      {
        practice,
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        requester,
        clientTimeZone: null,
        now: new Date(NOW),
        codes: tb.codes,
      },
      (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
    );
    return { request, handle: tb.env.client.workflow.getHandle(requestWorkflowId(request.id)) };
  }

  it('refuses the approval once the slot has started, though the expiry timer has not run, and the request expires', async () => {
    // The worker's clock is past the start while Temporal's timer (measured from the workflow's own start) is not:
    // a worker clock ahead of the server's, or a timer not yet fired.
    const worker = await tb.worker(new Date(SLOT.getTime() + 5 * 60_000));
    await worker.runUntil(async () => {
      const { request, handle } = await submit();
      for (;;) {
        if ((await handle.query(getStatusQuery)).status === 'pending') break;
        await tb.env.sleep('1 second');
      }
      const answer = await decideRequest(tb.env.client, request.id, {
        kind: 'approve',
        actorId: clinician.id,
      });
      expect(answer).to.include({ ok: false, code: 'REQUEST_NOT_PENDING', status: 'expired' });
      expect(await tb.db.Appointment.count(), 'nothing booked').to.equal(0);
      const row = await tb.db.AppointmentRequest.findByPk(request.id);
      expect(row).to.include({ status: 'expired', holdId: null });
      expect(await tb.db.TimeHold.count(), 'the slot is released at once').to.equal(0);
      // When the workflow's own deadline comes, it finds the request expired and tells the client.
      await tb.env.sleep('10 days');
      expect(await handle.result()).to.include({ status: 'expired' });
    });
    expect(tb.capture.deliveries().map((e) => e.idempotencyKey)).to.satisfy((keys: string[]) =>
      keys.some((k) => k.startsWith('request-expired/')),
    );
  });
});
