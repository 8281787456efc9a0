import { useState, type FormEvent } from 'react';
import { ApiError, fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import {
  Alert,
  Dialog,
  ErrorAlert,
  FormError,
  Loading,
  PageHeading,
  TextField,
  TimeZoneField,
  Toggle,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';
import { ReminderSettings } from './ReminderSettings';
import type { Service } from './types';

type Practice = ResponseOf<'GET /api/practice'>;

/** Settings > Practice (admin clinicians and practice managers): the practice's details and its services. */
export function PracticeSettings() {
  const { call } = useStaff();
  const practice = useLoad((signal) => call<Practice>('/api/practice', { signal }), [call]);
  return (
    <>
      <PageHeading title="Practice settings">Practice</PageHeading>
      {practice.data ? (
        <PracticeDetails saved={practice.data} onSaved={practice.reload} />
      ) : practice.loading ? (
        <Loading />
      ) : (
        <ErrorAlert error={practice.error} onRetry={practice.reload} />
      )}
      <ReminderSettings />
      <Services />
    </>
  );
}

function PracticeDetails({ saved, onSaved }: { saved: Practice; onSaved: () => void }) {
  const { call } = useStaff();
  const [form, setForm] = useState({
    name: saved.name,
    timeZone: saved.timeZone,
    phone: saved.phone ?? '',
    requestLifetimeHours: String(saved.requestLifetimeHours),
  });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { message: status, show: setStatus } = useSuccessMessage();

  const changes = Object.fromEntries(
    Object.entries({
      name: form.name.trim(),
      timeZone: form.timeZone,
      phone: form.phone.trim() || null,
      requestLifetimeHours: Number(form.requestLifetimeHours),
    }).filter(([k, v]) => v !== saved[k as keyof Practice]),
  );
  const dirty = Object.keys(changes).length > 0;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty) return;
    setSaving(true);
    setError(null);
    try {
      await call<Practice>('/api/practice', { method: 'PATCH', body: changes });
      onSaved();
      setStatus('Practice details saved.');
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  const fields = ['name', 'timeZone', 'phone', 'requestLifetimeHours'];
  return (
    <form onSubmit={(e) => void save(e)} className="settings" aria-label="Practice details">
      <h2>Details</h2>
      <TextField
        label="Practice name"
        name="name"
        required
        maxLength={200}
        value={form.name}
        onValue={(name) => setForm({ ...form, name })}
        error={fieldError(error, 'name')}
        hint="Clients see it on the portal and in every email."
      />
      <TimeZoneField
        value={form.timeZone}
        onValue={(timeZone) => setForm({ ...form, timeZone })}
        suggested={[saved.timeZone]}
        error={fieldError(error, 'timeZone')}
      />
      <TextField
        label="Phone number"
        name="phone"
        type="tel"
        autoComplete="tel"
        maxLength={25}
        value={form.phone}
        onValue={(phone) => setForm({ ...form, phone })}
        error={fieldError(error, 'phone')}
        hint="The number clients are told to call when they cannot cancel online (a clinician's own number, if set, comes first)."
      />
      <TextField
        label="Hours a request waits for an answer"
        name="requestLifetimeHours"
        type="number"
        inputMode="numeric"
        min={1}
        max={2160}
        required
        value={form.requestLifetimeHours}
        onValue={(requestLifetimeHours) => setForm({ ...form, requestLifetimeHours })}
        error={fieldError(error, 'requestLifetimeHours')}
        hint="A request nobody answers in this time expires, and the client is told. 168 hours is a week."
      />
      <FormError error={error} fields={fields} />
      {status && <Alert kind="success">{status}</Alert>}
      <div className="actions">
        <button type="submit" disabled={saving || !dirty}>
          {saving ? 'Saving…' : 'Save details'}
        </button>
      </div>
    </form>
  );
}

const emptyService = { name: '', durationMinutes: '50', bookableOnline: true };
type ServiceForm = typeof emptyService;

/** The services clients can be booked for: what the portal offers (bookable online) and what staff book. */
function Services() {
  const { call } = useStaff();
  const services = useLoad((signal) => call<Service[]>('/api/services', { signal }), [call]);
  const [editing, setEditing] = useState<Service | 'new' | null>(null);
  const [removeError, setRemoveError] = useState<{ id: string; error: unknown } | null>(null);

  const remove = async (s: Service) => {
    setRemoveError(null);
    try {
      await call(`/api/services/${s.id}`, { method: 'DELETE' });
      services.reload();
    } catch (error) {
      setRemoveError({ id: s.id, error });
    }
  };

  return (
    <section aria-labelledby="services-heading" className="settings">
      <h2 id="services-heading">Services</h2>
      <p className="muted">
        Clients request a service that is bookable online; new clients may request only a clinician's initial
        consultation (Settings › Availabilities).
      </p>
      {services.loading && !services.data && <Loading />}
      <ErrorAlert error={services.error} onRetry={services.reload} />
      {services.data?.length === 0 && <p>No services yet. Add the first one below.</p>}
      <ul className="cards">
        {services.data?.map((s) => (
          <li key={s.id} className="card">
            <div className="card-head">
              <div>
                <strong>{s.name}</strong>
                <div className="muted">
                  {s.durationMinutes} minutes · {s.bookableOnline ? 'bookable online' : 'staff booking only'}
                </div>
              </div>
              <div className="actions tight">
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Edit ${s.name}`}
                  onClick={() => setEditing(s)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Remove ${s.name}`}
                  onClick={() => void remove(s)}
                >
                  Remove
                </button>
              </div>
            </div>
            {removeError?.id === s.id && <ErrorAlert error={removeError.error} />}
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={() => setEditing('new')}>
          Add a service
        </button>
      </div>
      {editing && (
        <ServiceDialog
          service={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            services.reload();
          }}
        />
      )}
    </section>
  );
}

function ServiceDialog({
  service,
  onClose,
  onSaved,
}: {
  service: Service | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { call } = useStaff();
  const [form, setForm] = useState<ServiceForm>(
    service
      ? {
          name: service.name,
          durationMinutes: String(service.durationMinutes),
          bookableOnline: service.bookableOnline,
        }
      : emptyService,
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const body = {
      name: form.name.trim(),
      durationMinutes: Number(form.durationMinutes),
      bookableOnline: form.bookableOnline,
    };
    try {
      if (service) await call(`/api/services/${service.id}`, { method: 'PATCH', body });
      else await call('/api/services', { method: 'POST', body });
      onSaved();
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };
  return (
    <Dialog title={service ? `Edit ${service.name}` : 'Add a service'} onClose={onClose}>
      <form onSubmit={(e) => void save(e)}>
        <TextField
          label="Service name"
          name="name"
          required
          maxLength={200}
          value={form.name}
          onValue={(name) => setForm({ ...form, name })}
          error={fieldError(error, 'name')}
        />
        <TextField
          label="Duration in minutes"
          name="durationMinutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={480}
          required
          value={form.durationMinutes}
          onValue={(durationMinutes) => setForm({ ...form, durationMinutes })}
          error={fieldError(error, 'durationMinutes')}
        />
        <Toggle
          label="Bookable online"
          checked={form.bookableOnline}
          onChange={(bookableOnline) => setForm({ ...form, bookableOnline })}
          hint="Clients can request it from the portal."
        />
        <FormError error={error} fields={['name', 'durationMinutes']} />
        {error instanceof ApiError && error.status === 403 && (
          <Alert kind="info">Only admin clinicians and practice managers change services.</Alert>
        )}
        <div className="actions">
          <button type="submit" disabled={saving}>
            {saving ? 'Saving…' : 'Save service'}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
