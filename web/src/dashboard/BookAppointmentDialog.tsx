import { useEffect, useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import { fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { formatMinutes, formatZone, fullName, iso } from '../format';
import { Alert, Dialog, ErrorAlert, FormError, Loading, SelectField, TextField, useLoad } from '../ui';
import { useStaff } from './context';
import { isClinician, managesPractice, type StaffUser } from './types';

type ClientRow = ResponseOf<'GET /api/clients'>[number];
type Service = ResponseOf<'GET /api/services'>[number];

/** "Book an appointment", opening the dialog; `clinicianId` preselects a clinician (a manager's filter). */
export function BookAppointmentButton({
  clinicians,
  clinicianId,
  onBooked,
}: {
  clinicians: StaffUser[];
  clinicianId: string;
  onBooked: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Book an appointment
      </button>
      {open && (
        <BookAppointmentDialog
          clinicians={clinicians}
          clinicianId={clinicianId}
          onClose={() => setOpen(false)}
          onBooked={() => {
            setOpen(false);
            onBooked();
          }}
        />
      )}
    </>
  );
}

const fields = ['clinicianId', 'clientId', 'serviceId', 'startsAt'] as const;

/**
 * Books an existing client directly, as for a client who phoned: any time (no notice, grid or availability
 * windows), never over an appointment, a pending request or time off, which the server refuses in a sentence.
 * The date and time are the clinician's wall clock.
 */
export function BookAppointmentDialog({
  clinicians,
  clinicianId: initialClinician,
  startsAt: initialStart,
  onClose,
  onBooked,
}: {
  clinicians: StaffUser[];
  clinicianId: string;
  /** A start to prefill (an instant; shown on the clinician's wall clock), as a free time clicked on the calendar. */
  startsAt?: string;
  onClose: () => void;
  onBooked: () => void;
}) {
  const { call, callPage, user, zone } = useStaff();
  const manager = managesPractice(user);
  const choosable = manager ? clinicians.filter(isClinician) : [user];
  const [clinicianId, setClinicianId] = useState(initialClinician || choosable[0]?.id || '');
  const clinician = choosable.find((c) => c.id === clinicianId);
  const clinicianZone = clinician?.timeZone ?? zone;

  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(search.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [search]);
  const clients = useLoad(
    (signal) =>
      callPage<ClientRow>(`/api/clients?${new URLSearchParams({ q: query, limit: '20' })}`, { signal }),
    [query, callPage],
  );
  const services = useLoad((signal) => call<Service[]>('/api/services', { signal }), [call]);

  const [clientId, setClientId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const initial = initialStart ? DateTime.fromISO(initialStart, { zone: clinicianZone }) : null;
  const [date, setDate] = useState(initial?.toISODate() ?? '');
  const [time, setTime] = useState(initial?.toFormat('HH:mm') ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const matches = clients.data?.items ?? [];
  useEffect(() => {
    // One match is the client asked for: chosen, so searching a name and booking needs no extra step.
    if (matches.length === 1) setClientId(matches[0].id);
  }, [matches]);
  useEffect(() => {
    if (!serviceId && services.data?.length) setServiceId(services.data[0].id);
  }, [services.data, serviceId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const startsAt = DateTime.fromISO(`${date}T${time}`, { zone: clinicianZone });
    if (!startsAt.isValid) {
      setError(new Error('Enter the date and time of the appointment.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call('/api/appointments', {
        method: 'POST',
        body: { clinicianId, clientId, serviceId, startsAt: iso(startsAt) },
      });
      onBooked();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const formId = 'book-appointment';
  return (
    <Dialog
      title="Book an appointment"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} disabled={busy || !clientId || !serviceId}>
            {busy ? 'Booking…' : 'Book'}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={(e) => void submit(e)}>
        {manager && (
          <SelectField
            label="Clinician"
            value={clinicianId}
            onValue={setClinicianId}
            error={fieldError(error, 'clinicianId')}
          >
            {choosable.map((c) => (
              <option key={c.id} value={c.id}>
                {fullName(c)}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          label="Find the client"
          type="search"
          value={search}
          onValue={setSearch}
          hint="Part of a name, email address or phone number."
        />
        {clients.loading && !clients.data && <Loading label="Looking for clients…" />}
        <ErrorAlert error={clients.error} onRetry={clients.reload} />
        {clients.data && matches.length === 0 && (
          <p className="muted small">
            {manager
              ? 'No client matches. Add them on the Clients page first.'
              : // A clinician finds the clients they see; adding a new one is the practice's (Clients page).
                'None of your clients matches. A new client is added by an admin or practice manager on the Clients page.'}
          </p>
        )}
        {matches.length > 0 && (
          <SelectField
            label="Client"
            value={clientId}
            onValue={setClientId}
            error={fieldError(error, 'clientId')}
          >
            <option value="">Choose a client</option>
            {matches.map((c) => (
              <option key={c.id} value={c.id}>
                {fullName(c)} · {c.email}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          label="Service"
          value={serviceId}
          onValue={setServiceId}
          error={fieldError(error, 'serviceId')}
        >
          {(services.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({formatMinutes(s.durationMinutes)})
            </option>
          ))}
        </SelectField>
        <ErrorAlert error={services.error} onRetry={services.reload} />
        <div className="field-row">
          <TextField label="Date" type="date" required value={date} onValue={setDate} />
          <TextField
            label="Start time"
            type="time"
            required
            value={time}
            onValue={setTime}
            error={fieldError(error, 'startsAt')}
          />
        </div>
        <p className="muted small">
          In {clinician ? `${fullName(clinician)}'s` : "the clinician's"} time zone,{' '}
          {formatZone(clinicianZone)}. Any time can be booked here, also outside the hours clients can request
          online.
        </p>
      </form>
      <FormError error={error} fields={fields} />
      {!clinician && <Alert kind="warning">Choose a clinician.</Alert>}
    </Dialog>
  );
}
