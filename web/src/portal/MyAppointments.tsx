import { useEffect, useState } from 'react';
import { ApiError, call } from '../api';
import {
  portalAppointmentStatusLabel,
  formatDateTime,
  formatRange,
  formatZone,
  fullName,
  policyHours,
  requestStatusLabel,
} from '../format';
import { Link } from '../router';
import {
  Alert,
  Dialog,
  ErrorAlert,
  Loading,
  PageHeading,
  StatusBadge,
  TextField,
  messageOf,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { RescheduleRequest } from './RescheduleRequest';
import { useZone } from './session';
import { ReminderChoice } from './ReminderChoice';
import type {
  ClientSession,
  PortalAppointment,
  PortalAppointments,
  PortalClinician,
  PortalInfo,
  PortalRequest,
} from './types';

interface Props {
  practice: PortalInfo;
  base: string;
  session: ClientSession;
  signOut: (reason?: string) => void;
}

const telHref = (phone: string) => `tel:${phone.replace(/[^+\d]/g, '')}`;

/** Under the phone-only policy: the server's sentence and a link that dials the number. */
function CancelByPhone({
  appointment: a,
  practice,
}: {
  appointment: PortalAppointment;
  practice: PortalInfo;
}) {
  const phone = a.practicePhone ?? practice.phone;
  return (
    <>
      <p className="small muted">{a.cancelByPhoneMessage}</p>
      {phone && (
        <div className="actions">
          <a className="button secondary" href={telHref(phone)}>
            Call {phone}
          </a>
        </div>
      )}
    </>
  );
}

/** Past the free-cancelation cutoff (or phone-only): the sentence with the number, instead of "Request a different time". */
function MoveByPhone({ appointment: a, practice }: { appointment: PortalAppointment; practice: PortalInfo }) {
  const phone = a.practicePhone ?? practice.phone;
  return (
    <>
      <p className="small muted">{a.rescheduleByPhoneMessage}</p>
      {phone && a.canCancelOnline && (
        <div className="actions">
          <a className="button secondary" href={telHref(phone)}>
            Call {phone}
          </a>
        </div>
      )}
    </>
  );
}

/** What canceling this appointment online would mean, in one sentence. */
function policyText(a: PortalAppointment, zone: string): string {
  const hours = policyHours[a.cancellationPolicy];
  const until = a.freeCancelationUntil ? formatDateTime(a.freeCancelationUntil, zone) : '';
  if (a.cancelNowAs === 'late_canceled') {
    return `The free cancelation period (at least ${hours} hours' notice) ended ${until}. If you cancel now, the appointment will be marked Late Canceled.`;
  }
  return `You can cancel free of charge until ${until} (at least ${hours} hours' notice). After that, a cancelation is marked Late Canceled.`;
}

/** The signed-in client's page: Request Appointment, upcoming and past appointments, pending requests. */
export function MyAppointments({ practice, base, session, signOut }: Props) {
  const slug = encodeURIComponent(practice.slug);
  const [zone, setZone] = useZone();
  const [canceling, setCanceling] = useState<PortalAppointment | null>(null);
  const [rescheduling, setRescheduling] = useState<PortalAppointment | null>(null);
  const { message, show: setMessage } = useSuccessMessage<{
    kind: 'success' | 'error' | 'info';
    text: string;
  }>();
  const token = session.token;
  const data = useLoad(
    async (signal) => {
      const [appointments, requests, clinicians] = await Promise.all([
        call<PortalAppointments>(`/portal/${slug}/me/appointments?timeZone=${encodeURIComponent(zone)}`, {
          token,
          signal,
        }),
        call<PortalRequest[]>(`/portal/${slug}/me/requests`, { token, signal }),
        call<PortalClinician[]>(`/portal/${slug}/clinicians`, { signal }),
      ]);
      return { ...appointments, requests, clinicians };
    },
    [slug, token, zone],
  );
  const expired = data.error instanceof ApiError && (data.error.status === 401 || data.error.status === 404);
  useEffect(() => {
    if (expired) signOut('Your session has ended. Please sign in again.');
  }, [expired, signOut]);

  const clinicianName = (id: string) => {
    const c = data.data?.clinicians.find((x) => x.id === id);
    return c ? fullName(c) : 'your clinician';
  };
  const serviceName = (clinicianId: string, serviceId: string) =>
    data.data?.clinicians.find((x) => x.id === clinicianId)?.services.find((s) => s.id === serviceId)?.name ??
    'Appointment';
  const allPending = (data.data?.requests ?? []).filter((r) => r.status === 'pending');
  // A request to move an appointment is shown on the appointment's own card, not as a request for a new one.
  const moveOf = new Map(
    allPending.filter((r) => r.kind === 'reschedule' && r.appointmentId).map((r) => [r.appointmentId!, r]),
  );
  const pending = allPending.filter((r) => r.kind !== 'reschedule');
  const recent = (data.data?.requests ?? []).filter((r) => r.status === 'declined' || r.status === 'expired');

  const withdraw = async (r: PortalRequest) => {
    try {
      await call(`/portal/${slug}/me/requests/${r.id}/withdraw`, { method: 'POST', token });
      setMessage({
        kind: 'success',
        text:
          r.kind === 'reschedule'
            ? 'Your request to reschedule was withdrawn. Your appointment keeps its time.'
            : 'Your request was withdrawn.',
      });
    } catch (err) {
      setMessage({ kind: 'error', text: messageOf(err) });
    }
    data.reload();
  };

  if (rescheduling)
    return (
      <>
        <PageHeading title={`Request a different time – ${practice.name}`}>
          Request a different time
        </PageHeading>
        <RescheduleRequest
          practice={practice}
          appointment={rescheduling}
          token={token}
          zone={zone}
          onZoneChange={setZone}
          onBack={() => setRescheduling(null)}
          onSent={(slot) => {
            setRescheduling(null);
            setMessage({
              kind: 'success',
              text: `Your request to reschedule to ${formatRange(slot.startsAt, slot.endsAt, zone)} was sent. Your appointment keeps its current time until ${fullName(rescheduling.clinician)} approves; you'll get an email either way.`,
            });
            data.reload();
          }}
          onRefused={(text) => {
            setRescheduling(null);
            setMessage({ kind: 'error', text });
            data.reload();
          }}
        />
      </>
    );

  return (
    <>
      <PageHeading title={`My appointments – ${practice.name}`}>
        Hello, {session.client.firstName}
      </PageHeading>
      <div className="actions">
        <Link to={`${base}/me/request`} className="button">
          Request Appointment
        </Link>
      </div>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <p className="muted small">Times are shown in {formatZone(zone)}.</p>
      {data.loading && !data.data && <Loading />}
      {!expired && <ErrorAlert error={data.error} onRetry={data.reload} />}

      {data.data && (
        <>
          <section aria-labelledby="upcoming">
            <h2 id="upcoming">My appointments</h2>
            {data.data.upcoming.length === 0 && <p className="muted">No upcoming appointments.</p>}
            <ul className="cards">
              {data.data.upcoming.map((a) => (
                <li key={a.id} className="card">
                  <div className="card-head">
                    <strong>{formatRange(a.startsAt, a.endsAt, zone)}</strong>
                    <StatusBadge status={a.status} label={portalAppointmentStatusLabel[a.status]} />
                  </div>
                  <div>
                    {a.service.name} with {fullName(a.clinician)}
                  </div>
                  {moveOf.has(a.id) && (
                    <RescheduleRequested
                      request={moveOf.get(a.id)!}
                      clinicianName={fullName(a.clinician)}
                      zone={zone}
                      onWithdraw={(r) => void withdraw(r)}
                    />
                  )}
                  {a.canCancelOnline ? (
                    <>
                      <p className="small muted">{policyText(a, zone)}</p>
                      <div className="actions">
                        {a.canRequestReschedule && !moveOf.has(a.id) && (
                          <button type="button" className="secondary" onClick={() => setRescheduling(a)}>
                            Request a different time
                          </button>
                        )}
                        <button type="button" className="secondary" onClick={() => setCanceling(a)}>
                          Cancel appointment
                        </button>
                      </div>
                    </>
                  ) : (
                    // Phone-only: the practice's (or clinician's) number instead of a button the API would refuse.
                    <CancelByPhone appointment={a} practice={practice} />
                  )}
                  {!a.canRequestReschedule && !moveOf.has(a.id) && (
                    <MoveByPhone appointment={a} practice={practice} />
                  )}
                </li>
              ))}
            </ul>
          </section>

          {pending.length > 0 && (
            <section aria-labelledby="pending">
              <h2 id="pending">Waiting for the practice</h2>
              <ul className="cards">
                {pending.map((r) => (
                  <li key={r.id} className="card">
                    <div className="card-head">
                      <strong>{formatRange(r.startsAt, r.endsAt, zone)}</strong>
                      <StatusBadge status={r.status} label={requestStatusLabel[r.status]} />
                    </div>
                    <div>
                      {serviceName(r.clinicianId, r.serviceId)} with {clinicianName(r.clinicianId)}
                    </div>
                    <div className="actions">
                      <button type="button" className="secondary" onClick={() => void withdraw(r)}>
                        Withdraw request
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          )}

          {recent.length > 0 && (
            <section aria-labelledby="not-booked">
              <h2 id="not-booked">Requests not booked</h2>
              <ul className="cards">
                {recent.map((r) => (
                  <li key={r.id} className="card">
                    <div className="card-head">
                      <span>{formatRange(r.startsAt, r.endsAt, zone)}</span>
                      <StatusBadge status={r.status} label={requestStatusLabel[r.status]} />
                    </div>
                    {r.kind === 'reschedule' && (
                      <p className="small">
                        A request to move an appointment: the appointment kept its time.
                      </p>
                    )}
                    {r.declineNote && <p className="small">Note from the practice: {r.declineNote}</p>}
                  </li>
                ))}
              </ul>
            </section>
          )}

          {data.data.past.length > 0 && (
            <section aria-labelledby="past">
              <h2 id="past">Past and canceled appointments</h2>
              <ul className="cards">
                {data.data.past.map((a) => (
                  <li key={a.id} className="card">
                    <div className="card-head">
                      <span>{formatRange(a.startsAt, a.endsAt, zone)}</span>
                      <StatusBadge status={a.status} label={portalAppointmentStatusLabel[a.status]} />
                    </div>
                    <div>
                      {a.service.name} with {fullName(a.clinician)}
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}

      <ReminderChoice slug={practice.slug} token={token} />

      {canceling && (
        <CancelDialog
          appointment={canceling}
          practice={practice}
          zone={zone}
          token={token}
          onClose={() => setCanceling(null)}
          onDone={(text, kind) => {
            setCanceling(null);
            setMessage({ kind, text });
            data.reload();
          }}
        />
      )}
    </>
  );
}

/** A pending request to move this appointment: the new time, whom it waits for, and a way to withdraw it. */
function RescheduleRequested({
  request: r,
  clinicianName,
  zone,
  onWithdraw,
}: {
  request: PortalRequest;
  clinicianName: string;
  zone: string;
  onWithdraw: (r: PortalRequest) => void;
}) {
  return (
    <Alert kind="info">
      <p>
        Reschedule requested: <strong>{formatRange(r.startsAt, r.endsAt, zone)}</strong>, waiting for{' '}
        {clinicianName}. Until then your appointment keeps the time above.
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => onWithdraw(r)}>
          Withdraw reschedule request
        </button>
      </div>
    </Alert>
  );
}

/** States the policy (free until when, Late Canceled, or call the practice) before the client confirms. */
function CancelDialog({
  appointment: a,
  practice,
  zone,
  token,
  onClose,
  onDone,
}: {
  appointment: PortalAppointment;
  practice: PortalInfo;
  zone: string;
  token: string;
  onClose: () => void;
  onDone: (text: string, kind: 'success' | 'info') => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const phone = a.practicePhone ?? practice.phone;

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await call<{ status: string }>(
        `/portal/${encodeURIComponent(practice.slug)}/me/appointments/${a.id}/cancel`,
        { method: 'POST', token, body: reason.trim() ? { reason: reason.trim() } : {} },
      );
      if (result.status === 'late_canceled')
        onDone('Your appointment was canceled and marked Late Canceled.', 'success');
      else if (result.status === 'canceled') onDone('Your appointment was canceled.', 'success');
      else onDone('Your cancelation was received and is being processed.', 'info');
    } catch (err) {
      // The practice got there first: say what it did and show the list as it is now.
      if (err instanceof ApiError && err.code === 'APPOINTMENT_ALREADY_CANCELED') {
        onDone(err.detail, 'info');
        return;
      }
      setError(err);
      setBusy(false);
    }
  };

  const late = a.cancelNowAs === 'late_canceled';
  return (
    <Dialog
      title="Cancel this appointment?"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose} disabled={busy}>
            Keep appointment
          </button>
          <button
            type="button"
            className={late ? 'danger' : ''}
            onClick={() => void confirm()}
            disabled={busy}
          >
            {busy ? 'Canceling…' : late ? 'Cancel (late cancelation)' : 'Cancel appointment'}
          </button>
        </>
      }
    >
      <p>
        <strong>{formatRange(a.startsAt, a.endsAt, zone)}</strong>
        <br />
        {a.service.name} with {fullName(a.clinician)}
      </p>
      <Alert kind={late ? 'warning' : 'info'}>{policyText(a, zone)}</Alert>
      <TextField
        label="Reason"
        name="reason"
        multiline
        maxLength={1000}
        value={reason}
        onValue={setReason}
        hint="Shared with your clinician."
      />
      {error !== null && (
        <Alert kind="error">
          {error instanceof ApiError && error.code === 'CANCEL_BY_PHONE_ONLY' && phone
            ? `This appointment can't be canceled online. Please call ${phone}.`
            : messageOf(error)}
        </Alert>
      )}
    </Dialog>
  );
}
