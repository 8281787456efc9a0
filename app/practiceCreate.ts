import { loadConfig } from './config';
import { openDatabase, migrateDatabase, openTemporal } from './runtime';
import { resolveAuthSecret } from './secret';
import { parsePracticeArgs, practiceCreateUsage } from './practiceArgs';
import { oneTimeCodes } from '../booking/oneTimeCodes';
import { BookingError } from '../booking/errors';
import { INVITATION_VALID_DAYS } from '../booking/rules/staffInvitation';
import { createPractice } from '../booking/staffOnboarding';
import { startStaffInvitation } from '../temporal/staffInvitations';
import { slugProblem } from '../api/practices';

/**
 * `npm run practice:create -- --name … --time-zone … --admin-email …`: the operator's way to start a practice in
 * production (against DATABASE_URL and TEMPORAL_ADDRESS). Arguments are checked before anything is opened, so a
 * mistake writes nothing; then migrations run if needed, the practice and its first admin's invitation commit
 * together with the start of the invitation's workflow, which the worker turns into an email.
 */
async function main(): Promise<number> {
  const parsed = parsePracticeArgs(process.argv.slice(2));
  if ('error' in parsed) {
    console.error(`${parsed.error}\n${practiceCreateUsage}`);
    return 2;
  }
  const { args } = parsed;
  const config = loadConfig();
  const stops: (() => Promise<void>)[] = [];
  try {
    const database = await openDatabase(config, { allowEmbedded: false });
    stops.push(...database.stops);
    await migrateDatabase(database.db, (line) => console.error(line));
    const temporal = await openTemporal(config, { allowDevServer: false });
    stops.unshift(...temporal.stops);
    const codes = oneTimeCodes(resolveAuthSecret(config.authSecret, config.dataDir));
    const { practice } = await createPractice(
      database.db,
      { name: args.name, timeZone: args.timeZone, admin: args.admin, now: new Date(), codes, slugProblem },
      (id) => startStaffInvitation(temporal.client, config.taskQueue, id),
    );
    console.log(`Created practice "${practice.name}" with slug ${practice.slug}.`);
    console.log(
      [
        '',
        'What happens next:',
        `- ${args.admin.email} is emailed a link to set a password (it works once, for ${INVITATION_VALID_DAYS} days; a worker must be running to send it).`,
        `- Following it signs them in to ${config.publicUrl}/app as the practice's admin clinician.`,
        '- There they invite clinicians and staff, set availability and services, and turn the client portal on;',
        `  clients then book at ${config.publicUrl}/portal/${practice.slug}.`,
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (err instanceof BookingError && err.code === 'STAFF_EMAIL_TAKEN') {
      console.error(
        `${args.admin.email} already has a staff account or an open invitation; nothing was created.`,
      );
      return 1;
    }
    console.error(
      `practice:create failed, nothing was created: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
