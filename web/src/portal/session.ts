import { useState } from 'react';
import { browserZone } from '../format';
import type { ClientSession } from './types';

const sessionKey = (slug: string) => `portal-session:${slug}`;
const ZONE_KEY = 'portal-time-zone';

/** The signed-in client for this practice in this tab (sessionStorage: gone when the tab closes). */
export function useClientSession(slug: string) {
  const [session, setSession] = useState<ClientSession | null>(() => {
    const raw = sessionStorage.getItem(sessionKey(slug));
    if (!raw) return null;
    // Expiry is the server's call (a 401), not this device's clock, which may be off.
    return JSON.parse(raw) as ClientSession;
  });
  const save = (next: ClientSession | null) => {
    if (next) sessionStorage.setItem(sessionKey(slug), JSON.stringify(next));
    else sessionStorage.removeItem(sessionKey(slug));
    setSession(next);
  };
  return [session, save] as const;
}

/** The zone the client reads times in: the browser's unless they picked another. */
export function useZone(): [string, (zone: string) => void] {
  const [zone, setZone] = useState(() => sessionStorage.getItem(ZONE_KEY) ?? browserZone());
  return [
    zone,
    (next: string) => {
      sessionStorage.setItem(ZONE_KEY, next);
      setZone(next);
    },
  ];
}
