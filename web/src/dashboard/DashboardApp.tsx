import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, call as apiCall, callPage as apiCallPage, type CallOptions } from '../api';
import { browserZone, fullName } from '../format';
import { Link, navigate } from '../router';
import { PageHeading } from '../ui';
import { Bell } from './Bell';
import { MainNav } from './MainNav';
import { Calendar } from './Calendar';
import { ClientPortalSettings } from './ClientPortalSettings';
import { PracticeSettings } from './PracticeSettings';
import { Availabilities } from './Availabilities';
import { Requests } from './Requests';
import { Clients } from './Clients';
import { ClientProfile } from './ClientProfile';
import { StaffSignIn } from './StaffSignIn';
import { Staff as StaffPage } from './Staff';
import { AcceptInvitation } from './AcceptInvitation';
import { SignUp, SignUpLink } from './SignUp';
import { ForgotPassword } from './ForgotPassword';
import { ResetPassword } from './ResetPassword';
import { Profile } from './Profile';
import { AuditLog } from './AuditLog';
import { StaffContext, type Staff } from './context';
import { managesPractice, type StaffSession } from './types';

const roleLabel = {
  admin_clinician: 'Admin clinician',
  clinician: 'Clinician',
  practice_manager: 'Practice manager',
} as const;

// Not the session (that is an HttpOnly cookie no script can read): the time of the last keyboard or pointer use
// in any tab, so one tab left alone does not sign out the tab being worked in.
const ACTIVITY_KEY = 'dashboard-last-activity';
const lastActivity = () => Number(localStorage.getItem(ACTIVITY_KEY) ?? 0);
const idleFor = (session: StaffSession) => Date.now() - lastActivity() > session.idleTimeoutMinutes * 60_000;
const idleReason = (session: StaffSession) =>
  `You were signed out after ${session.idleTimeoutMinutes} minutes without activity.`;

/**
 * Stops the app's own polling from keeping an unattended session alive: without keyboard or pointer activity in
 * any tab for the server's idle timeout, the dashboard signs out (ending the session) as the server would.
 */
function useIdleSignOut(session: StaffSession | null, signOut: (reason: string) => void) {
  useEffect(() => {
    if (!session) return;
    const touch = () => localStorage.setItem(ACTIVITY_KEY, String(Date.now()));
    touch();
    const events = ['keydown', 'pointerdown', 'scroll'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true });
    const timer = window.setInterval(() => {
      if (idleFor(session)) signOut(idleReason(session));
    }, 30_000);
    return () => {
      for (const e of events) window.removeEventListener(e, touch);
      window.clearInterval(timer);
    };
  }, [session, signOut]);
}

