import { useState, type FormEvent } from 'react';
import { ApiError, call, fieldError, newIdempotencyKey, shownAtField } from '../api';
import { formatRange, fullName, zoneName } from '../format';
import { Link, useSearchParam } from '../router';
import {
  Alert,
  ErrorAlert,
  FormError,
  Loading,
  PageHeading,
  StepHeading,
  TextField,
  messageOf,
  useLoad,
} from '../ui';
import { SlotPicker } from './SlotPicker';
import { useZone } from './session';
import type { PortalClinician, PortalInfo, Slot } from './types';

type Step = 'clinician' | 'slot' | 'details' | 'verify' | 'sent';

const DETAIL_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'message'] as const;
const CODE_FIELDS = ['emailVerificationCode'] as const;

/** Why a request was refused, in words a client can act on. */
export function refusalMessage(err: unknown, practice: PortalInfo): string | null {
  if (!(err instanceof ApiError)) return null;
  const call = practice.phone
    ? ` Please call the practice at ${practice.phone}.`
    : ' Please contact the practice.';
  switch (err.code) {
    case 'NEW_CLIENTS_NOT_ACCEPTED':
      return `${practice.name} is not accepting requests from new clients online right now.${call}`;
    case 'RATE_LIMITED':
      return `${err.detail}${call}`;
    case 'TOO_MANY_PENDING_REQUESTS':
      return `You already have several requests waiting for the practice. Please wait for an answer to those.${call}`;
    case 'CLINICIAN_NOT_FOUND':
    case 'SERVICE_NOT_FOUND':
    case 'SERVICE_NOT_OFFERED':
      return `This clinician or service can no longer be booked online.${call}`;
    default:
      return null;
  }
}

export const SLOT_TAKEN =
  'Sorry, that time was just taken by someone else and is no longer available. Please choose another time.';

/** What a refused code says next to the code field. */
const WRONG_CODE =
  'That code is not right, or it has expired. Check the newest email from us, or send a new code.';

/**
 * "I'm a new client": clinician, an initial consultation slot, contact details, the code emailed to the address
 * given (nothing is held for an address nobody has shown to be theirs), send, confirmation.
 */
