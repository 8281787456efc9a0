import type { StaffRole } from '../../models/staffUser';

/** The signed-in staff user a request acts as. */
export interface StaffPrincipal {
  id: string;
  practiceId: string;
  role: StaffRole;
  sessionId: string;
}

/** The signed-in portal client a request acts as. */
export interface ClientPrincipal {
  id: string;
  practiceId: string;
  /** The token's own id and expiry, for signing out. */
  tokenId: string;
  tokenExpiresAt: Date;
}

declare global {
  // Express's own extension point for typed res.locals.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      staff?: StaffPrincipal;
      client?: ClientPrincipal;
      query?: unknown;
    }
  }
}

/** Admin clinicians and practice managers change practice settings and act for any clinician. */
export function managesPractice(staff: StaffPrincipal): boolean {
  return staff.role === 'admin_clinician' || staff.role === 'practice_manager';
}
