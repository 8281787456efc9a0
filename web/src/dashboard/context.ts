import { createContext, useContext } from 'react';
import type { CallOptions, Page } from '../api';
import type { StaffUser } from './types';

/** The signed-in staff user, their zone, and API calls with their token (a 401 signs them out). */
export interface Staff {
  user: StaffUser;
  zone: string;
  call: <T>(path: string, opts?: Omit<CallOptions, 'token'>) => Promise<T>;
  /** A paged list: one page and the address of the next. */
  callPage: <T>(path: string, opts?: Omit<CallOptions, 'token'>) => Promise<Page<T>>;
}

export const StaffContext = createContext<Staff | null>(null);

export function useStaff(): Staff {
  const staff = useContext(StaffContext);
  if (!staff) throw new Error('useStaff outside the dashboard');
  return staff;
}

/** Fired when the bell sees new notifications, so open lists refresh. */
export const NOTIFICATIONS_CHANGED = 'dashboard:notifications-changed';
/** Fired by the Requests page when a request was decided here: the bell marks its entry read at once, not a poll later. */
export const REQUEST_DECIDED = 'dashboard:request-decided';
