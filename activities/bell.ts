import type { Store } from '../models/store';

/** Adds a bell item once: a retried activity finds the first by its dedupe key instead of adding another. */
export async function ringBell(
  db: Store,
  item: {
    userId: string;
    kind: string;
    dedupeKey: string;
    requestId?: string | null;
    appointmentId?: string | null;
  },
): Promise<void> {
  await db.Notification.findOrCreate({
    where: { userId: item.userId, dedupeKey: item.dedupeKey },
    defaults: {
      userId: item.userId,
      kind: item.kind,
      dedupeKey: item.dedupeKey,
      requestId: item.requestId ?? null,
      appointmentId: item.appointmentId ?? null,
    },
  });
}
