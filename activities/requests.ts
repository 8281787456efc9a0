import { ApplicationFailure, Context } from '@temporalio/activity';

// A submission's transaction commits or rolls back within moments of starting the workflow.
const NOT_RECORDED_AFTER_MS = 60_000;

import { wakeAppointmentWorkflow } from './reminders';
import { approveRequest, closeRequest, type ApprovalOutcome, type CloseOutcome } from '../booking/decisions';
import { cancellationCutoff } from '../booking/cancellationPolicy';
import { appointmentUid, buildIcs, icsAttachment } from '../emails/ics';
import type { CancellationTerms } from '../emails/request-approved';
import type { ActivityDeps } from './deps';
import { deliverEmail } from './email';
import { ringBell } from './bell';
import type { Store } from '../models/store';
import { isCanceled } from '../models/appointment';
import { contactPhone } from '../booking/staffProfile';
import { rescheduleFrom } from '../booking/rescheduleRequest';

/** A notice of a new request the provider refused for good: which one (as the workflow labels it) and why. */
export interface RefusedNotice {
  label: string;
  type: string;
  message: string;
}

/**
 * The request row once the submission that started its workflow has ended: every submission takes its clinician's
 * schedule lock (booking/schedule.ts lockClinicianSchedule) before it starts the workflow and keeps it until it
 * commits or rolls back, so once that lock is ours the row exists or never will. Answers `undefined` when the lock
 * was not had within a few seconds (a transaction stuck): "not yet", for the step's retries.
 */
async function requestAfterSubmission(db: Store, requestId: string, clinicianId: string) {
  try {
    return await db.sequelize.transaction(async (transaction) => {
      await db.sequelize.query("SET LOCAL lock_timeout = '5s'", { transaction });
      // The weakest row lock: it still waits for the submission's FOR UPDATE, and blocks no other reader.
      await db.sequelize.query('SELECT id FROM staff_users WHERE id = :clinicianId FOR KEY SHARE', {
        replacements: { clinicianId },
        transaction,
      });
      return await db.AppointmentRequest.findByPk(requestId, { transaction });
    });
  } catch (err) {
    if ((err as { parent?: { code?: string } }).parent?.code === '55P03') return undefined;
    throw err;
  }
}

/** Everything the request emails need, loaded fresh by each activity (activities pass ids, not records). */
async function requestContext(db: Store, requestId: string) {
  const request = await db.AppointmentRequest.findByPk(requestId);
  if (!request)
    throw ApplicationFailure.create({
      type: 'REQUEST_NOT_FOUND',
      message: `request ${requestId} not found`,
      nonRetryable: true,
    });
  const [practice, clinician, service, client] = await Promise.all([
    db.Practice.findByPk(request.practiceId),
    db.StaffUser.findByPk(request.clinicianId),
    db.Service.findByPk(request.serviceId),
    request.clientId ? db.Client.findByPk(request.clientId) : null,
  ]);
  const person = client ?? request.newClient!;
  return {
    request,
    practice: practice!,
    clinician: clinician!,
    service: service!,
    client: {
      firstName: person.firstName,
      name: `${person.firstName} ${person.lastName}`,
      email: person.email,
      timeZone: request.clientTimeZone ?? client?.timeZone ?? practice!.timeZone,
    },
    // The person as the request was submitted: approval may book it for an existing client whose profile (name,
    // address's case) differs, and an email retried after approval must render exactly as its first attempt.
    submitter: request.newClient
      ? {
          ...request.newClient,
          timeZone: request.clientTimeZone ?? practice!.timeZone,
        }
      : {
          firstName: person.firstName,
          lastName: person.lastName,
          email: person.email,
          timeZone: request.clientTimeZone ?? client?.timeZone ?? practice!.timeZone,
        },
    clinicianName: `${clinician!.firstName} ${clinician!.lastName}`,
    clinicianZone: clinician!.timeZone ?? practice!.timeZone,
    slot: { startsAt: request.startsAt, endsAt: request.endsAt },
    movesFrom: await rescheduleFrom(db, request).then((from) =>
      from ? { startsAt: from.startsAt, endsAt: from.endsAt } : undefined,
    ),
  };
}

