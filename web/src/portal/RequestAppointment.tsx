import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, call, fieldError, newIdempotencyKey } from '../api';
import { formatRange, fullName, zoneName } from '../format';
import { Link, useSearchParam } from '../router';
import {
  FormError,
  Alert,
  ErrorAlert,
  Loading,
  PageHeading,
  SelectField,
  StepHeading,
  TextField,
  messageOf,
  useLoad,
} from '../ui';
import { SLOT_TAKEN, refusalMessage } from './NewClientFlow';
import { SlotPicker } from './SlotPicker';
import { useZone } from './session';
import type { ClientSession, PortalClinician, PortalInfo, Slot } from './types';

/** "Request Appointment" for a signed-in client: clinician, any bookable service, a slot, an optional message. */
export function RequestAppointment({
  practice,
  base,
  session,
  signOut,
}: {
  practice: PortalInfo;
  base: string;
  session: ClientSession;
  signOut: (reason?: string) => void;
}) {
  const slug = encodeURIComponent(practice.slug);
  const clinicians = useLoad(
    (signal) => call<PortalClinician[]>(`/portal/${slug}/clinicians`, { signal }),
    [slug],
  );
  const [zone, setZone] = useZone();
  const [week, setWeek] = useSearchParam('week');
  const [clinicianId, setClinicianId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [slot, setSlot] = useState<Slot | null>(null);
  const [message, setMessage] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);

  const list = clinicians.data ?? [];
  const clinician = list.find((c) => c.id === clinicianId) ?? null;
  const service = clinician?.services.find((s) => s.id === serviceId) ?? null;
  useEffect(() => {
    if (!clinicianId && list.length === 1) setClinicianId(list[0].id);
  }, [clinicianId, list]);
  useEffect(() => {
    if (clinician && !clinician.services.some((s) => s.id === serviceId))
      setServiceId(clinician.services[0]?.id ?? '');
  }, [clinician, serviceId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!clinician || !service || !slot) return;
    setSending(true);
    setError(null);
    try {
      await call(`/portal/${slug}/requests`, {
        method: 'POST',
        token: session.token,
        headers: { 'idempotency-key': key },
        body: {
          clinicianId: clinician.id,
          serviceId: service.id,
          startsAt: slot.startsAt,
          timeZone: zone,
          ...(message.trim() ? { message: message.trim() } : {}),
        },
      });
      setSent(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SLOT_UNAVAILABLE') {
        setNotice(SLOT_TAKEN);
        setSlot(null);
        setKey(newIdempotencyKey());
        setRefresh((n) => n + 1);
      } else if (err instanceof ApiError && err.status === 401) {
        signOut('Your session has ended. Please sign in again.');
      } else {
        setError(err);
      }
    } finally {
      setSending(false);
    }
  };

  if (sent && clinician && service && slot) {
    return (
      <>
        <PageHeading title="Request sent">Request sent</PageHeading>
        <Alert kind="success" title="Your request has been sent.">
          <p>
            {service.name} with {fullName(clinician)} on{' '}
            <strong>{formatRange(slot.startsAt, slot.endsAt, zone)}</strong> ({zoneName(zone)}).
          </p>
          <p>It is not confirmed yet: you will get an email when {practice.name} approves or declines it.</p>
        </Alert>
        <p>
          <Link to={`${base}/me`}>Back to my appointments</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeading title={`Request Appointment – ${practice.name}`}>Request Appointment</PageHeading>
      <p>
        <Link to={`${base}/me`}>← My appointments</Link>
      </p>
      {clinicians.loading && <Loading />}
      <ErrorAlert error={clinicians.error} onRetry={clinicians.reload} />
      {clinicians.data && list.length === 0 && (
        <Alert kind="info">No clinicians take online requests right now. Please contact the practice.</Alert>
      )}
      {list.length > 0 && !slot && (
        <>
          <div className="field-row">
            <SelectField
              label="Clinician"
              value={clinicianId}
              onValue={(v) => {
                setClinicianId(v);
                setNotice(null);
              }}
            >
              <option value="">Choose a clinician</option>
              {list.map((c) => (
                <option key={c.id} value={c.id}>
                  {fullName(c)}
                </option>
              ))}
            </SelectField>
            {clinician && (clinician.bio || clinician.photoUrl) && (
              <div className="clinician-about">
                {clinician.photoUrl && <img className="clinician-photo" src={clinician.photoUrl} alt="" />}
                {clinician.bio && <p className="clinician-bio">{clinician.bio}</p>}
              </div>
            )}
            {clinician && (
              <SelectField label="Service" value={serviceId} onValue={setServiceId}>
                {clinician.services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.durationMinutes} min)
                  </option>
                ))}
              </SelectField>
            )}
          </div>
          {notice && <Alert kind="warning">{notice}</Alert>}
          {clinician && service && (
            <>
              <h2>Choose a time</h2>
              <SlotPicker
                slug={practice.slug}
                clinicianId={clinician.id}
                serviceId={service.id}
                token={session.token}
                zone={zone}
                practiceZone={practice.timeZone}
                onZoneChange={setZone}
                week={week}
                onWeekChange={setWeek}
                refreshKey={refresh}
                onSelect={(s) => {
                  setKey(newIdempotencyKey());
                  setSlot(s);
                  setError(null);
                }}
              />
            </>
          )}
        </>
      )}
      {clinician && service && slot && (
        <form onSubmit={(e) => void submit(e)}>
          <StepHeading>Confirm your request</StepHeading>
          <div className="summary">
            <div>
              <strong>{service.name}</strong> with {fullName(clinician)}
              <br />
              {formatRange(slot.startsAt, slot.endsAt, zone)} <span className="muted">{zoneName(zone)}</span>
            </div>
            <button type="button" className="secondary small" onClick={() => setSlot(null)}>
              Change time
            </button>
          </div>
          <TextField
            label="Message to the clinician"
            name="message"
            multiline
            maxLength={2000}
            value={message}
            onValue={setMessage}
            error={fieldError(error, 'message')}
          />
          <FormError error={error} fields={['message']}>
            {refusalMessage(error, practice) ?? messageOf(error)}
          </FormError>
          <div className="actions">
            <button type="submit" disabled={sending}>
              {sending ? 'Sending…' : 'Send request'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