export function NewClientFlow({ practice, base }: { practice: PortalInfo; base: string }) {
  const slug = practice.slug;
  const clinicians = useLoad(
    (signal) => call<PortalClinician[]>(`/portal/${encodeURIComponent(slug)}/clinicians`, { signal }),
    [slug],
  );
  const [zone, setZone] = useZone();
  const [week, setWeek] = useSearchParam('week');
  const [step, setStep] = useState<Step>('clinician');
  const [clinician, setClinician] = useState<PortalClinician | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', phone: '', message: '' });
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The address the last code went to: coming back to the form with the same address asks for no new code.
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeNotice, setCodeNotice] = useState<string | null>(null);

  if (!practice.allowNewClients) {
    return (
      <>
        <PageHeading title="New clients">New clients</PageHeading>
        <Alert kind="info">
          {practice.name} is not accepting requests from new clients online.
          {practice.phone ? ` Please call ${practice.phone}.` : ' Please contact the practice.'}
        </Alert>
        <p>
          <Link to={`${base}/sign-in`}>I'm an existing client</Link>
        </p>
      </>
    );
  }

  const service = clinician?.services.find((s) => s.id === clinician.newClients.initialConsultationServiceId);
  const accepting = (clinicians.data ?? []).filter((c) => c.newClients.accepted);
  const set = (field: keyof typeof form) => (value: string) => setForm({ ...form, [field]: value });

  const email = form.email.trim();
  const verificationsPath = `/portal/${encodeURIComponent(slug)}/email-verifications`;

  /** Emails a code to the address typed; the answer is the same whether or not it is anyone's. */
  const sendCode = async () => {
    await call(verificationsPath, { method: 'POST', body: { email } });
    setCodeSentTo(email);
    setCode('');
  };

  const toVerify = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setCodeNotice(null);
    if (codeSentTo === email) {
      setStep('verify');
      return;
    }
    setSending(true);
    try {
      await sendCode();
      setStep('verify');
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  const resend = async () => {
    setSending(true);
    setError(null);
    setCodeNotice(null);
    try {
      await sendCode();
      setCodeNotice(
        `A new code is on its way to ${email}. Use the newest one; earlier codes no longer work.`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!clinician || !service || !slot) return;
    setSending(true);
    setError(null);
    setCodeNotice(null);
    try {
      await call(`/portal/${encodeURIComponent(slug)}/requests`, {
        method: 'POST',
        // The same key on a retry of this submission, so a lost answer never makes two requests.
        headers: { 'idempotency-key': idempotencyKey },
        body: {
          clinicianId: clinician.id,
          serviceId: service.id,
          startsAt: slot.startsAt,
          timeZone: zone,
          newClient: {
            firstName: form.firstName.trim(),
            lastName: form.lastName.trim(),
            email,
            phone: form.phone.trim(),
          },
          emailVerificationCode: code.trim(),
          ...(form.message.trim() ? { message: form.message.trim() } : {}),
        },
      });
      setStep('sent');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SLOT_UNAVAILABLE') {
        setNotice(SLOT_TAKEN);
        setSlot(null);
        setIdempotencyKey(newIdempotencyKey());
        setRefresh((n) => n + 1);
        setStep('slot');
      } else if (err instanceof ApiError && err.code === 'EMAIL_NOT_VERIFIED') {
        setError(new ApiError(err.status, err.code, WRONG_CODE, '/emailVerificationCode', err.body));
      } else {
        setError(err);
        // A refused detail (name, email, phone, message) is fixed where it was typed.
        if (shownAtField(err, DETAIL_FIELDS)) setStep('details');
      }
    } finally {
      setSending(false);
    }
  };

  if (step === 'sent' && clinician && service && slot) {
    return (
      <>
        <PageHeading title="Request sent">Request sent</PageHeading>
        <Alert kind="success" title="Thank you, your request has been sent.">
          <p>
            {service.name} with {fullName(clinician)} on{' '}
            <strong>{formatRange(slot.startsAt, slot.endsAt, zone)}</strong> ({zoneName(zone)}).
          </p>
          <p>
            This is a request, not yet a confirmed appointment. {practice.name} will review it and email you
            at <strong>{form.email.trim()}</strong>.
          </p>
        </Alert>
        <p>
          <Link to={base}>Back to {practice.name}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeading title={`New client – ${practice.name}`}>Request a first appointment</PageHeading>
      <ol className="steps" aria-label="Steps">
        {(['Clinician', 'Time', 'Details', 'Confirm email'] as const).map((label, i) => {
          const current = ['clinician', 'slot', 'details', 'verify'].indexOf(step) === i;
          return (
            <li key={label} className={current ? 'current' : ''} aria-current={current ? 'step' : undefined}>
              {label}
            </li>
          );
        })}
      </ol>

      {step === 'clinician' && (
        <section aria-labelledby="choose-clinician">
          <h2 id="choose-clinician">Choose a clinician</h2>
          {clinicians.loading && <Loading />}
          <ErrorAlert error={clinicians.error} onRetry={clinicians.reload} />
          {clinicians.data && accepting.length === 0 && (
            <Alert kind="info">
              No clinicians are taking new clients online right now. Please contact the practice.
            </Alert>
          )}
          <ul className="choice-list">
            {accepting.map((c) => {
              const initial = c.services.find((s) => s.id === c.newClients.initialConsultationServiceId);
              return (
                <li key={c.id}>
                  <button
                    type="button"
                    className="choice-card"
                    onClick={() => {
                      setClinician(c);
                      setSlot(null);
                      setNotice(null);
                      setStep('slot');
                    }}
                  >
                    {c.photoUrl && <img className="clinician-photo" src={c.photoUrl} alt="" />}
                    <span className="choice-title">{fullName(c)}</span>
                    {c.bio && <span className="choice-sub clinician-bio">{c.bio}</span>}
                    {initial && (
                      <span className="choice-sub">
                        {initial.name}, {initial.durationMinutes} minutes
                      </span>
                    )}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {step === 'slot' && clinician && service && (
        <section aria-labelledby="choose-time">
          <StepHeading id="choose-time">Choose a time with {fullName(clinician)}</StepHeading>
          <p className="muted">
            {service.name}, {service.durationMinutes} minutes.{' '}
            <button type="button" className="link" onClick={() => setStep('clinician')}>
              Choose another clinician
            </button>
          </p>
          {notice && <Alert kind="warning">{notice}</Alert>}
          <SlotPicker
            slug={slug}
            clinicianId={clinician.id}
            serviceId={service.id}
            zone={zone}
            practiceZone={practice.timeZone}
            onZoneChange={setZone}
            week={week}
            onWeekChange={setWeek}
            refreshKey={refresh}
            onSelect={(s) => {
              if (s.startsAt !== slot?.startsAt) setIdempotencyKey(newIdempotencyKey());
              setSlot(s);
              setNotice(null);
              setError(null);
              setStep('details');
            }}
          />
        </section>
      )}

      {step === 'details' && clinician && service && slot && (
        <section aria-labelledby="your-details">
          <StepHeading id="your-details">Your details</StepHeading>
          <div className="summary">
            <div>
              <strong>{service.name}</strong> with {fullName(clinician)}
              <br />
              {formatRange(slot.startsAt, slot.endsAt, zone)} <span className="muted">{zoneName(zone)}</span>
            </div>
            <button type="button" className="secondary small" onClick={() => setStep('slot')}>
              Change time
            </button>
          </div>
          <form onSubmit={(e) => void toVerify(e)} noValidate={false}>
            <div className="field-row">
              <TextField
                label="First name"
                name="firstName"
                autoComplete="given-name"
                required
                maxLength={100}
                value={form.firstName}
                onValue={set('firstName')}
                error={fieldError(error, 'firstName')}
              />
              <TextField
                label="Last name"
                name="lastName"
                autoComplete="family-name"
                required
                maxLength={100}
                value={form.lastName}
                onValue={set('lastName')}
                error={fieldError(error, 'lastName')}
              />
            </div>
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              required
              maxLength={254}
              hint="We email you a code to confirm it is yours; the practice answers your request there too."
              value={form.email}
              onValue={set('email')}
              error={fieldError(error, 'email')}
            />
            <TextField
              label="Phone"
              name="phone"
              type="tel"
              autoComplete="tel"
              required
              pattern={'\\+?[0-9 \\(\\)\\.\\-]{7,25}'}
              hint="Digits, spaces, + ( ) . - allowed."
              value={form.phone}
              onValue={set('phone')}
              error={fieldError(error, 'phone')}
            />
            <TextField
              label="Message to the clinician"
              name="message"
              multiline
              maxLength={2000}
              hint="Anything you would like the clinician to know before your first appointment."
              value={form.message}
              onValue={set('message')}
              error={fieldError(error, 'message')}
            />
            <FormError error={error} fields={DETAIL_FIELDS}>
              {refusalMessage(error, practice) ?? messageOf(error)}
            </FormError>
            <div className="actions">
              <button type="submit" disabled={sending}>
                {sending ? 'Sending a code…' : 'Continue'}
              </button>
            </div>
          </form>
        </section>
      )}

      {step === 'verify' && clinician && service && slot && (
        <section aria-labelledby="confirm-email">
          <StepHeading id="confirm-email">Confirm your email address</StepHeading>
          <p>
            We sent a 6-digit code to <strong>{email}</strong>. Enter it here to send your request. The code
            is valid for 15 minutes; if it does not arrive within a few minutes, check your spam folder.
          </p>
          {codeNotice && <Alert kind="info">{codeNotice}</Alert>}
          <form onSubmit={(e) => void submit(e)}>
            <TextField
              label="Code from the email"
              name="emailVerificationCode"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              pattern="[0-9]{6}"
              maxLength={6}
              hint="6 digits."
              value={code}
              onValue={(v) => setCode(v.replace(/\D/g, '').slice(0, 6))}
              error={fieldError(error, 'emailVerificationCode')}
            />
            <FormError error={error} fields={CODE_FIELDS}>
              {refusalMessage(error, practice) ?? messageOf(error)}
            </FormError>
            <div className="actions">
              <button type="submit" disabled={sending || code.length !== 6}>
                {sending ? 'Sending…' : 'Send request'}
              </button>
            </div>
          </form>
          <p className="small">
            <button type="button" className="link" disabled={sending} onClick={() => void resend()}>
              Send a new code
            </button>
            {' · '}
            <button
              type="button"
              className="link"
              onClick={() => {
                setError(null);
                setStep('details');
              }}
            >
              Change email address
            </button>
          </p>
        </section>
      )}
    </>
  );
}
