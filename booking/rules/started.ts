/**
 * Has the slot started at `now`? The one rule behind "too late to approve", "too late to cancel" and the portal's
 * "can I still cancel": from its first minute on, a slot is in the past for every decision. Pure (no I/O, no
 * clock of its own), so workflows may import it too.
 */
export function hasStarted(slot: { startsAt: Date | string }, now: Date | number): boolean {
  const startsAt = typeof slot.startsAt === 'string' ? Date.parse(slot.startsAt) : slot.startsAt.getTime();
  const at = typeof now === 'number' ? now : now.getTime();
  return startsAt <= at;
}
