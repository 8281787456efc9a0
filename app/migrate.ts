import { loadConfig } from './config';
import { openDatabase, migrateDatabase } from './runtime';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (the production release step). */
async function main(): Promise<void> {
  const config = loadConfig();
  const { db, stops } = await openDatabase(config, { allowEmbedded: false });
  await migrateDatabase(db, console.log);
  for (const stop of stops) await stop();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
