import { loadConfig } from './config';
import { openDatabase, migrateDatabase, openTemporal } from './runtime';
import { futureScheduledAppointments } from '../booking/reminders';
import { backfillAppointmentWorkflows } from '../temporal/appointments';

/**
 * `npm run reminders:backfill`: once, after deploying reminders, starts the reminder workflow of every scheduled
 * appointment still ahead that has none (against DATABASE_URL and TEMPORAL_ADDRESS). Safe to run again: running
 * workflows are left alone and counted. Moments already past at the run are not sent (booked before them? yes, but
 * a burst of late reminders on deploy day helps nobody): only the latest one, if the appointment is still ahead.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const stops: (() => Promise<void>)[] = [];
  try {
    const database = await openDatabase(config, { allowEmbedded: false });
    stops.push(...database.stops);
    await migrateDatabase(database.db, (line) => console.error(line));
    const temporal = await openTemporal(config, { allowDevServer: false });
    stops.unshift(...temporal.stops);
    const appointments = await futureScheduledAppointments(database.db, new Date());
    const counts = await backfillAppointmentWorkflows(
      temporal.client,
      config.taskQueue,
      appointments.map((a) => a.id),
    );
    console.log(
      `Scheduled appointments ahead: ${counts.appointments}; reminder workflows started: ${counts.started}; already running: ${counts.alreadyRunning}.`,
    );
    return 0;
  } catch (err) {
    console.error(`reminders:backfill failed: ${err instanceof Error ? err.message : String(err)}`);
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
