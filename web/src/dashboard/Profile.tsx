import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { fullName } from '../format';
import { usePracticeZone } from './practiceZone';
import {
  Alert,
  ErrorAlert,
  FormError,
  Loading,
  PageHeading,
  TextField,
  TimeZoneField,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';

type StaffProfile = ResponseOf<'GET /api/staff/{id}/profile'>;
const FIELDS = ['firstName', 'lastName', 'timeZone', 'phone', 'bio', 'photoUrl'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

const formOf = (p: StaffProfile): Form => ({
  firstName: p.firstName,
  lastName: p.lastName,
  timeZone: p.timeZone ?? '',
  phone: p.phone ?? '',
  bio: p.bio ?? '',
  photoUrl: p.photoUrl ?? '',
});

/**
 * "My profile" (/app/profile), and anyone's in the practice for admins and managers (/app/staff/:id/profile):
 * name, time zone, the phone clients are told to call, and the bio and photo the portal shows.
 */
export function Profile({ userId }: { userId: string }) {
  const { call, user } = useStaff();
  const practiceZone = usePracticeZone();
  const own = userId === user.id;
  const saved = useLoad(
    (signal) => call<StaffProfile>(`/api/staff/${userId}/profile`, { signal }),
    [call, userId],
  );
  const [form, setForm] = useState<Form | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { message: status, show: setStatus } = useSuccessMessage();
  useEffect(() => {
    if (saved.data) setForm(formOf(saved.data));
  }, [saved.data]);

  const title = own ? 'My profile' : saved.data ? `Profile of ${fullName(saved.data)}` : 'Profile';
  if (saved.error instanceof ApiError && (saved.error.status === 403 || saved.error.status === 404)) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <Alert kind="info">{saved.error.detail}</Alert>
      </>
    );
  }
  if (!form || !saved.data) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        {saved.loading ? <Loading /> : <ErrorAlert error={saved.error} onRetry={saved.reload} />}
      </>
    );
  }

  const original = formOf(saved.data);
  // Only what changed is sent; an emptied optional field is cleared (null), so the practice's value applies.
  const changes = Object.fromEntries(
    FIELDS.filter((k) => form[k].trim() !== original[k]).map((k) => [
      k,
      k === 'firstName' || k === 'lastName' ? form[k].trim() : form[k].trim() || null,
    ]),
  );
  const dirty = Object.keys(changes).length > 0;
  const set = (k: keyof Form) => (v: string) => {
    setForm({ ...form, [k]: v });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty) return;
    setBusy(true);
    setError(null);
    try {
      await call<StaffProfile>(`/api/staff/${userId}/profile`, { method: 'PATCH', body: changes });
      saved.reload();
      setStatus('Profile saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="muted">
        {saved.data.email}. Clients see the name, bio and photo on the portal&apos;s list of clinicians.
      </p>
      <form onSubmit={(e) => void save(e)}>
        <TextField
          label="First name"
          name="firstName"
          required
          maxLength={100}
          value={form.firstName}
          onValue={set('firstName')}
          error={fieldError(error, 'firstName')}
        />
        <TextField
          label="Last name"
          name="lastName"
          required
          maxLength={100}
          value={form.lastName}
          onValue={set('lastName')}
          error={fieldError(error, 'lastName')}
        />
        <TimeZoneField
          value={form.timeZone}
          onValue={set('timeZone')}
          suggested={[practiceZone]}
          emptyOption="The practice's time zone"
          error={fieldError(error, 'timeZone')}
        />
        <TextField
          label="Phone for clients"
          name="phone"
          type="tel"
          autoComplete="tel"
          hint="The number clients are told to call, for example to cancel an appointment that can only be canceled by phone. Leave it empty to give the practice's number."
          value={form.phone}
          onValue={set('phone')}
          error={fieldError(error, 'phone')}
        />
        <TextField
          label="Short bio"
          name="bio"
          multiline
          maxLength={1000}
          hint="A few sentences for clients choosing a clinician."
          value={form.bio}
          onValue={set('bio')}
          error={fieldError(error, 'bio')}
        />
        <TextField
          label="Photo address"
          name="photoUrl"
          type="url"
          hint="An https:// address of a picture of you, such as https://example.com/me.jpg."
          value={form.photoUrl}
          onValue={set('photoUrl')}
          error={fieldError(error, 'photoUrl')}
        />
        {form.photoUrl.startsWith('https://') && (
          <img className="clinician-photo" src={form.photoUrl} alt="Your photo as clients will see it" />
        )}
        <FormError error={error} fields={FIELDS} />
        {status && <Alert kind="success">{status}</Alert>}
        <div className="actions">
          <button type="submit" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save profile'}
          </button>
        </div>
      </form>
    </>
  );
}
