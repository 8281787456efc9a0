import { useState, type FormEvent } from 'react';
import { call, fieldError } from '../api';
import { Link } from '../router';
import { Alert, FormError, PageHeading, TextField } from '../ui';
import type { ResponseOf } from '../generated/api';

type LinkSent = ResponseOf<'POST /api/auth/password-reset'>;

/** "Forgot your password?": asks for a reset link by email. */
export function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<LinkSent | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSent(
        await call<LinkSent>('/api/auth/password-reset', { method: 'POST', body: { email: email.trim() } }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Reset your password – Practice booking">Reset your password</PageHeading>
      {sent ? (
        <Alert kind="success" title="Check your email">
          {sent.detail}
        </Alert>
      ) : (
        <>
          <p>Enter the email address you sign in with. We will email you a link to choose a new password.</p>
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
            <FormError error={error} fields={['email']} />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {busy ? 'Sending…' : 'Email me a link'}
              </button>
            </div>
          </form>
        </>
      )}
      <p>
        <Link to="/app">Back to sign in</Link>
      </p>
    </>
  );
}
