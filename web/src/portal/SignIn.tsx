import { useState, type FormEvent } from 'react';
import { call, fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { Link, navigate, useLocation } from '../router';
import { Alert, FormError, PageHeading, TextField } from '../ui';
import type { ClientSession, PortalInfo } from './types';

/** "I'm an existing client": email, then the 6-digit code that was emailed. */
export function SignIn({
  practice,
  base,
  notice,
  onSignedIn,
}: {
  practice: PortalInfo;
  base: string;
  notice?: string | null;
  onSignedIn: (session: ClientSession) => void;
}) {
  const { pathname } = useLocation();
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const slug = encodeURIComponent(practice.slug);

  const requestCode = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await call<ResponseOf<'POST /portal/{slug}/auth/code'>>(`/portal/${slug}/auth/code`, {
        method: 'POST',
        body: { email: email.trim() },
      });
      setSent(answer.detail);
      setCode('');
      setStep('code');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const verify = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await call<ClientSession>(`/portal/${slug}/auth/verify`, {
        method: 'POST',
        body: { email: email.trim(), code: code.trim() },
      });
      onSignedIn(session);
      // Deep links to /me/... land where they were going; the sign-in page goes to the client's appointments.
      if (pathname.endsWith('/sign-in')) navigate(`${base}/me`, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={`Sign in – ${practice.name}`}>Sign in</PageHeading>
      {notice && step === 'email' && <Alert kind="info">{notice}</Alert>}
      {step === 'email' ? (
        <form onSubmit={(e) => void requestCode(e)}>
          <p>We will email you a sign-in code. Use the email address you gave {practice.name}.</p>
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onValue={setEmail}
            error={fieldError(error, 'email')}
          />
          <FormError error={error} fields={['email']} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Sending…' : 'Email me a code'}
            </button>
          </div>
          {practice.allowNewClients && (
            <p className="muted">
              New to {practice.name}? <Link to={`${base}/new`}>I'm a new client</Link>
            </p>
          )}
        </form>
      ) : (
        <form onSubmit={(e) => void verify(e)}>
          {sent && <Alert kind="info">{sent}</Alert>}
          <TextField
            label="Sign-in code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            hint={`The 6-digit code from the email sent to ${email.trim()}.`}
            value={code}
            onValue={(v) => setCode(v.replace(/\D/g, ''))}
            error={fieldError(error, 'code')}
          />
          <FormError error={error} fields={['code']} />
          <div className="actions">
            <button type="submit" disabled={busy || code.length !== 6}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => void requestCode()}>
              Send a new code
            </button>
            <button type="button" className="link" onClick={() => setStep('email')}>
              Use a different email
            </button>
          </div>
        </form>
      )}
    </>
  );
}
