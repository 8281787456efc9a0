/** An invitation's link works this long (DESIGN.md section 8). */
export const INVITATION_VALID_DAYS = 7;
/** An open invitation is emailed once more this long after it was sent. */
export const INVITATION_REMINDER_AFTER_DAYS = 3;

/** Where an invitation stands; only `open` can be accepted, revoked or reminded of. */
export type InvitationState = 'open' | 'accepted' | 'revoked' | 'expired';

/** The fields of an invitation that decide its state. */
export interface InvitationDates {
  expiresAt: Date | string;
  acceptedAt: Date | string | null;
  revokedAt: Date | string | null;
  expiredAt: Date | string | null;
}

/** "Can this invitation still be used at now?" A link past its expiry is expired even before the workflow marks it. Pure. */
export function invitationState(inv: InvitationDates, now: Date): InvitationState {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  if (inv.expiredAt || new Date(inv.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'open';
}

/** The sentence a person sees when a link can no longer be used, by why. */
export function invitationGoneMessage(state: Exclude<InvitationState, 'open'>): string {
  switch (state) {
    case 'accepted':
      return 'This invitation has already been accepted. Sign in with your email and password instead.';
    case 'revoked':
      return 'This invitation was withdrawn by the practice. Ask them to invite you again if you still need access.';
    case 'expired':
      return `This invitation has expired (links work for ${INVITATION_VALID_DAYS} days). Ask the practice to invite you again.`;
  }
}
