import { randomUUID } from 'node:crypto';
/**
 * Records a real history of every workflow type and path (histories/paths.ts) for the replay test next to this
 * folder: real activities on PostgreSQL, emails through the Resend SDK to the capture server, the time-skipping
 * server. Not part of the suite (its name does not end in .test.ts); README "Changing a workflow safely" says when to
 * run it: after a deliberate, patched change has been committed, to add the new paths; never to "fix" a replay.
 *
 *   npm run histories:record                          today's committed code, files named <commit>-<path>
 *   npm run histories:record -- --grep portal-email   only the paths whose test title matches
 *   OLD_WORKFLOWS=/tmp/old/workflows/index.ts HISTORY_PREFIX=c- npm run histories:record -- --grep request-
 *     the workflow code of an earlier commit C (mkdir /tmp/old && git archive C | tar -x -C /tmp/old &&
 *     ln -s "$PWD/node_modules" /tmp/old/node_modules); pick the paths that code has.
 *
 * A history git already tracks is never written again: those are what running executions look like.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import proto from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../../activities';
import { fixedClock } from '../../../lib/clock';
import { createLogger } from '../../../lib/logger';
import { createResendMailer } from '../../../emails/mailer';
import { submitRequest, type Requester } from '../../../booking/submitRequest';
import { issueEmailVerification } from '../../../booking/emailVerification';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../../temporal/requests';
import { startCancellation } from '../../../temporal/cancellations';
import { portalEmailWorkflowId } from '../../../temporal/portalEmails';
import { staffInvitationWorkflowId } from '../../../temporal/staffInvitations';
import {
  acceptStaffInvitation,
  createStaffInvitation,
  revokeStaffInvitation,
} from '../../../booking/staffInvitations';
import {
  getStaffInvitationStatusQuery,
  staffInvitationClosedSignal,
} from '../../../workflows/staffInvitation';
import { passwordResetEmailWorkflowId } from '../../../temporal/passwordResetEmails';
import { requestPasswordReset } from '../../../booking/passwordReset';
import type { CancellationWorkflowInput } from '../../../workflows/cancellation';
import { getStatusQuery } from '../../../workflows/appointmentRequest';
import { useWorkflowTestbed } from '../../support/workflowTestbed';
import { sharedWorkflowBundle } from '../../support/temporal';
import { aClient, aClinician, anAppointment, aPractice, aService, aStaffUser } from '../../fixtures';
import type { RecordedPath } from './paths';
import { testDataConverter } from '../../support/codecKeys';
import { failureConverterPath } from '../../../temporal/codec';
import { keepPendingText } from '../../../booking/pendingTexts';
import { bookingConfirmationWorkflowId } from '../../../temporal/bookings';
import { rescheduleAppointment, type RescheduleInviteInput } from '../../../booking/reschedule';
import { submitRescheduleRequest } from '../../../booking/rescheduleRequest';
import { rescheduleInviteWorkflowId } from '../../../temporal/reschedules';
import { appointmentWorkflowId } from '../../../temporal/appointments';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NOW = '2026-06-01T12:00:00Z'; // a Monday
const SLOT = new Date('2026-06-10T14:00:00Z'); // Wednesday 10:00 in New York, inside the fixture's hours
const HOUR = 3_600_000;

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/** `<commit>-` of today's code, which must be committed: the name has to say which code made the history. */
function currentCodePrefix(): string {
  const root = git('rev-parse', '--show-toplevel');
  const dirty = git('status', '--porcelain', '--', path.join(root, 'workflows'));
  if (dirty)
    throw new Error(
      `Commit the workflow change first: histories are named by the commit whose code recorded them.\n${dirty}`,
    );
  return `${git('rev-parse', '--short=7', 'HEAD')}-`;
}

