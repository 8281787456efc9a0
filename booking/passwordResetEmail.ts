/** Which reset row the email is about: its id only, so no address or link ever reaches Temporal's history. */
export interface PasswordResetEmailInput {
  id: string;
}

/** sent: delivered (or replayed by key); skipped: no staff user behind the address, or the link is dead. */
export type PasswordResetEmailOutcome = 'sent' | 'skipped' | 'rejected';
