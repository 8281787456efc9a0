import { useState, type FormEvent } from 'react';
import { fieldError } from '../api';
import type { BodyOf, ResponseOf } from '../generated/api';
import { Alert, ErrorAlert, FormError, Loading, TextField, Toggle, useLoad, useSuccessMessage } from '../ui';
import { useStaff } from './context';

type Reminders = ResponseOf<'GET /api/practice/reminders'>;

const SLOTS = ['First reminder', 'Second reminder', 'Third reminder'] as const;

/** Settings › Practice › Reminders: whether clients are emailed before each appointment, and when. */
export function ReminderSettings() {
  const { call } = useStaff();
  const reminders = useLoad((signal) => call<Reminders>('/api/practice/reminders', { signal }), [call]);
  if (reminders.data) return <ReminderForm saved={reminders.data} onSaved={reminders.reload} />;
  if (reminders.loading) return <Loading />;
  return <ErrorAlert error={reminders.error} onRetry={reminders.reload} />;
}

function ReminderForm({ saved, onSaved }: { saved: Reminders; onSaved: () => void }) {
  const { call } = useStaff();
  const [enabled, setEnabled] = useState(saved.enabled);
  const [hours, setHours] = useState(SLOTS.map((_, i) => (saved.offsetsHours[i] ?? '').toString()));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { message: status, show: setStatus } = useSuccessMessage();

  // Empty boxes mean "no reminder"; the server names offsets by their place among the filled ones.
  const filled = hours.flatMap((h, i) => (h.trim() === '' ? [] : [i]));
  const body: BodyOf<'PUT /api/practice/reminders'> = {
    enabled,
    offsetsHours: filled.map((i) => Number(hours[i])),
  };
  const dirty =
    JSON.stringify(body) !== JSON.stringify({ enabled: saved.enabled, offsetsHours: saved.offsetsHours });
  const errorAt = (slot: number) => {
    const place = filled.indexOf(slot);
    return place < 0 ? undefined : fieldError(error, `/offsetsHours/${place}`);
  };
  const shownFields = filled.map((_, place) => `/offsetsHours/${place}`);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty) return;
    setSaving(true);
    setError(null);
    try {
      const next = await call<Reminders>('/api/practice/reminders', { method: 'PUT', body });
      setHours(SLOTS.map((_, i) => (next.offsetsHours[i] ?? '').toString()));
      onSaved();
      setStatus(next.enabled ? 'Reminder settings saved.' : 'Reminders are off.');
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} className="settings" aria-label="Reminders">
      <h2>Reminders</h2>
      <Toggle
        label="Email clients a reminder before each appointment"
        checked={enabled}
        onChange={setEnabled}
        hint="Each reminder says when and with whom, how to cancel under the terms the appointment was booked with, and links to the portal. Clients can stop them from the email."
      />
      {SLOTS.map((label, i) => (
        <TextField
          key={label}
          label={`${label} (hours before)`}
          name={`offsetsHours${i}`}
          type="number"
          inputMode="numeric"
          min={1}
          max={336}
          disabled={!enabled}
          value={hours[i]}
          onValue={(value) => setHours(hours.map((h, j) => (j === i ? value : h)))}
          error={errorAt(i)}
          hint={
            i === 0
              ? 'From 1 to 336 hours (14 days). Leave a box empty for fewer reminders. 48 is two days.'
              : undefined
          }
        />
      ))}
      <FormError error={error} fields={shownFields} />
      {status && <Alert kind="success">{status}</Alert>}
      <div className="actions">
        <button type="submit" disabled={saving || !dirty}>
          {saving ? 'Saving…' : 'Save reminders'}
        </button>
      </div>
    </form>
  );
}
