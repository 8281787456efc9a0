import { useState } from 'react';
import { call } from '../api';
import { Link, useLocation } from '../router';
import { Alert, PageHeading, messageOf } from '../ui';

/**
 * Where the "stop reminders" link of a reminder email lands. Opening it changes nothing: mail filters and link
 * scanners fetch every link in an email, so only the button's POST stops reminders (mail clients' own one-click
 * unsubscribe POSTs to the same API route from the List-Unsubscribe header). It works with the portal off too
 * (`base` null): reminders go out either way; then the practice, not the portal, turns them back on.
 */
export function ReminderOptOut({
  slug,
  practiceName,
  base,
}: {
  slug: string;
  practiceName: string | null;
  base: string | null;
}) {
  const { search } = useLocation();
  const client = search.get('client');
  const token = search.get('token');
  const [state, setState] = useState<'ready' | 'busy' | 'done'>('ready');
  const [error, setError] = useState<unknown>(null);
  const practice = practiceName ?? 'your practice';

  const stop = async () => {
    setState('busy');
    setError(null);
    try {
      const query = new URLSearchParams({ client: client ?? '', token: token ?? '' });
      await call(`/portal/${encodeURIComponent(slug)}/reminders/opt-out?${query.toString()}`, {
        method: 'POST',
      });
      setState('done');
    } catch (err) {
      setError(err);
      setState('ready');
    }
  };

  const backOn = base ? (
    <p>
      To get them again, <Link to={`${base}/sign-in`}>sign in to the client portal</Link> and switch on “Email
      me reminders” on your My appointments page.
    </p>
  ) : (
    // Staff cannot turn them back on (it is the client's choice): only the portal's switch does.
    <p>
      Only you can turn them back on, with “Email me reminders” in {practice}'s client portal; the practice
      can tell you when its portal is open.
    </p>
  );

  return (
    <>
      <PageHeading title={`Reminder emails – ${practiceName ?? 'Client portal'}`}>
        Reminder emails
      </PageHeading>
      {!client || !token ? (
        <Alert kind="error">
          This link is incomplete. Open it again from your reminder email
          {base ? ', or sign in to the client portal to turn reminders off' : ''}.
        </Alert>
      ) : state === 'done' ? (
        <>
          <Alert kind="success">
            You will no longer get appointment reminder emails from {practice}. Your appointments are not
            changed.
          </Alert>
          {backOn}
        </>
      ) : (
        <>
          <p>
            {practiceName ?? 'Your practice'} emails you a reminder before each appointment. Stop them if you
            would rather not get them; your appointments stay as they are.
          </p>
          {error !== null && <Alert kind="error">{messageOf(error)}</Alert>}
          <div className="actions">
            <button type="button" disabled={state === 'busy'} onClick={() => void stop()}>
              {state === 'busy' ? 'Stopping…' : 'Stop reminder emails'}
            </button>
          </div>
          {backOn}
        </>
      )}
    </>
  );
}
