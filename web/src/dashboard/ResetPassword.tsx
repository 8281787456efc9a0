import { useState, type FormEvent } from 'react';
import { ApiError, call, fieldError } from '../api';
import { Link, useLocation } from '../router';
import { Alert, FormError, PageHeading, TextField } from '../ui';

/** The page a reset email links to (/app/reset-password?token=…): choose a new password, once. */
export function ResetPassword({ onReset }: { onReset: () => void }) {
  const token = useLocation().search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      await call('/api/auth/password-reset/confirm', { method: 'POST', body: { token, password } });
      setDone(true);
      // Every session ended with the reset, this browser's too.
      onReset();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const gone = error instanceof ApiError && error.status === 410;
  return (
    <>
      <PageHeading title="Choose a new password – Practice booking">Choose a new password</PageHeading>
      {done ? (
        <Alert kind="success" title="Your password is changed">
          You were signed out everywhere. <Link to="/app">Sign in</Link> with your new password.
        </Alert>
      ) : gone || !token ? (
        <>
          <Alert kind="error">
            {gone ? error.detail : 'This link is not complete. Open the link from the email again.'}
          </Alert>
          <p>
            <Link to="/app/forgot-password">Ask for a new link</Link>
          </p>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <TextField
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            hint="At least 10 characters. A few words you will remember work well."
            required
            minLength={8}
            value={password}
            onValue={setPassword}
            error={fieldError(error, 'password')}
          />
          <TextField
            label="New password again"
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onValue={setConfirm}
            error={mismatch ? 'The two passwords are not the same.' : undefined}
          />
          <FormError error={error} fields={['password']} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save the new password'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
