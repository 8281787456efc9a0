import { createHash } from 'node:crypto';
import { Op, UniqueConstraintError, ExclusionConstraintError, type Transaction } from 'sequelize';
import { type AppointmentRequest, type NewClientDetails } from '../models/appointmentRequest';

import type { Practice } from '../models/practice';
import { isSlotOffered } from '../scheduling';
import { BookingError } from './errors';
import { loadSlotQuery, lockClinicianSchedule } from './schedule';
import { assertAcceptsNewClients, bookableFor } from './bookable';
import { toRequestView, type RequestView } from './requestView';
import { confirmEmailVerification } from './emailVerification';
import { mailboxOf } from './mailbox';
import { signInClientByEmail } from './clients';
import type { OneTimeCodes } from './oneTimeCodes';
import type { Store } from '../models/store';

/**
 * Who is asking: a signed-in client, or a new client with the details they typed and the code that proves the
 * address is theirs (POST /portal/:slug/email-verifications).
 */
export type Requester =
  { clientId: string } | { newClient: NewClientDetails; emailVerificationCode: string | null };

/** What the workflow needs to run a request; nothing personal, so it is safe in workflow ids and history. */
export interface RequestWorkflowInput {
  requestId: string;
  practiceId: string;
  clinicianId: string;
  startsAt: string;
  requestedAt: string;
  lifetimeHours: number;
}

export interface SubmitRequestInput {
  practice: Practice;
  clinicianId: string;
  serviceId: string;
  startsAt: Date;
  requester: Requester;
  message?: string | null;
  clientTimeZone?: string | null;
  idempotencyKey?: string | null;
  now: Date;
  /** Checks a new client's emailVerificationCode. */
  codes: OneTimeCodes;
}

// A bot (or an anxious client) must not be able to hold every slot: pending requests per email are capped.
export const MAX_PENDING_PER_EMAIL = 3;

/**
 * Records a request and its slot hold and starts its workflow, all or nothing: the workflow is started inside
 * the transaction, so a 201 is only ever sent for a request that is both committed and durably running. A
 * workflow whose transaction then rolls back finds no row and ends by itself.
 */
export async function submitRequest(
  db: Store,
  input: SubmitRequestInput,
  startWorkflow: (w: RequestWorkflowInput) => Promise<void>,
): Promise<{ request: RequestView; created: boolean }> {
  const { practice, requester } = input;
  // Before anything is held, and outside the transaction, so a wrong code counts as a try even though the
  // refusal rolls everything else back.
  if ('newClient' in requester) {
    // Said first: a practice that takes no new clients has no code to ask for.
    assertAcceptsNewClients(practice);
    const verified = await confirmEmailVerification(db, input.codes, {
      practiceId: practice.id,
      email: requester.newClient.email,
      code: requester.emailVerificationCode,
      now: input.now,
    });
    if (!verified) {
      throw new BookingError(
        'EMAIL_NOT_VERIFIED',
        'Confirm your email address with the 6-digit code we emailed you. If it has expired, ask for a new one.',
        '/emailVerificationCode',
      );
    }
  }
  try {
    return await db.sequelize.transaction(async (transaction) => {
      // Taken first, so a retried submission waits for the first one and then finds it by its key.
      await lockClinicianSchedule(db, input.clinicianId, transaction);
      if (input.idempotencyKey) {
        const earlier = await findByIdempotencyKey(db, practice.id, input.idempotencyKey, transaction);
        if (earlier) return { request: replayOf(earlier, input), created: false };
      }
      const { clinician, service } = await bookableFor(
        db,
        practice,
        input.clinicianId,
        input.serviceId,
        !('newClient' in requester),
        transaction,
      );
      let possibleDuplicateClientId: string | null = null;
      let email: string;
      if ('newClient' in requester) {
        email = requester.newClient.email;
        // An archived client's address is flagged like any other: the submitter, who proved the address is
        // theirs, is told nothing different, and staff decide (approving for an archived client is refused).
        const existing = await signInClientByEmail(db, practice.id, email, transaction);
        possibleDuplicateClientId = existing?.id ?? null;
      } else {
        const client = await db.Client.findOne({
          where: { id: requester.clientId, practiceId: practice.id },
          transaction,
        });
        if (!client) throw new BookingError('REQUEST_NOT_FOUND', 'Sign in again.');
        // The token check refuses archived clients already; this covers one archived while signed in.
        if (client.archivedAt)
          throw new BookingError(
            'CLIENT_ARCHIVED',
            'Online requests are not available for your account. Please contact the practice.',
          );
        email = client.email;
      }
      const mailbox = mailboxOf(email);
      await enforcePendingCap(db, practice.id, requester, mailbox, transaction);
      const endsAt = new Date(input.startsAt.getTime() + service.durationMinutes * 60_000);
      const query = await loadSlotQuery(db, {
        clinicianId: clinician.id,
        durationMinutes: service.durationMinutes,
        from: input.startsAt,
        to: endsAt,
        now: input.now,
        timeZone: practice.timeZone,
        transaction,
      });
      if (!isSlotOffered(query, input.startsAt)) {
        throw new BookingError(
          'SLOT_UNAVAILABLE',
          'That time is no longer available. Please pick another.',
          '/startsAt',
        );
      }
      const hold = await db.TimeHold.create(
        { clinicianId: clinician.id, during: db.TimeHold.range(input.startsAt, endsAt), kind: 'request' },
        { transaction },
      );
      const request = await db.AppointmentRequest.create(
        {
          practiceId: practice.id,
          clinicianId: clinician.id,
          serviceId: service.id,
          clientId: 'clientId' in requester ? requester.clientId : null,
          newClient: 'newClient' in requester ? requester.newClient : null,
          possibleDuplicateClientId,
          message: input.message ?? null,
          clientTimeZone: input.clientTimeZone ?? null,
          startsAt: input.startsAt,
          endsAt,
          holdId: hold.id,
          idempotencyKey: input.idempotencyKey ?? null,
          idempotencyBodyHash: input.idempotencyKey ? requestBodyHash(input) : null,
          mailbox,
          createdAt: input.now,
        },
        { transaction },
      );
      await startWorkflow({
        requestId: request.id,
        practiceId: practice.id,
        clinicianId: clinician.id,
        startsAt: input.startsAt.toISOString(),
        requestedAt: request.createdAt.toISOString(),
        lifetimeHours: practice.requestLifetimeHours,
      });
      return { request: toRequestView(request), created: true };
    });
  } catch (err) {
    // The exclusion constraint is the last word on overlaps when two submissions race past the checks.
    if (err instanceof ExclusionConstraintError) {
      throw new BookingError(
        'SLOT_UNAVAILABLE',
        'That time is no longer available. Please pick another.',
        '/startsAt',
      );
    }
    if (err instanceof UniqueConstraintError && input.idempotencyKey) {
      const earlier = await findByIdempotencyKey(db, practice.id, input.idempotencyKey);
      if (earlier) return { request: replayOf(earlier, input), created: false };
    }
    throw err;
  }
}