/** Request lifecycle activities: recording checks, decisions, emails and bell notifications. */
export function createRequestActivities({ db, clock, mailer, publicUrl, log }: ActivityDeps) {
  const portalUrl = (slug: string) => `${publicUrl}/portal/${slug}`;
  const dashboardUrl = `${publicUrl}/app/requests`;
  /** What every email to the clinician about a request shows: the slot in their zone, practice, service, link. */
  const clinicianProps = (ctx: Awaited<ReturnType<typeof requestContext>>) => ({
    ...ctx.slot,
    timeZone: ctx.clinicianZone,
    practiceName: ctx.practice.name,
    clinicianName: ctx.clinicianName,
    serviceName: ctx.service.name,
    dashboardUrl,
    ...(ctx.movesFrom ? { movesFrom: ctx.movesFrom } : {}),
  });

  type RequestContext = Awaited<ReturnType<typeof requestContext>>;
  const newRequestNotice = async (ctx: RequestContext): Promise<void> => {
    const requestId = ctx.request.id;
    await ringBell(db, {
      userId: ctx.clinician.id,
      kind: 'request_new',
      requestId,
      dedupeKey: `request-new/${requestId}`,
    });
    await deliverEmail(mailer, {
      kind: 'new-request',
      to: ctx.clinician.email,
      idempotencyKey: `request-new/${requestId}`,
      props: {
        ...clinicianProps(ctx),
        // As submitted, never as approved since: a send retried after an approval must render the same email.
        clientName: `${ctx.submitter.firstName} ${ctx.submitter.lastName}`,
        clientType: ctx.request.newClient ? 'new' : 'existing',
        possibleExistingClient: ctx.request.possibleDuplicateClientId !== null,
        message: ctx.request.message ?? undefined,
      },
    });
  };
  const receipt = async (ctx: RequestContext): Promise<void> => {
    await deliverEmail(mailer, {
      kind: 'request-received',
      to: ctx.submitter.email,
      idempotencyKey: `request-received/${ctx.request.id}`,
      props: {
        ...ctx.slot,
        timeZone: ctx.submitter.timeZone,
        practiceName: ctx.practice.name,
        clientFirstName: ctx.submitter.firstName,
        clinicianName: ctx.clinicianName,
        serviceName: ctx.service.name,
        // As submitted, like the clinician's email: a retry after approval must render the same receipt.
        clientType: ctx.request.newClient ? 'new' : 'existing',
        portalUrl: portalUrl(ctx.practice.slug),
        myRequestsUrl: `${portalUrl(ctx.practice.slug)}/me`,
        ...(ctx.movesFrom ? { movesFrom: ctx.movesFrom } : {}),
      },
    });
  };

  return {
    /**
     * Confirms the API's transaction committed the request. Retried while it may still be committing; only when
     * the database has answered "no such row" for a minute of attempts is it given up (the transaction rolled
     * back). A database outage is never taken for that: its errors are retried for as long as it lasts.
     */
    async confirmRequestRecorded({
      requestId,
      since,
      clinicianId,
    }: {
      requestId: string;
      /** When the workflow first asked (epoch ms): a step run in rounds is scheduled anew each round. */
      since?: number;
      /**
       * The request's clinician: given, a request not found is looked for again once its submission has ended, and
       * not found then is never committed (no minute of retries).
       */
      clinicianId?: string;
    }): Promise<{ status: string }> {
      const found = await db.AppointmentRequest.findByPk(requestId);
      if (found) return { status: found.status };
      const settled = clinicianId ? await requestAfterSubmission(db, requestId, clinicianId) : undefined;
      if (settled) return { status: settled.status };
      const neverCommitted = () =>
        ApplicationFailure.create({
          type: 'REQUEST_NOT_RECORDED',
          message: `request ${requestId} was never committed`,
          nonRetryable: true,
        });
      if (settled === null) throw neverCommitted();
      const info = Context.current().info;
      if (
        info.currentAttemptScheduledTimestampMs - (since ?? info.scheduledTimestampMs) >=
        NOT_RECORDED_AFTER_MS
      )
        throw neverCommitted();
      // Expected while the API's transaction commits: typed, so the workflow does not flag it to operators.
      throw ApplicationFailure.create({
        type: 'REQUEST_NOT_YET_RECORDED',
        message: `request ${requestId} is not recorded (yet)`,
      });
    },

    /** Emails the clinician and adds the bell item for a new request. */
    async notifyClinicianOfRequest({ requestId }: { requestId: string }): Promise<void> {
      await newRequestNotice(await requestContext(db, requestId));
    },

    /** Tells the client their request arrived. */
    async sendRequestReceived({ requestId }: { requestId: string }): Promise<void> {
      await receipt(await requestContext(db, requestId));
    },

    /**
     * Both notices of a new request in one step: the clinician's (email and bell) and the client's receipt, sent
     * side by side from one read of the request. Each email keeps its own idempotency key, so a retry of the step
     * after one of them went out delivers that one no second time. A refusal by the provider is permanent and
     * reported per notice; any other failure makes the whole step retry.
     */
    async announceRequest({ requestId }: { requestId: string }): Promise<void> {
      const ctx = await requestContext(db, requestId);
      const sends = [
        { label: 'clinician notified', send: newRequestNotice },
        { label: 'receipt to client', send: receipt },
      ];
      const outcomes = await Promise.allSettled(sends.map(({ send }) => send(ctx)));
      const refused: RefusedNotice[] = [];
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'fulfilled') continue;
        const err: unknown = outcome.reason;
        if (!(err instanceof ApplicationFailure && err.type === 'EMAIL_REJECTED')) throw err;
        refused.push({ label: sends[i].label, type: err.type, message: err.message });
      }
      if (refused.length)
        throw ApplicationFailure.create({
          type: 'EMAIL_REJECTED',
          message: refused.map((r) => `${r.label}: ${r.message}`).join('; '),
          nonRetryable: true,
          details: [{ refused }],
        });
    },

    /** Books the request (client, appointment, hold) or reports why not; never retried into a double booking. */
    async approveRequest({
      requestId,
      actorId,
      asNewClient,
    }: {
      requestId: string;
      actorId: string | null;
      asNewClient?: boolean;
    }): Promise<ApprovalOutcome> {
      const outcome = await approveRequest(db, {
        requestId,
        actorId,
        asNewClient: asNewClient === true,
        now: clock.now(),
      });
      log.info({ requestId, ok: outcome.ok, code: outcome.ok ? undefined : outcome.code }, 'approval');
      // After the commit, and retried with this step (a retry finds the approval done): the booked or moved
      // appointment's reminders start or re-plan.
      if (outcome.ok) await wakeAppointmentWorkflow(outcome.appointmentId, { start: true });
      return outcome;
    },

    /** Declines, withdraws or expires a pending request and frees its slot. */
    async closeRequest(opts: {
      requestId: string;
      status: 'declined' | 'withdrawn' | 'expired';
      note?: string | null;
      noteId?: string | null;
      actorId?: string | null;
    }): Promise<CloseOutcome> {
      return closeRequest(db, { ...opts, now: clock.now() });
    },

    /** Emails the client the outcome: confirmation with an .ics invite, decline (with the note), or expiry. */
    async sendOutcomeToClient({
      requestId,
      outcome,
    }: {
      requestId: string;
      outcome: 'approved' | 'declined' | 'expired';
    }): Promise<void> {
      const ctx = await requestContext(db, requestId);
      const common = {
        ...ctx.slot,
        timeZone: ctx.client.timeZone,
        practiceName: ctx.practice.name,
        clientFirstName: ctx.client.firstName,
        clinicianName: ctx.clinicianName,
        serviceName: ctx.service.name,
        portalUrl: portalUrl(ctx.practice.slug),
        ...(ctx.movesFrom ? { movesFrom: ctx.movesFrom } : {}),
      };
      const idempotencyKey = `request-${outcome}/${requestId}`;
      if (outcome === 'declined') {
        await deliverEmail(mailer, {
          kind: 'request-declined',
          to: ctx.client.email,
          idempotencyKey,
          props: { ...common, note: ctx.request.declineNote ?? undefined },
        });
        return;
      }
      if (outcome === 'expired') {
        await deliverEmail(mailer, {
          kind: 'request-expired',
          to: ctx.client.email,
          idempotencyKey,
          props: common,
        });
        return;
      }
      const appointmentId = ctx.request.appointmentId!;
      const appointment = await db.Appointment.findByPk(appointmentId);
      const cutoff = cancellationCutoff(ctx.request.startsAt, appointment!.cancellationPolicy);
      const cancellation: CancellationTerms =
        appointment!.cancellationPolicy === 'phone_call'
          ? { policy: 'phone_call' }
          : {
              policy: appointment!.cancellationPolicy,
              freeUntil: cutoff!,
              bookedAt: ctx.request.decidedAt ?? clock.now(),
            };
      const ics = buildIcs({
        uid: appointmentUid(appointmentId),
        // A reschedule replaces the appointment's event in the client's calendar: its sequence went up on approval.
        ...(ctx.request.kind === 'reschedule' ? { sequence: appointment!.inviteSequence } : {}),
        startsAt: ctx.request.startsAt,
        endsAt: ctx.request.endsAt,
        summary: `${ctx.service.name} with ${ctx.clinicianName}`,
        description: `${ctx.practice.name}${ctx.practice.phone ? `, ${ctx.practice.phone}` : ''}`,
        location: ctx.practice.name,
        // The decision's moment, not the attempt's: a retried send must carry the same payload under its
        // idempotency key, or the provider refuses it (409) although the first one went out.
        now: ctx.request.decidedAt ?? clock.now(),
      });
      await deliverEmail(mailer, {
        kind: 'request-approved',
        to: ctx.client.email,
        idempotencyKey,
        attachments: [icsAttachment(ics)],
        props: {
          ...common,
          practicePhone: contactPhone(ctx.clinician, ctx.practice) ?? undefined,
          cancellation,
        },
      });
    },

    /**
     * Tells the clinician (email and bell) that the client withdrew. Not for a request to move an appointment that
     * was canceled meanwhile (closed with it, booking/requestClosing.ts): the cancelation has its own notice.
     */
    async notifyClinicianWithdrawn({ requestId }: { requestId: string }): Promise<void> {
      const ctx = await requestContext(db, requestId);
      if (ctx.request.kind === 'reschedule' && ctx.request.appointmentId) {
        const appointment = await db.Appointment.findByPk(ctx.request.appointmentId);
        if (appointment && isCanceled(appointment.status)) return;
      }
      await ringBell(db, {
        userId: ctx.clinician.id,
        kind: 'request_withdrawn',
        requestId,
        dedupeKey: `request-withdrawn/${requestId}`,
      });
      await deliverEmail(mailer, {
        kind: 'request-withdrawn',
        to: ctx.clinician.email,
        idempotencyKey: `request-withdrawn/${requestId}`,
        props: { ...clinicianProps(ctx), clientName: ctx.client.name },
      });
    },
  };
}
