import { timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { OneTimeCodes } from './oneTimeCodes';
import type { Store } from '../models/store';

/**
 * The address in every reminder email that stops reminders for its client: one per client, not per email, so any
 * reminder's link (and the List-Unsubscribe header) keeps working, and a second click changes nothing. The token is
 * an HMAC of the client id, so nothing is stored for it and the worker can build it again from the id alone.
 */
export function reminderOptOutUrl(
  codes: OneTimeCodes,
  input: { publicUrl: string; slug: string; clientId: string },
): string {
  const base = input.publicUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({
    client: input.clientId,
    token: codes.linkToken('reminder-opt-out', input.clientId),
  });
  return `${base}/portal/${encodeURIComponent(input.slug)}/reminders/opt-out?${query.toString()}`;
}

/** Whether token is the opt-out token of this client (constant time, whatever was sent). */
export function reminderOptOutTokenMatches(codes: OneTimeCodes, clientId: string, token: string): boolean {
  const expected = Buffer.from(codes.linkToken('reminder-opt-out', clientId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Whether a reminder email may go to this client: false once they opted out, or when there is no such client. */
export async function remindersWanted(
  db: Store,
  clientId: string,
  transaction?: Transaction,
): Promise<boolean> {
  const client = await db.Client.findByPk(clientId, {
    attributes: ['id', 'remindersOptedOutAt'],
    transaction,
  });
  return client !== null && client.remindersOptedOutAt === null;
}

/** What a click on the opt-out link did; a link that is not this practice's client's is one answer, whichever. */
export type ReminderOptOutOutcome = 'opted_out' | 'already_opted_out' | 'invalid_link';

/**
 * Stops reminder emails for the client the link names, by the link alone (no sign-in: the mail client's one-click
 * unsubscribe has none to give). A forged token, an unknown client and another practice's client all answer
 * invalid_link and write nothing, so the answer never tells whether a client id exists. Not a staff change: the
 * client's own choice is kept on their row and writes no staff audit entry.
 */
export async function optOutOfReminders(
  db: Store,
  codes: OneTimeCodes,
  input: { slug: string; clientId: string; token: string; now: Date },
): Promise<ReminderOptOutOutcome> {
  if (!reminderOptOutTokenMatches(codes, input.clientId, input.token)) return 'invalid_link';
  return db.sequelize.transaction(async (transaction) => {
    const practice = await db.Practice.findOne({
      where: { slug: input.slug.toLowerCase() },
      attributes: ['id'],
      transaction,
    });
    const client = practice
      ? await db.Client.findOne({
          where: { id: input.clientId, practiceId: practice.id },
          lock: transaction.LOCK.UPDATE,
          transaction,
        })
      : null;
    if (!client) return 'invalid_link';
    // The first moment stays: a repeated click (or a mail client's retry) is not a new choice.
    if (client.remindersOptedOutAt !== null) return 'already_opted_out';
    await client.update({ remindersOptedOutAt: input.now }, { transaction });
    return 'opted_out';
  });
}

/** A signed-in client's reminder choice as the portal shows it. */
export interface ReminderChoice {
  enabled: boolean;
  optedOutAt: Date | null;
}

/** The reminder choice of a client of the practice, or null when there is no such client there. */
export async function reminderChoiceOf(
  db: Store,
  input: { practiceId: string; clientId: string },
): Promise<ReminderChoice | null> {
  const client = await db.Client.findOne({
    where: { id: input.clientId, practiceId: input.practiceId },
    attributes: ['id', 'remindersOptedOutAt'],
  });
  return client
    ? { enabled: client.remindersOptedOutAt === null, optedOutAt: client.remindersOptedOutAt }
    : null;
}

/**
 * The signed-in client turns reminder emails on or off from the portal; null when there is no such client. Setting
 * what is already set keeps the moment of the first opt-out. The client's own change: no staff audit entry.
 */
export async function setRemindersWanted(
  db: Store,
  input: { practiceId: string; clientId: string; enabled: boolean; now: Date },
): Promise<ReminderChoice | null> {
  return db.sequelize.transaction(async (transaction) => {
    const client = await db.Client.findOne({
      where: { id: input.clientId, practiceId: input.practiceId },
      lock: transaction.LOCK.UPDATE,
      transaction,
    });
    if (!client) return null;
    const wanted = client.remindersOptedOutAt === null;
    if (wanted !== input.enabled)
      await client.update({ remindersOptedOutAt: input.enabled ? null : input.now }, { transaction });
    return { enabled: input.enabled, optedOutAt: client.remindersOptedOutAt };
  });
}
