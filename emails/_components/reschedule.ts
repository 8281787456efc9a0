import { formatSlot, type Instant } from './format';

/**
 * The appointment's time before a client's reschedule request (its time now while the request waits, its old time
 * once approved). Present only on a request of kind `reschedule`: the request emails then say "reschedule" and name
 * both times.
 */
export interface MovesFrom {
  startsAt: Instant;
  endsAt: Instant;
}

/** The earlier time as the slot rows write it, in the reader's zone. */
export const formatMovesFrom = (from: MovesFrom, timeZone: string) => formatSlot({ ...from, timeZone });

/** The preview's appointment as it was before the move: the week before the preview story's slot. */
export const previewMovesFrom: MovesFrom = {
  startsAt: '2026-10-27T14:00:00Z',
  endsAt: '2026-10-27T14:50:00Z',
};
