/**
 * "May the client still ask to move it online?": only while canceling it online now would be a free cancelation.
 * The portal offers the button by this, and the submission enforces it.
 */
export function mayRequestReschedule(options: {
  canCancelOnline: boolean;
  cancelNowAs: string | null;
}): boolean {
  return options.canCancelOnline && options.cancelNowAs === 'canceled';
}

/**
 * What a client whose appointment can only be moved by calling is told, with the number: under the phone-only
 * policy always, otherwise once the free-cancelation cutoff has passed. Pure, as every rule here.
 */
export function rescheduleByPhoneMessage(phone: string | null, opts: { byPhoneOnly: boolean }): string {
  const call = phone ? `please call ${phone}` : 'please call your clinician or the practice';
  if (opts.byPhoneOnly) return `This appointment can't be moved online; to change it, ${call}.`;
  return `This appointment can no longer be moved online without counting as a late cancelation; to change it, ${call}.`;
}