describe('record workflow histories', function () {
  this.timeout(600_000);
  const tb = useWorkflowTestbed();
  let bundle: WorkflowBundle;
  let prefix: string;
  before(async () => {
    const old = process.env.OLD_WORKFLOWS;
    if (old && !process.env.HISTORY_PREFIX)
      throw new Error('OLD_WORKFLOWS needs HISTORY_PREFIX: the name of the code it records with');
    prefix = process.env.HISTORY_PREFIX ?? currentCodePrefix();
    bundle = old
      ? await bundleWorkflowCode({ workflowsPath: old, failureConverterPath })
      : await sharedWorkflowBundle();
  });

  const worker = async (now: string = NOW) =>
    Worker.create({
      connection: tb.env.nativeConnection,
      taskQueue: tb.taskQueue,
      workflowBundle: bundle,
      dataConverter: testDataConverter(),
      activities: createActivities({
        db: tb.db,
        clock: fixedClock(now),
        log: createLogger('silent'),
        mailer: createResendMailer({
          apiKey: 're_test_key',
          from: 'Booking <booking@practice.test>',
          baseUrl: tb.capture.url,
        }),
        publicUrl: 'http://portal.test',
        codes: tb.codes,
      }),
    });

  /** Runs one scenario with a worker of the code being recorded. */
  const recording = async (scenario: () => Promise<void>) => (await worker()).runUntil(scenario);

  const save = async (name: RecordedPath, handle: WorkflowHandle) => {
    const file = path.join(HERE, `${prefix}${name}.history.bin`);
    let tracked = true;
    try {
      git('ls-files', '--error-unmatch', file);
    } catch {
      tracked = false;
    }
    if (tracked)
      throw new Error(`${path.basename(file)} is committed: recorded histories are never rewritten`);
    const history = await handle.fetchHistory();
    // Binary protobuf: the SDK's historyToJSON needs the protobufjs instance its own CommonJS build loaded.
    fs.writeFileSync(file, proto.temporal.api.history.v1.History.encode(history).finish());
  };

  describe('appointmentRequestWorkflow', () => {
    /** A request as the portal submits it: a verified new client's, or an existing client's (withdraw is theirs). */
    async function aRequest(
      opts: { startsAt?: Date; existingClient?: boolean; duplicateOfExisting?: boolean } = {},
    ) {
      const practice = await aPractice(tb.db);
      const consultation = await aService(tb.db, practice, { durationMinutes: 30 });
      const clinician = await aClinician(tb.db, practice, {
        preferences: {
          initialConsultationServiceId: consultation.id,
          startTimeIntervalMinutes: 30,
          minimumNoticeHours: 24,
        },
      });
      const client = opts.existingClient ? await aClient(tb.db, practice) : null;
      // A client already signs in with the address the new client gives: the request is flagged.
      if (opts.duplicateOfExisting) await aClient(tb.db, practice, { email: 'robin@example.test' });
      const requester: Requester = client
        ? { clientId: client.id }
        : {
            newClient: {
              firstName: 'Robin',
              lastName: 'Reyes',
              email: 'robin@example.test',
              phone: '+1 555 0123',
            },
            emailVerificationCode: tb.codes.codeFor(
              'email-verification',
              await issueEmailVerification(tb.db, {
                practiceId: practice.id,
                email: 'robin@example.test',
                now: new Date(NOW),
              }),
            ),
          };
      const { request } = await submitRequest(
        tb.db,
        {
          practice,
          clinicianId: clinician.id,
          serviceId: consultation.id,
          startsAt: opts.startsAt ?? SLOT,
          requester,
          clientTimeZone: 'America/Chicago',
          now: new Date(NOW),
          codes: tb.codes,
        },
        (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
      );
      const handle = tb.env.client.workflow.getHandle(requestWorkflowId(request.id));
      while ((await handle.query(getStatusQuery)).status !== 'pending') await tb.env.sleep('1 second');
      return { request, clinician, client, handle };
    }

    const decided = async (
      name: RecordedPath,
      decision: 'approve' | 'decline',
      expected: string,
      before?: () => void,
    ) => {
      before?.();
      await recording(async () => {
        const r = await aRequest();
        const result = await decideRequest(
          tb.env.client,
          r.request.id,
          decision === 'decline'
            ? {
                kind: 'decline',
                actorId: r.clinician.id,
                noteId: await keepPendingText(
                  tb.db,
                  r.clinician.practiceId,
                  'Dr. Lee has room next month.',
                  new Date(NOW),
                ),
              }
            : { kind: 'approve', actorId: r.clinician.id },
        );
        expect(result).to.include({ status: expected });
        expect(await r.handle.result()).to.include({ status: expected });
        await save(name, r.handle);
      });
    };

    it('request-approved', () => decided('request-approved', 'approve', 'approved'));
    it('request-approved-as-new-client', () =>
      recording(async () => {
        const r = await aRequest({ duplicateOfExisting: true });
        const result = await decideRequest(tb.env.client, r.request.id, {
          kind: 'approve',
          actorId: r.clinician.id,
          asNewClient: true,
        });
        expect(result).to.include({ status: 'approved' });
        expect(await r.handle.result()).to.include({ status: 'approved' });
        await save('request-approved-as-new-client', r.handle);
      }));
    it('request-reschedule-approved', () =>
      recording(async () => {
        // A client's reschedule request: the same workflow and commands as a booking; approval moves the appointment.
        const practice = await aPractice(tb.db, { cancellationPolicy: '24h' });
        const clinician = await aClinician(tb.db, practice, {
          preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
        });
        const client = await aClient(tb.db, practice);
        const appointment = await anAppointment(tb.db, {
          practice,
          clinician,
          client,
          service: await aService(tb.db, practice, { durationMinutes: 50 }),
          startsAt: SLOT,
        });
        const request = await submitRescheduleRequest(
          tb.db,
          {
            practice,
            clientId: client.id,
            appointmentId: appointment.id,
            startsAt: new Date(SLOT.getTime() + 25 * HOUR),
            now: new Date(NOW),
          },
          (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
        );
        const handle = tb.env.client.workflow.getHandle(requestWorkflowId(request.id));
        expect(
          await decideRequest(tb.env.client, request.id, { kind: 'approve', actorId: clinician.id }),
        ).to.include({ status: 'approved' });
        expect(await handle.result()).to.include({ status: 'approved' });
        expect((await appointment.reload()).inviteSequence).to.equal(1);
        await save('request-reschedule-approved', handle);
      }));
    it('request-reschedule-closed-by-cancellation', () =>
      recording(async () => {
        // The client cancels the appointment their pending reschedule request would move: the cancel closes the
        // request (withdrawn) and the cancelation workflow signals the request workflow, which ends at once.
        const practice = await aPractice(tb.db, { cancellationPolicy: '24h' });
        const clinician = await aClinician(tb.db, practice, {
          preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
        });
        const client = await aClient(tb.db, practice);
        const appointment = await anAppointment(tb.db, {
          practice,
          clinician,
          client,
          service: await aService(tb.db, practice, { durationMinutes: 50 }),
          startsAt: SLOT,
        });
        const request = await submitRescheduleRequest(
          tb.db,
          {
            practice,
            clientId: client.id,
            appointmentId: appointment.id,
            startsAt: new Date(SLOT.getTime() + 25 * HOUR),
            now: new Date(NOW),
          },
          (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
        );
        const handle = tb.env.client.workflow.getHandle(requestWorkflowId(request.id));
        while ((await handle.query(getStatusQuery)).status !== 'pending') await tb.env.sleep('1 second');
        const cancel = await startCancellation(tb.env.client, tb.taskQueue, {
          appointmentId: appointment.id,
          practiceId: practice.id,
          clinicianId: clinician.id,
          requestedAt: NOW,
          by: 'client',
          notifyClient: true,
          actorId: client.id,
        });
        expect(await cancel.result()).to.include({
          ok: true,
          status: 'canceled',
          closedRequestId: request.id,
        });
        expect(await handle.result()).to.include({ status: 'withdrawn' });
        await save('request-reschedule-closed-by-cancellation', handle);
        await save('cancellation-closed-reschedule-request', cancel);
      }));
    it('request-declined-with-note', () => decided('request-declined-with-note', 'decline', 'declined'));
    it('request-email-rejected', () =>
      decided('request-email-rejected', 'decline', 'declined', () => tb.capture.rejectNext(1)));
    it('request-email-retried-in-rounds', () =>
      // More failures than the first round's attempts: the step is flagged, waits, and succeeds in round two.
      decided('request-email-retried-in-rounds', 'decline', 'declined', () => tb.capture.failNext(12, 503)));

    it('request-withdrawn', () =>
      recording(async () => {
        const r = await aRequest({ existingClient: true });
        expect(
          await decideRequest(tb.env.client, r.request.id, { kind: 'withdraw', clientId: r.client!.id }),
        ).to.include({ ok: true, status: 'withdrawn' });
        await r.handle.result();
        await save('request-withdrawn', r.handle);
      }));

    it('request-expired', async () => {
      await recording(async () => {
        const r = await aRequest({ startsAt: new Date('2026-06-24T14:00:00Z') });
        await tb.env.sleep('169 hours');
        expect(await r.handle.result()).to.include({ status: 'expired' });
        await save('request-expired', r.handle);
      });
    });

    it('request-abandoned', async () => {
      await recording(async () => {
        const practice = await aPractice(tb.db);
        const clinician = await aClinician(tb.db, practice);
        // The API started the workflow, then its transaction rolled back: no such request row.
        const requestId = '00000000-0000-4000-8000-000000000000';
        const handle = await tb.env.client.workflow.start('appointmentRequestWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: requestWorkflowId(requestId),
          args: [
            {
              requestId,
              practiceId: practice.id,
              clinicianId: clinician.id,
              startsAt: SLOT.toISOString(),
              requestedAt: NOW,
              lifetimeHours: 168,
            },
          ],
        });
        expect(await handle.result()).to.deep.equal({ status: 'abandoned' });
        await save('request-abandoned', handle);
      });
    });

    it('request-conflict-then-declined', async () => {
      await recording(async () => {
        const r = await aRequest();
        // The clinician takes the weekday hours away while the request waits: the slot is no longer offered.
        await tb.db.sequelize.query('DELETE FROM availability_rules WHERE clinician_id = :id', {
          replacements: { id: r.clinician.id },
        });
        expect(
          await decideRequest(tb.env.client, r.request.id, { kind: 'approve', actorId: r.clinician.id }),
        ).to.include({ ok: false, code: 'SLOT_UNAVAILABLE' });
        expect(
          await decideRequest(tb.env.client, r.request.id, { kind: 'decline', actorId: r.clinician.id }),
        ).to.include({ ok: true, status: 'declined' });
        await r.handle.result();
        await save('request-conflict-then-declined', r.handle);
      });
    });

    it('request-notice-refused', () =>
      // One notice of the new request refused by the provider (request-local-steps: both go out in one step).
      recording(async () => {
        tb.capture.rejectNext(1);
        const r = await aRequest();
        while (!(await r.handle.query(getStatusQuery)).emailFailures.length) await tb.env.sleep('1 second');
        expect(
          await decideRequest(tb.env.client, r.request.id, { kind: 'decline', actorId: r.clinician.id }),
        ).to.include({ ok: true, status: 'declined' });
        await r.handle.result();
        await save('request-notice-refused', r.handle);
      }));

    it('request-pending', async () => {
      await recording(async () => {
        const r = await aRequest();
        await tb.env.sleep('1 hour');
        await save('request-pending', r.handle);
      });
    });
  });

  describe('cancellationWorkflow', () => {
    const canceled = async (
      name: RecordedPath,
      expected: Record<string, unknown>,
      opts: {
        policy?: 'phone_call' | '24h';
        startsAt?: Date;
        input?: (who: {
          clinicianId: string;
          practiceId: string;
        }) => Partial<CancellationWorkflowInput> | Promise<Partial<CancellationWorkflowInput>>;
        before?: () => void;
      } = {},
    ) => {
      const practice = await aPractice(tb.db, { cancellationPolicy: opts.policy ?? '24h' });
      const service = await aService(tb.db, practice);
      const clinician = await aClinician(tb.db, practice);
      const client = await aClient(tb.db, practice);
      const appointment = await anAppointment(tb.db, {
        practice,
        clinician,
        client,
        service,
        startsAt: opts.startsAt ?? SLOT,
      });
      opts.before?.();
      await recording(async () => {
        const handle = await startCancellation(tb.env.client, tb.taskQueue, {
          appointmentId: appointment.id,
          practiceId: practice.id,
          clinicianId: clinician.id,
          requestedAt: NOW,
          by: 'client',
          notifyClient: true,
          actorId: client.id,
          ...(await opts.input?.({ clinicianId: clinician.id, practiceId: practice.id })),
        });
        expect(await handle.result()).to.deep.include(expected);
        await save(name, handle);
      });
    };

    it('cancellation-canceled', () => canceled('cancellation-canceled', { ok: true, status: 'canceled' }));
    it('cancellation-late-canceled', () =>
      canceled(
        'cancellation-late-canceled',
        { ok: true, status: 'late_canceled' },
        { startsAt: new Date(Date.parse(NOW) + 10 * HOUR) },
      ));
    it('cancellation-by-clinician', () =>
      // The clinician cancels their own appointment without emailing the client: one email step less.
      canceled(
        'cancellation-by-clinician',
        { ok: true, status: 'canceled' },
        {
          input: ({ clinicianId }) => ({
            by: 'staff',
            status: 'canceled',
            notifyClient: false,
            actorId: clinicianId,
          }),
        },
      ));
    it('cancellation-with-kept-reason', () =>
      // As the API starts it since reasons are kept by id: the workflow carries reasonId, never the text.
      canceled(
        'cancellation-with-kept-reason',
        { ok: true, status: 'canceled' },
        {
          input: async ({ clinicianId, practiceId }) => ({
            by: 'staff',
            status: 'canceled',
            notifyClient: true,
            actorId: clinicianId,
            reasonId: await keepPendingText(tb.db, practiceId, 'Moving to Denver', new Date(NOW)),
          }),
        },
      ));
    it('cancellation-phone-call-refused', () =>
      canceled('cancellation-phone-call-refused', { ok: false }, { policy: 'phone_call' }));
    it('cancellation-data-rejected', () =>
      canceled(
        'cancellation-data-rejected',
        { ok: false, code: 'DATA_REJECTED' },
        { input: () => ({ reason: 'Moving x\u0000y' }) },
      ));
    it('cancellation-email-rejected', () =>
      canceled(
        'cancellation-email-rejected',
        { ok: true, status: 'canceled' },
        { before: () => tb.capture.rejectNext(1) },
      ));
  });

  describe('portalEmailWorkflow', () => {
    async function signInCodeRow(clientId: string | null): Promise<string> {
      const [row] = await tb.db.sequelize.query<{ id: string }>(
        `INSERT INTO client_sign_in_codes (client_id, created_at, expires_at)
         VALUES (:clientId, :now, :now::timestamptz + interval '10 minutes') RETURNING id`,
        { replacements: { clientId, now: NOW }, type: QueryTypes.SELECT },
      );
      return row.id;
    }

    const sent = async (
      name: RecordedPath,
      input: { kind: 'sign-in-code' | 'email-verification' | 'portal-invitation'; id: string },
      expected: string,
    ) => {
      await recording(async () => {
        const handle = await tb.env.client.workflow.start('portalEmailWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: portalEmailWorkflowId(input.id),
          args: [input],
        });
        expect(await handle.result()).to.equal(expected);
        await save(name, handle);
      });
    };

    it('portal-email-sign-in-code-sent', async () => {
      const client = await aClient(tb.db, await aPractice(tb.db));
      // A short provider outage: the recorded send is retried before it succeeds.
      tb.capture.failNext(2, 503);
      await sent(
        'portal-email-sign-in-code-sent',
        { kind: 'sign-in-code', id: await signInCodeRow(client.id) },
        'sent',
      );
    });
    it('portal-email-verification-sent', async () => {
      const practice = await aPractice(tb.db);
      const id = await issueEmailVerification(tb.db, {
        practiceId: practice.id,
        email: 'new.person@example.test',
        now: new Date(NOW),
      });
      await sent('portal-email-verification-sent', { kind: 'email-verification', id }, 'sent');
    });
    it('portal-email-skipped', async () => {
      await sent('portal-email-skipped', { kind: 'sign-in-code', id: await signInCodeRow(null) }, 'skipped');
    });
    it('portal-email-invitation-sent', async () => {
      const client = await aClient(tb.db, await aPractice(tb.db));
      const [row] = await tb.db.sequelize.query<{ id: string }>(
        'INSERT INTO client_portal_invitations (client_id, created_at) VALUES (:clientId, :now) RETURNING id',
        { replacements: { clientId: client.id, now: new Date(NOW) }, type: QueryTypes.SELECT },
      );
      await sent('portal-email-invitation-sent', { kind: 'portal-invitation', id: row.id }, 'sent');
    });
    it('portal-email-rejected', async () => {
      const client = await aClient(tb.db, await aPractice(tb.db));
      tb.capture.rejectNext(1);
      await sent(
        'portal-email-rejected',
        { kind: 'sign-in-code', id: await signInCodeRow(client.id) },
        'rejected',
      );
    });
  });

  describe('staffInvitationWorkflow', () => {
    const DAY = 86_400_000;
    /** An invitation as the API records it, its workflow started; the outcome after `then`, saved under name. */
    const invitation = async (
      name: RecordedPath,
      expected: string,
      then: (ctx: {
        handle: WorkflowHandle;
        id: string;
        admin: { id: string; practiceId: string };
        sent: () => Promise<void>;
      }) => Promise<void>,
      before?: () => void,
    ) => {
      const practice = await aPractice(tb.db);
      const admin = await aStaffUser(tb.db, practice, { role: 'admin_clinician' });
      before?.();
      await recording(async () => {
        let handle: WorkflowHandle | undefined;
        const created = await createStaffInvitation(
          tb.db,
          {
            practiceId: practice.id,
            email: `invited-${name}@example.test`,
            firstName: 'Jordan',
            lastName: 'Rivera',
            role: 'clinician',
            invitedBy: admin,
            now: new Date(NOW),
            codes: tb.codes,
          },
          async (id) => {
            handle = await tb.env.client.workflow.start('staffInvitationWorkflow', {
              taskQueue: tb.taskQueue,
              workflowId: staffInvitationWorkflowId(id),
              args: [{ invitationId: id }],
            });
          },
        );
        const sent = async () => {
          for (let i = 0; i < 200 && !(await handle!.query(getStaffInvitationStatusQuery)).sent; i++)
            await new Promise((r) => setTimeout(r, 50));
        };
        await then({ handle: handle!, id: created.id, admin, sent });
        expect(await handle!.result()).to.equal(expected);
        await save(name, handle!);
      });
    };

    it('staff-invitation-expired', () =>
      invitation('staff-invitation-expired', 'expired', async () => {
        await tb.env.sleep(8 * DAY);
      }));
    it('staff-invitation-accepted', () =>
      invitation('staff-invitation-accepted', 'accepted', async ({ handle, id, sent }) => {
        await sent();
        await acceptStaffInvitation(tb.db, {
          token: tb.codes.linkToken('staff-invitation', id),
          password: 'a long enough password',
          now: new Date(NOW),
        });
        await handle.signal(staffInvitationClosedSignal, { reason: 'accepted' });
      }));
    it('staff-invitation-revoked', () =>
      invitation('staff-invitation-revoked', 'revoked', async ({ handle, id, admin, sent }) => {
        await sent();
        await revokeStaffInvitation(tb.db, { actor: admin, invitationId: id, now: new Date(NOW) });
        await handle.signal(staffInvitationClosedSignal, { reason: 'revoked' });
      }));
    it('staff-invitation-rejected', () =>
      invitation(
        'staff-invitation-rejected',
        'rejected',
        async () => {},
        () => tb.capture.rejectNext(1),
      ));
    it('staff-invitation-abandoned', async () => {
      await recording(async () => {
        const id = '00000000-0000-4000-8000-0000000000ab';
        const handle = await tb.env.client.workflow.start('staffInvitationWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: staffInvitationWorkflowId(id),
          args: [{ invitationId: id }],
        });
        expect(await handle.result()).to.equal('abandoned');
        await save('staff-invitation-abandoned', handle);
      });
    });
  });

  describe('staffSignupNoticeWorkflow', () => {
    const notice = async (name: RecordedPath, userId: string, expected: string) => {
      await recording(async () => {
        const handle = await tb.env.client.workflow.start('staffSignupNoticeWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: `staff-signup-notice-${userId}-2026-06-01`,
          args: [{ userId, noticeId: `${userId}-2026-06-01` }],
        });
        expect(await handle.result()).to.equal(expected);
        await save(name, handle);
      });
    };
    it('staff-signup-notice-sent', async () => {
      const admin = await aStaffUser(tb.db, await aPractice(tb.db), { role: 'admin_clinician' });
      await notice('staff-signup-notice-sent', admin.id, 'sent');
    });
    it('staff-signup-notice-skipped', async () => {
      const gone = await aStaffUser(tb.db, await aPractice(tb.db), { active: false });
      await notice('staff-signup-notice-skipped', gone.id, 'skipped');
    });
  });

  describe('passwordResetEmailWorkflow', () => {
    const sent = async (name: RecordedPath, email: string, expected: string) => {
      const id = await requestPasswordReset(tb.db, tb.codes, { email, now: new Date(NOW) });
      await recording(async () => {
        const handle = await tb.env.client.workflow.start('passwordResetEmailWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: passwordResetEmailWorkflowId(id),
          args: [{ id }],
        });
        expect(await handle.result()).to.equal(expected);
        await save(name, handle);
      });
    };

    it('password-reset-sent', async () => {
      const user = await aClinician(tb.db, await aPractice(tb.db));
      // A short provider outage: the recorded send is retried before it succeeds.
      tb.capture.failNext(2, 503);
      await sent('password-reset-sent', user.email, 'sent');
    });
    it('password-reset-skipped', async () => {
      await sent('password-reset-skipped', 'nobody@example.test', 'skipped');
    });
    it('password-reset-rejected', async () => {
      const user = await aClinician(tb.db, await aPractice(tb.db));
      tb.capture.rejectNext(1);
      await sent('password-reset-rejected', user.email, 'rejected');
    });
  });

  describe('bookingConfirmationWorkflow', () => {
    const confirmed = async (name: RecordedPath) => {
      const practice = await aPractice(tb.db);
      const clinician = await aClinician(tb.db, practice);
      const appointment = await anAppointment(tb.db, {
        practice,
        clinician,
        client: await aClient(tb.db, practice),
        service: await aService(tb.db, practice),
        startsAt: SLOT,
      });
      await recording(async () => {
        const handle = await tb.env.client.workflow.start('bookingConfirmationWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: bookingConfirmationWorkflowId(appointment.id),
          args: [{ appointmentId: appointment.id, practiceId: practice.id, clinicianId: clinician.id }],
        });
        await handle.result();
        await save(name, handle);
      });
    };
    it('booking-confirmation-sent', async () => {
      // A short provider outage: the recorded send is retried before it succeeds.
      tb.capture.failNext(1, 503);
      await confirmed('booking-confirmation-sent');
    });
    it('booking-confirmation-rejected', async () => {
      tb.capture.rejectNext(1);
      await confirmed('booking-confirmation-rejected');
    });
  });

  describe('rescheduleInviteWorkflow', () => {
    /** A staff move of a scheduled appointment, its invite workflow started inside the move's transaction. */
    async function moved(
      name: RecordedPath,
      expected: string,
      after?: (appointmentId: string) => Promise<void>,
    ) {
      const practice = await aPractice(tb.db);
      const clinician = await aClinician(tb.db, practice);
      const appointment = await anAppointment(tb.db, {
        practice,
        clinician,
        client: await aClient(tb.db, practice),
        service: await aService(tb.db, practice),
        startsAt: SLOT,
      });
      await recording(async () => {
        let started: RescheduleInviteInput | undefined;
        await rescheduleAppointment(
          tb.db,
          clinician,
          {
            appointmentId: appointment.id,
            startsAt: new Date(SLOT.getTime() + 24 * HOUR),
            now: new Date(NOW),
          },
          async (input) => {
            started = input;
            await tb.env.client.workflow.start('rescheduleInviteWorkflow', {
              taskQueue: tb.taskQueue,
              workflowId: rescheduleInviteWorkflowId(input),
              args: [input],
            });
          },
        );
        await after?.(appointment.id);
        const handle = tb.env.client.workflow.getHandle(rescheduleInviteWorkflowId(started!));
        expect(await handle.result()).to.equal(expected);
        await save(name, handle);
      });
    }

    it('reschedule-invite-sent', async () => {
      // A short provider outage: the recorded send is retried before it succeeds.
      tb.capture.failNext(2, 503);
      await moved('reschedule-invite-sent', 'sent');
    });
    it('reschedule-invite-skipped', async () => {
      // Moved again before the first invite went out: the later invite replaces it.
      await moved('reschedule-invite-skipped', 'skipped', async (id) => {
        await tb.db.Appointment.update({ inviteSequence: 2 }, { where: { id } });
      });
    });
    it('reschedule-invite-rejected', async () => {
      tb.capture.rejectNext(1);
      await moved('reschedule-invite-rejected', 'rejected');
    });
    it('reschedule-invite-not-recorded', async () => {
      // Started for a move whose transaction never committed (the API died before COMMIT).
      const practice = await aPractice(tb.db);
      const input: RescheduleInviteInput = {
        appointmentId: (
          await anAppointment(tb.db, {
            practice,
            clinician: await aClinician(tb.db, practice),
            client: await aClient(tb.db, practice),
            service: await aService(tb.db, practice),
            startsAt: SLOT,
          })
        ).id,
        practiceId: practice.id,
        sequence: 1,
        rescheduledAt: NOW,
      };
      await recording(async () => {
        const handle = await tb.env.client.workflow.start('rescheduleInviteWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: rescheduleInviteWorkflowId(input),
          args: [input],
        });
        expect(await handle.result()).to.equal('not-recorded');
        await save('reschedule-invite-not-recorded', handle);
      });
    });
  });

  describe('diagnosticsWorkflow', () => {
    it('diagnostics', async () => {
      await recording(async () => {
        const handle = await tb.env.client.workflow.start('diagnosticsWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: `diagnostics-${tb.taskQueue}`,
        });
        expect((await handle.result()).taskQueue).to.equal(tb.taskQueue);
        await save('diagnostics', handle);
      });
    });
  });
  describe('appointmentWorkflow', () => {
    /** An appointment four days after the test server's now, its reminders' workflow started. */
    async function reminded(
      name: RecordedPath,
      during?: (a: { id: string; startsAt: Date }) => Promise<void>,
    ) {
      const now = await tb.env.currentTimeMs();
      const practice = await aPractice(tb.db);
      const clinician = await aClinician(tb.db, practice);
      const startsAt = new Date(now + 96 * HOUR);
      const appointment = await anAppointment(tb.db, {
        practice,
        clinician,
        client: await aClient(tb.db, practice),
        service: await aService(tb.db, practice),
        startsAt,
      });
      await recording(async () => {
        const handle = await tb.env.client.workflow.start('appointmentWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: appointmentWorkflowId(appointment.id),
          args: [{ appointmentId: appointment.id }],
        });
        await during?.({ id: appointment.id, startsAt });
        await handle.result();
        await save(name, handle);
      });
    }

    it('appointment-reminders-sent', async () => {
      // A short provider outage: the recorded 48 h send is retried before it succeeds.
      tb.capture.failNext(1, 503);
      await reminded('appointment-reminders-sent');
    });
    it('appointment-reminder-moved', async () => {
      await reminded('appointment-reminder-moved', async ({ id, startsAt }) => {
        await tb.env.sleep(HOUR);
        const appointment = (await tb.db.Appointment.findByPk(id))!;
        await rescheduleAppointment(
          tb.db,
          { id: appointment.clinicianId, practiceId: appointment.practiceId },
          {
            appointmentId: id,
            startsAt: new Date(startsAt.getTime() + 24 * HOUR),
            now: new Date(await tb.env.currentTimeMs()),
          },
          async (input) => {
            await tb.env.client.workflow.start('rescheduleInviteWorkflow', {
              taskQueue: tb.taskQueue,
              workflowId: rescheduleInviteWorkflowId(input),
              args: [input],
            });
          },
        );
        await tb.env.client.workflow
          .getHandle(rescheduleInviteWorkflowId({ appointmentId: id, sequence: 1 }))
          .result();
      });
    });
    it('appointment-reminders-canceled', async () => {
      await reminded('appointment-reminders-canceled', async ({ id }) => {
        await tb.env.sleep(HOUR);
        const appointment = (await tb.db.Appointment.findByPk(id))!;
        const cancel = await startCancellation(tb.env.client, tb.taskQueue, {
          appointmentId: id,
          practiceId: appointment.practiceId,
          clinicianId: appointment.clinicianId,
          requestedAt: new Date(await tb.env.currentTimeMs()).toISOString(),
          by: 'staff',
          notifyClient: false,
          actorId: appointment.clinicianId,
        });
        await cancel.result();
      });
    });
    it('appointment-not-recorded', async () => {
      // Started inside a booking's transaction that then rolled back.
      await recording(async () => {
        const appointmentId = randomUUID();
        const handle = await tb.env.client.workflow.start('appointmentWorkflow', {
          taskQueue: tb.taskQueue,
          workflowId: appointmentWorkflowId(appointmentId),
          args: [{ appointmentId }],
        });
        expect(await handle.result()).to.equal('not-recorded');
        await save('appointment-not-recorded', handle);
      });
    });
  });
});
