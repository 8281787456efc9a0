import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import type { ResponseOf } from '../generated/api';
import {
  appointmentStatusLabel,
  formatDateTime,
  formatRange,
  formatZone,
  fullName,
  requestStatusLabel,
} from '../format';
import { Link } from '../router';
import {
  Alert,
  Dialog,
  ErrorAlert,
  FormError,
  Loading,
  PageHeading,
  StatusBadge,
  messageOf,
  useLoad,
} from '../ui';
import { useStaff } from './context';
import { CONTACT_FIELDS, ClientContactFields } from './ClientContactFields';

type Profile = ResponseOf<'GET /api/clients/{id}'>;
type Invitation = ResponseOf<'POST /api/clients/{id}/portal-invite'>;
type Notice = { kind: 'success' | 'error' | 'info'; text: string };

/** A client's profile: contact details, edit, archive, portal invitation, and every appointment and request. */
export function ClientProfile({ id }: { id: string }) {
  const { call, zone } = useStaff();
  const profile = useLoad((signal) => call<Profile>(`/api/clients/${id}`, { signal }), [id, call]);
  const [editing, setEditing] = useState(false);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  if (profile.error instanceof ApiError && profile.error.status === 404) {
    return (
      <>
        <PageHeading title="Client not found">Client not found</PageHeading>
        <p>
          There is no such client, or they are not one of your clients.{' '}
          <Link to="/app/clients">Back to clients</Link>
        </p>
      </>
    );
  }
  const c = profile.data;
  if (!c) return profile.error ? <ErrorAlert error={profile.error} onRetry={profile.reload} /> : <Loading />;

  const act = async (run: () => Promise<Notice>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice(await run());
      profile.reload();
    } catch (err) {
      setNotice({ kind: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  const invite = () =>
    act(async () => {
      await call<Invitation>(`/api/clients/${c.id}/portal-invite`, { method: 'POST' });
      return {
        kind: 'success',
        text: `An invitation to the client portal is on its way to ${c.email}. They sign in there with a code sent to that address.`,
      };
    });
  const setArchived = (archived: boolean) =>
    act(async () => {
      setConfirmArchive(false);
      await call(`/api/clients/${c.id}`, { method: 'PATCH', body: { archived } });
      return archived
        ? {
            kind: 'success',
            text: `${fullName(c)} is archived: they can no longer sign in to the portal or send requests. Their history stays here.`,
          }
        : { kind: 'success', text: `${fullName(c)} is active again and can use the client portal.` };
    });

  return (
    <>
      <p className="small">
        <Link to="/app/clients">← All clients</Link>
      </p>
      <PageHeading title={`${fullName(c)} – Clients`}>{fullName(c)}</PageHeading>
      <div className="card-head">
        <div>
          {c.archived && <span className="badge badge-muted">Archived</span>}{' '}
          {c.sharesAddressWith && <span className="badge badge-info">Shares an email address</span>}
        </div>
      </div>
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <section aria-labelledby="contact-heading" className="card">
        <h2 id="contact-heading" style={{ marginTop: 0 }}>
          Contact details
        </h2>
        <dl className="details">
          <div>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${c.email}`}>{c.email}</a>
            </dd>
          </div>
          <div>
            <dt>Phone</dt>
            <dd>{c.phone ?? 'Not given'}</dd>
          </div>
          <div>
            <dt>Client portal</dt>
            <dd>
              {c.archived
                ? 'No access while archived'
                : c.sharesAddressWith
                  ? `${fullName(c.sharesAddressWith)} signs in with this address`
                  : c.portalInvitedAt
                    ? `Invited ${formatDateTime(c.portalInvitedAt, zone)}`
                    : 'Not invited yet'}
            </dd>
          </div>
          <div>
            <dt>Reminder emails</dt>
            {/* Read-only: only the client turns reminders off (the link in a reminder) or back on (the portal). */}
            <dd>
              {c.remindersOptedOutAt
                ? `Off since ${formatDateTime(c.remindersOptedOutAt, zone)}, the client's own choice. They can turn them back on in the client portal.`
                : 'On'}
            </dd>
          </div>
        </dl>
        {c.sharesAddressWith && (
          <p className="small muted">
            This client shares the email address of{' '}
            <Link to={`/app/clients/${c.sharesAddressWith.id}`}>{fullName(c.sharesAddressWith)}</Link>, who
            signs in to the portal with it. Give this client an address of their own to let them sign in.
          </p>
        )}
        <div className="actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => setEditing(true)}>
            Edit details
          </button>
          {!c.archived && c.portalSignIn && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void invite()}>
              {c.portalInvitedAt ? 'Send the portal invitation again' : 'Send portal invitation'}
            </button>
          )}
          {c.archived ? (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void setArchived(false)}
            >
              Unarchive
            </button>
          ) : (
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirmArchive(true)}>
              Archive
            </button>
          )}
        </div>
      </section>

      <h2>Appointments</h2>
      <p className="muted small">Times are shown in {formatZone(zone)}. Newest first.</p>
      {c.appointments.length === 0 ? (
        <p className="empty">No appointments.</p>
      ) : (
        <ul className="cards">
          {c.appointments.map((a) => (
            <li key={a.id} className="card">
              <div className="card-head">
                <strong>{formatRange(a.startsAt, a.endsAt, zone)}</strong>
                <StatusBadge status={a.status} label={appointmentStatusLabel[a.status] ?? a.status} />
              </div>
              <p className="small">
                {a.service.name} with {fullName(a.clinician)}
              </p>
            </li>
          ))}
        </ul>
      )}

      <h2>Requests</h2>
      {c.requests.length === 0 ? (
        <p className="empty">No online requests.</p>
      ) : (
        <ul className="cards">
          {c.requests.map((r) => (
            <li key={r.id} className="card">
              <div className="card-head">
                <strong>{formatRange(r.startsAt, r.endsAt, zone)}</strong>
                <StatusBadge status={r.status} label={requestStatusLabel[r.status] ?? r.status} />
              </div>
              <p className="small">
                {r.service.name} with {fullName(r.clinician)}, sent {formatDateTime(r.createdAt, zone)}
              </p>
            </li>
          ))}
        </ul>
      )}

      {editing && (
        <EditClientDialog
          client={c}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setNotice({ kind: 'success', text: 'The contact details were saved.' });
            profile.reload();
          }}
        />
      )}
      {confirmArchive && (
        <Dialog
          title={`Archive ${fullName(c)}?`}
          onClose={() => setConfirmArchive(false)}
          footer={
            <>
              <button type="button" className="secondary" onClick={() => setConfirmArchive(false)}>
                Back
              </button>
              <button type="button" className="danger" onClick={() => void setArchived(true)}>
                Archive client
              </button>
            </>
          }
        >
          <p>
            They will no longer be able to sign in to the client portal or send requests. Their appointments
            and requests stay on record, and you can unarchive them at any time.
          </p>
        </Dialog>
      )}
    </>
  );
}

function EditClientDialog({
  client,
  onCancel,
  onSaved,
}: {
  client: Profile;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { call } = useStaff();
  const [form, setForm] = useState({
    firstName: client.firstName,
    lastName: client.lastName,
    email: client.email,
    phone: client.phone ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await call(`/api/clients/${client.id}`, {
        method: 'PATCH',
        body: { ...form, phone: form.phone.trim() || null },
      });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog
      title="Edit contact details"
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form="edit-client" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form id="edit-client" onSubmit={(e) => void submit(e)} noValidate>
        <ClientContactFields form={form} onChange={(k, v) => set(k)(v)} error={error} />
        <FormError error={error} fields={CONTACT_FIELDS} />
      </form>
    </Dialog>
  );
}
