import { useState } from 'react';
import { call } from '../api';
import type { ResponseOf } from '../generated/api';
import { Alert, ErrorAlert, Toggle, messageOf, useLoad } from '../ui';

type Choice = ResponseOf<'GET /portal/{slug}/me/reminders'>;

/** The signed-in client's switch for reminder emails: how they turn them back on after using an email's link. */
export function ReminderChoice({ slug, token }: { slug: string; token: string }) {
  const path = `/portal/${encodeURIComponent(slug)}/me/reminders`;
  const loaded = useLoad((signal) => call<Choice>(path, { token, signal }), [path, token]);
  const [saved, setSaved] = useState<Choice | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const choice = saved ?? loaded.data;

  const change = async (enabled: boolean) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setSaved(await call<Choice>(path, { method: 'PUT', token, body: { enabled } }));
      setNotice(
        enabled
          ? 'Reminder emails are on. You will get one before each appointment.'
          : 'Reminder emails are off.',
      );
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  return (
    <section aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">Reminders</h2>
      <ErrorAlert error={loaded.error} onRetry={loaded.reload} />
      {choice && (
        <fieldset disabled={busy}>
          <Toggle
            label="Email me reminders"
            checked={choice.enabled}
            onChange={(enabled) => void change(enabled)}
            hint="A reminder email before each appointment, with links to cancel or move it."
          />
        </fieldset>
      )}
      {notice && <Alert kind="success">{notice}</Alert>}
      {error !== null && <Alert kind="error">{messageOf(error)}</Alert>}
    </section>
  );
}
