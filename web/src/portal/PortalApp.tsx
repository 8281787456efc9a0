import { useState } from 'react';
import { call, ApiError } from '../api';
import { Link, navigate } from '../router';
import { Alert, ErrorAlert, Loading, PageHeading, useLoad } from '../ui';
import { Home } from './Home';
import { NewClientFlow } from './NewClientFlow';
import { SignIn } from './SignIn';
import { MyAppointments } from './MyAppointments';
import { RequestAppointment } from './RequestAppointment';
import { ReminderOptOut } from './ReminderOptOut';
import { useClientSession } from './session';
import type { PortalInfo } from './types';

/** The client portal of one practice: its page, the new-client flow, sign-in and the signed-in pages. */
export function PortalApp({ slug, rest }: { slug: string; rest: string }) {
  const info = useLoad(
    (signal) => call<PortalInfo>(`/portal/${encodeURIComponent(slug)}`, { signal }),
    [slug],
  );
  const [session, setSession] = useClientSession(slug);
  const [notice, setNotice] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const [signedOutNotice, setSignedOutNotice] = useState<string | null>(null);
  const base = `/portal/${encodeURIComponent(slug)}`;

  /**
   * Ends the session on the server (the token stops working, also in any copy of it), then on this device. The
   * device forgets it even when the server cannot be reached: whoever uses this browser next is not signed in.
   */
  const signOutNow = async () => {
    if (!session) return;
    setSigningOut(true);
    let told = 'You are signed out.';
    try {
      await call(`${base}/auth/logout`, { method: 'POST', token: session.token });
    } catch (err) {
      // Already ended (expired, or signed out elsewhere) is what was asked for.
      if (!(err instanceof ApiError && err.status === 401))
        told =
          'You are signed out on this device. We could not reach the server to end the session everywhere; it ends by itself soon.';
    }
    setSigningOut(false);
    setSession(null);
    setNotice(null);
    setSignedOutNotice(told);
    navigate(base);
  };

  let page;
  if (info.loading && !info.data) page = <Loading />;
  // Reminder emails go out whether or not the practice's portal is on, so their stop link must work either way.
  else if (rest.replace(/\/$/, '') === '/reminders/opt-out')
    page = (
      <ReminderOptOut slug={slug} practiceName={info.data?.name ?? null} base={info.data ? base : null} />
    );
  else if (info.error || !info.data) {
    const missing = info.error instanceof ApiError && info.error.status === 404;
    page = (
      <>
        <PageHeading title="Client portal not available">Client portal not available</PageHeading>
        {missing ? (
          <Alert kind="info">
            This client portal does not exist or is turned off. Please check the link with your practice.
          </Alert>
        ) : (
          <ErrorAlert error={info.error} onRetry={info.reload} />
        )}
      </>
    );
  } else {
    const practice = info.data;
    const path = rest.replace(/\/$/, '');
    const signOut = (reason?: string) => {
      setNotice(reason ?? null);
      setSession(null);
    };
    const signedIn = session ? { session, signOut } : null;
    const signIn = (
      <SignIn
        practice={practice}
        base={base}
        notice={notice}
        onSignedIn={(s) => {
          setNotice(null);
          setSession(s);
        }}
      />
    );
    if (path === '')
      page = (
        <>
          {signedOutNotice && !session && <Alert kind="success">{signedOutNotice}</Alert>}
          <Home practice={practice} base={base} signedIn={session !== null} />
        </>
      );
    else if (path === '/new') page = <NewClientFlow practice={practice} base={base} />;
    else if (path === '/sign-in' || ((path === '/me' || path === '/me/request') && !signedIn)) page = signIn;
    else if (path === '/me' && signedIn)
      page = <MyAppointments practice={practice} base={base} {...signedIn} />;
    else if (path === '/me/request' && signedIn)
      page = <RequestAppointment practice={practice} base={base} {...signedIn} />;
    else
      page = (
        <>
          <PageHeading title="Page not found">Page not found</PageHeading>
          <p>
            <Link to={base}>Go to {practice.name}</Link>
          </p>
        </>
      );
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar portal-bar">
        <div className="container topbar-inner">
          <Link to={base} className="brand">
            {info.data?.name ?? 'Client portal'}
          </Link>
          {session && info.data && (
            <nav aria-label="Your account" className="portal-nav">
              <Link to={`${base}/me`}>My appointments</Link>
              <button
                type="button"
                className="link on-dark"
                disabled={signingOut}
                onClick={() => void signOutNow()}
              >
                {signingOut ? 'Signing out…' : 'Sign out'}
              </button>
            </nav>
          )}
        </div>
      </header>
      <main id="main" className="container narrow">
        {page}
      </main>
    </>
  );
}
