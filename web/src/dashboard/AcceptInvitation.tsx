import { useState, type FormEvent } from 'react';
import { ApiError, call, fieldError } from '../api';
import { Link, useLocation } from '../router';
import { Alert, FormError, PageHeading, TextField } from '../ui';
import type { StaffSession } from './types';

/** /app/accept-invitation?token=…: the invited person chooses a password and is signed in to the dashboard. */
export function AcceptInvitation({ onSignedIn }: { onSignedIn: (session: StaffSession) => void }) {
  const token = useLocation().search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState<string | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password !== repeat) {
      setMismatch('The two passwords are not the same. Type the same password twice.');
      return;
    }
    setMismatch(undefined);
    setBusy(true);
    try {
      onSignedIn(
        await call<StaffSession>('/api/staff/invitations/accept', {
          method: 'POST',
          body: { token, password },
        }),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const gone = error instanceof ApiError && (error.status === 410 || error.status === 404);
  return (
    <>
      <PageHeading title="Accept your invitation – Practice booking">Accept your invitation</PageHeading>
      {!token ? (
        <Alert kind="error">
          This page needs the link from your invitation email. Open the link in the email again, or ask the
          practice to invite you again.
        </Alert>
      ) : gone ? (
        <>
          <Alert kind="error">{(error as ApiError).detail}</Alert>
          <p>
            <Link to="/app">Go to the sign-in page</Link>
          </p>
        </>
      ) : (
        <>
          <p>Choose the password you will sign in with. You will be signed in to the dashboard right away.</p>
          <form onSubmit={(e) => void submit(e)}>
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              hint="At least 10 characters. A few words that belong together are easy to remember."
              value={password}
              onValue={setPassword}
              error={fieldError(error, 'password')}
            />
            <TextField
              label="Repeat the password"
              name="repeat"
              type="password"
              autoComplete="new-password"
              required
              value={repeat}
              onValue={setRepeat}
              error={mismatch}
            />
            <FormError error={error} fields={['password']} />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {busy ? 'Signing in…' : 'Accept and sign in'}
              </button>
            </div>
          </form>
        </>
      )}
    </>
  );
}