/** The clinician dashboard under /app: sign-in, the bell, requests, calendar and settings. */
export function DashboardApp({ path }: { path: string }) {
  // undefined while asking the server whether this browser's cookie still holds a session.
  const [session, setSession] = useState<StaffSession | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    apiCall<StaffSession>('/api/auth/session').then(
      (s) => live && setSession(s),
      () => live && setSession(null),
    );
    return () => {
      live = false;
    };
  }, []);

  // The session the page shows now: an answer to a request sent before a sign-out (a 401 from the bell's poll,
  // say) must not sign out again, or its notice would replace the reason the person was signed out.
  const current = useRef<StaffSession | null | undefined>(undefined);
  current.current = session;
  const signOut = useCallback((reason?: string) => {
    // The server ends the session and clears the cookie; a session that already ended answers 401, which is fine.
    void apiCall('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    current.current = null;
    setNotice(reason ?? null);
    setSession(null);
  }, []);
  useIdleSignOut(session ?? null, signOut);

  const staff = useMemo<Staff | null>(() => {
    if (!session) return null;
    const signedIn = async <R,>(run: () => Promise<R>): Promise<R> => {
      try {
        return await run();
      } catch (err) {
        // Another tab may have ended the session for idleness first, and this tab's poll meets the 401 before its
        // own idle check runs: the person should read the same reason in every tab.
        if (err instanceof ApiError && err.status === 401 && current.current === session)
          signOut(idleFor(session) ? idleReason(session) : 'Your session has ended. Please sign in again.');
        throw err;
      }
    };
    return {
      user: session.user,
      zone: session.user.timeZone ?? browserZone(),
      call: <T,>(p: string, opts: Omit<CallOptions, 'token'> = {}) => signedIn(() => apiCall<T>(p, opts)),
      callPage: <T,>(p: string, opts: Omit<CallOptions, 'token'> = {}) =>
        signedIn(() => apiCallPage<T>(p, opts)),
    };
  }, [session, signOut]);

  const route = path.replace(/\/$/, '') || '/';
  useEffect(() => {
    if (staff && route === '/') navigate('/app/requests', { replace: true });
  }, [staff, route]);

  // Pages for people who cannot sign in; the reset link works whoever is signed in on this browser.
  if (route === '/forgot-password' || route === '/reset-password') {
    return (
      <main id="main" className="container narrow">
        {route === '/forgot-password' ? (
          <ForgotPassword />
        ) : (
          <ResetPassword onReset={() => setSession(null)} />
        )}
      </main>
    );
  }
  // Reached from emails and the sign-in page before anyone is signed in.
  if (route === '/accept-invitation') {
    return (
      <main id="main" className="container narrow">
        <AcceptInvitation
          onSignedIn={(s) => {
            setNotice(null);
            setSession(s);
            navigate('/app/requests', { replace: true });
          }}
        />
      </main>
    );
  }
  if (route === '/signup') {
    return (
      <main id="main" className="container narrow">
        <SignUp />
      </main>
    );
  }
  if (session === undefined) {
    return (
      <main id="main" className="container narrow">
        <p role="status">Loading…</p>
      </main>
    );
  }

  if (!staff) {
    return (
      <main id="main" className="container narrow">
        <StaffSignIn
          notice={notice}
          onSignedIn={(s) => {
            setNotice(null);
            setSession(s);
          }}
        />
        <SignUpLink />
      </main>
    );
  }

  const manager = managesPractice(staff.user);
  const nav = [
    { to: '/app/requests', label: 'Appointment Requests' },
    { to: '/app/calendar', label: 'Calendar' },
    { to: '/app/clients', label: 'Clients' },
    { to: '/app/staff', label: 'Staff' },
    ...(manager
      ? [
          { to: '/app/settings/practice', label: 'Practice' },
          { to: '/app/settings/client-portal', label: 'Client Portal' },
        ]
      : []),
    { to: '/app/settings/availabilities', label: 'Availabilities' },
    ...(manager ? [{ to: '/app/audit-log', label: 'Audit log' }] : []),
    { to: '/app/profile', label: 'My profile' },
  ];
  let page;
  if (route === '/requests' || route === '/') page = <Requests />;
  else if (route === '/calendar') page = <Calendar />;
  else if (route === '/settings/practice') page = <PracticeSettings />;
  else if (route === '/settings/client-portal') page = <ClientPortalSettings />;
  else if (route === '/settings/availabilities') page = <Availabilities />;
  else if (route === '/clients') page = <Clients />;
  else if (/^\/clients\/[0-9a-f-]{36}$/.test(route))
    page = <ClientProfile id={route.slice('/clients/'.length)} />;
  else if (route === '/staff') page = <StaffPage />;
  else if (route === '/profile') page = <Profile userId={staff.user.id} />;
  else if (/^\/staff\/[0-9a-f-]{36}\/profile$/.test(route))
    // Admins open a colleague's profile here (the Staff page links to it).
    page = <Profile key={route} userId={route.split('/')[2]} />;
  else if (route === '/audit-log') page = <AuditLog />;
  else page = <PageHeading title="Page not found">Page not found</PageHeading>;

  return (
    <StaffContext.Provider value={staff}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="container wide topbar-inner">
          <Link to="/app/requests" className="brand">
            Practice booking
          </Link>
          <div className="topbar-right">
            <Bell />
            <span className="who" title={staff.user.email}>
              {fullName(staff.user)}
              <span className="who-role">{roleLabel[staff.user.role]}</span>
            </span>
            <button type="button" className="link on-dark" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </div>
        <MainNav items={nav} current={`/app${route}`} />
      </header>
      <main id="main" className="container wide">
        {page}
      </main>
    </StaffContext.Provider>
  );
}
