import { useState, type FormEvent } from 'react';
import { call, fieldError } from '../api';
import { Link } from '../router';
import { Alert, FormError, PageHeading, TextField } from '../ui';
import type { StaffSession } from './types';

/** Staff sign-in with email and password. */
export function StaffSignIn({
  notice,
  onSignedIn,
}: {
  notice: string | null;
  onSignedIn: (session: StaffSession) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(
        await call<StaffSession>('/api/auth/session', {
          method: 'POST',
          body: { email: email.trim(), password },
        }),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Sign in – Practice booking">Sign in</PageHeading>
      <p>Clinicians and practice staff sign in here.</p>
      {notice && <Alert kind="info">{notice}</Alert>}
      <form onSubmit={(e) => void submit(e)}>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onValue={setEmail}
          error={fieldError(error, 'email')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
          error={fieldError(error, 'password')}
        />
        <FormError error={error} fields={['email', 'password']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      <p>
        <Link to="/app/forgot-password">Forgot your password?</Link>
      </p>
    </>
  );
}
