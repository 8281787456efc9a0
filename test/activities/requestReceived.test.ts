import { expect } from 'chai';
import { createActivities } from '../../activities';
import { fixedClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createResendMailer } from '../../emails/mailer';
import { approveRequest } from '../../booking/decisions';
import { issueEmailVerification } from '../../booking/emailVerification';
import { submitRequest } from '../../booking/submitRequest';
import { startRequestWorkflow } from '../../temporal/requests';
import type { Practice, Service, StaffUser } from '../../models';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { uniqueTaskQueue } from '../support/temporal';
import { aClient, aConsultingClinician } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';
const SLOT = new Date('2026-06-10T14:00:00Z');

describe('the receipt email, sent again after the request was approved', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();
  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;

  beforeEach(async () => {
    ({ practice, consultation, clinician } = await aConsultingClinician(tb.db));
  });

  const activities = () =>
    createActivities({
      db: tb.db,
      clock: fixedClock(NOW),
      log: createLogger('silent'),
      mailer: createResendMailer({
        apiKey: 're_test_key',
        from: 'Booking <booking@practice.test>',
        baseUrl: tb.capture.url,
      }),
      publicUrl: 'http://portal.test',
      codes: tb.codes,
    });

  it('renders as submitted, so the provider answers the retry with the first id and it counts as sent', async () => {
    // An existing client whom the "new client" turns out to be: approval books for this profile, whose name
    // and address (case) differ from what was typed in the portal.
    await aClient(tb.db, practice, {
      firstName: 'Roberta',
      lastName: 'Reyes',
      email: 'Robin.Reyes@Example.test',
      timeZone: 'Europe/London',
    });
    const email = 'robin.reyes@example.test';
    const verification = await issueEmailVerification(tb.db, {
      practiceId: practice.id,
      email,
      now: new Date(NOW),
    });
    const { request } = await submitRequest(
      tb.db,
      {
        practice,
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        requester: {
          newClient: { firstName: 'Robin', lastName: 'Reyes', email, phone: '+1 555 0123' },
          emailVerificationCode: tb.codes.codeFor('email-verification', verification),
        },
        now: new Date(NOW),
        codes: tb.codes,
      },
      // Started on a queue no worker polls: this test plays the workflow's steps itself.
      (input) => startRequestWorkflow(tb.env.client, uniqueTaskQueue('idle'), input),
    );
    expect((await tb.db.AppointmentRequest.findByPk(request.id))!.possibleDuplicateClientId).to.be.a(
      'string',
    );

    // First attempt: delivered, but the answer never reached Temporal (worker crash, timeout), so it is retried.
    await activities().sendRequestReceived({ requestId: request.id });
    const approved = await approveRequest(tb.db, {
      requestId: request.id,
      actorId: clinician.id,
      now: new Date(NOW),
    });
    expect(approved.ok).to.equal(true);
    await activities().sendRequestReceived({ requestId: request.id });

    const sent = tb.capture.emails().filter((e) => e.idempotencyKey === `request-received/${request.id}`);
    expect(sent.map((e) => e.replay)).to.deep.equal([false, true]);
    expect(sent[1].id, 'the provider answered with the first id').to.equal(sent[0].id);
    expect(sent[0].to).to.deep.equal([email]);
    expect(sent[0].text).to.include('Robin');
  });
});
