/**
 * Which row a portal email is about (a code, or a staff member's invitation to the portal): ids only, so no code
 * or address ever reaches Temporal's history.
 */
export interface PortalEmailInput {
  kind: 'sign-in-code' | 'email-verification' | 'portal-invitation';
  id: string;
}

/** sent: delivered (or replayed by key); skipped: nobody to send to, or the code can no longer be used. */
export type PortalEmailOutcome = 'sent' | 'skipped' | 'rejected';
