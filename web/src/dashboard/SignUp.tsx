import { useState, type FormEvent } from 'react';
import { call, fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { browserZone } from '../format';
import { Link } from '../router';
import { Alert, ErrorAlert, FormError, Loading, PageHeading, TextField, TimeZoneField, useLoad } from '../ui';

type PublicConfig = ResponseOf<'GET /api/config'>;

/** Whether this deployment lets anyone create a practice (SIGNUP_ENABLED). */
function useSignupEnabled() {
  return useLoad((signal) => call<PublicConfig>('/api/config', { signal }), []);
}

/** Under the sign-in form: the way to sign-up, only where sign-up is enabled. */
export function SignUpLink() {
  const config = useSignupEnabled();
  if (!config.data?.signupEnabled) return null;
  return (
    <p>
      New to online booking? <Link to="/app/signup">Create a practice</Link>
    </p>
  );
}

/** /app/signup: a new practice and its first admin clinician, who is emailed a link to set a password. */
export function SignUp() {
  const config = useSignupEnabled();
  const [form, setForm] = useState({
    practiceName: '',
    timeZone: browserZone(),
    firstName: '',
    lastName: '',
    email: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await call<ResponseOf<'POST /api/practices'>>('/api/practices', {
        method: 'POST',
        body: {
          practiceName: form.practiceName.trim(),
          timeZone: form.timeZone,
          admin: {
            firstName: form.firstName.trim(),
            lastName: form.lastName.trim(),
            email: form.email.trim(),
          },
        },
      });
      setDone(answer.message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (config.loading && !config.data) return <Loading />;
  if (config.error) return <ErrorAlert error={config.error} onRetry={config.reload} />;
  if (!config.data?.signupEnabled) {
    return (
      <>
        <PageHeading title="Create a practice – Practice booking">Create a practice</PageHeading>
        <Alert kind="info">
          New practices are set up by the people who run this service. Ask them to create yours.
        </Alert>
        <p>
          <Link to="/app">Go to the sign-in page</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeading title="Create a practice – Practice booking">Create a practice</PageHeading>
      {done ? (
        <Alert kind="success" title="Check your email">
          {done}
        </Alert>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <TextField
            label="Practice name"
            name="practiceName"
            required
            maxLength={200}
            value={form.practiceName}
            onValue={set('practiceName')}
            error={fieldError(error, 'practiceName')}
          />
          <TimeZoneField
            value={form.timeZone}
            onValue={set('timeZone')}
            error={fieldError(error, 'timeZone')}
          />
          <div className="field-row">
            <TextField
              label="Your first name"
              name="firstName"
              required
              maxLength={100}
              value={form.firstName}
              onValue={set('firstName')}
              error={fieldError(error, 'firstName')}
            />
            <TextField
              label="Your last name"
              name="lastName"
              required
              maxLength={100}
              value={form.lastName}
              onValue={set('lastName')}
              error={fieldError(error, 'lastName')}
            />
          </div>
          <TextField
            label="Your email"
            name="email"
            type="email"
            autoComplete="email"
            required
            hint="You will be the practice's first admin clinician. We email you a link to choose a password."
            value={form.email}
            onValue={set('email')}
            error={fieldError(error, 'email')}
          />
          <FormError error={error} fields={['practiceName', 'timeZone', 'firstName', 'lastName', 'email']} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create practice'}
            </button>
          </div>
        </form>
      )}
      <p>
        Already have an account? <Link to="/app">Sign in</Link>
      </p>
    </>
  );
}
