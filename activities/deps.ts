import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../emails/mailer';
import type { OneTimeCodes } from '../booking/oneTimeCodes';
import type { Store } from '../models/store';

/** What activities are built from; real parts in the worker, the same real parts against test servers in tests. */
export interface ActivityDeps {
  db: Store;
  clock: Clock;
  log: Logger;
  mailer: Mailer;
  publicUrl: string;
  /** Derives the portal codes it emails (from AUTH_SECRET, shared with the API). */
  codes: OneTimeCodes;
}