function findByIdempotencyKey(db: Store, practiceId: string, key: string, transaction?: Transaction) {
  return db.AppointmentRequest.findOne({ where: { practiceId, idempotencyKey: key }, transaction });
}

/**
 * What a submission asks for, as one SHA-256: the fields after the API's normalisation (trimmed, the instant in
 * UTC, the email in lower case), in a fixed order. Credentials that only prove who asks are left out, so a retry
 * that carries a fresh one is still the same request.
 */
export function requestBodyHash(input: SubmitRequestInput): string {
  const { requester } = input;
  const who =
    'clientId' in requester
      ? { clientId: requester.clientId }
      : {
          newClient: [
            requester.newClient.firstName,
            requester.newClient.lastName,
            requester.newClient.email.toLowerCase(),
            requester.newClient.phone,
          ],
        };
  const canonical = JSON.stringify([
    input.clinicianId,
    input.serviceId,
    input.startsAt.toISOString(),
    who,
    input.message ?? null,
    input.clientTimeZone ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * A replayed key returns the first response, but only to whoever made the first request, and only for the same
 * request: a key reused for another body would otherwise be told "recorded" about something it never asked.
 */
function replayOf(earlier: AppointmentRequest, input: SubmitRequestInput): RequestView {
  const { requester } = input;
  const same =
    'clientId' in requester
      ? earlier.clientId === requester.clientId
      : earlier.newClient?.email.toLowerCase() === requester.newClient.email.toLowerCase();
  if (!same)
    throw new BookingError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request.');
  // Rows recorded before the hash was kept have none to compare: they replay as before.
  if (earlier.idempotencyBodyHash && earlier.idempotencyBodyHash !== requestBodyHash(input)) {
    throw new BookingError(
      'IDEMPOTENCY_KEY_MISMATCH',
      'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
    );
  }
  return toRequestView(earlier);
}

/**
 * Refuses a request past MAX_PENDING_PER_EMAIL pending ones from the same mailbox (mailboxOf: case, +tags, Gmail
 * dots) or the same client. The clinician lock does not cover requests to another clinician, so the mailbox has
 * a lock of its own until the transaction ends: simultaneous requests to several clinicians count one by one.
 */
async function enforcePendingCap(
  db: Store,
  practiceId: string,
  requester: Requester,
  mailbox: string,
  transaction: Transaction,
): Promise<void> {
  await db.sequelize.query('SELECT pg_advisory_xact_lock(hashtext(:key))', {
    replacements: { key: `pending-cap:${practiceId}:${mailbox}` },
    transaction,
  });
  const pending = await db.AppointmentRequest.count({
    where: {
      practiceId,
      status: 'pending',
      [Op.or]: [...('clientId' in requester ? [{ clientId: requester.clientId }] : []), { mailbox }],
    },
    transaction,
  });
  if (pending >= MAX_PENDING_PER_EMAIL) {
    throw new BookingError(
      'TOO_MANY_PENDING_REQUESTS',
      `You already have ${pending} requests waiting for an answer. Please wait for a reply.`,
    );
  }
}
