import { useState, type FormEvent } from 'react';
import { ApiError, fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { fullName } from '../format';
import { Link } from '../router';
import {
  Alert,
  ErrorAlert,
  FormError,
  Loading,
  PageHeading,
  SelectField,
  StatusBadge,
  TextField,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';
import { managesPractice, type StaffRole } from './types';

type StaffMember = ResponseOf<'GET /api/staff'>[number];
type Invitation = ResponseOf<'GET /api/staff/invitations'>[number];

export const roleLabels: Record<StaffRole, string> = {
  admin_clinician: 'Admin clinician',
  clinician: 'Clinician',
  practice_manager: 'Practice manager',
};
const roles = Object.keys(roleLabels) as StaffRole[];

const day = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

/** The staff page: everyone sees who works here; admin clinicians and practice managers invite and manage. */
export function Staff() {
  const staff = useStaff();
  const manager = managesPractice(staff.user);
  const members = useLoad((signal) => staff.call<StaffMember[]>('/api/staff', { signal }), [staff.call]);
  const invitations = useLoad(
    (signal) =>
      manager ? staff.call<Invitation[]>('/api/staff/invitations', { signal }) : Promise.resolve([]),
    [staff.call, manager],
  );

  return (
    <>
      <PageHeading title="Staff">Staff</PageHeading>
      {manager && <InviteForm onInvited={invitations.reload} />}
      {manager && (
        <section aria-labelledby="pending-heading">
          <h2 id="pending-heading">Pending invitations</h2>
          {invitations.error ? <ErrorAlert error={invitations.error} onRetry={invitations.reload} /> : null}
          {invitations.loading && !invitations.data ? <Loading /> : null}
          {invitations.data?.length === 0 && <p className="muted">No invitations are waiting.</p>}
          <ul className="cards">
            {invitations.data?.map((i) => (
              <PendingInvitation key={i.id} invitation={i} onRevoked={invitations.reload} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Staff members</h2>
        {members.error ? <ErrorAlert error={members.error} onRetry={members.reload} /> : null}
        {members.loading && !members.data ? <Loading /> : null}
        <ul className="cards">
          {members.data?.map((m) => (
            <Member key={m.id} member={m} canManage={manager} onChanged={members.reload} />
          ))}
        </ul>
      </section>
    </>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { call } = useStaff();
  const empty = { firstName: '', lastName: '', email: '', role: 'clinician' as StaffRole };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { message: sent, show: setSent, clear: clearSent } = useSuccessMessage();
  const set = (key: keyof typeof empty) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    clearSent();
    try {
      await call('/api/staff/invitations', {
        method: 'POST',
        body: {
          ...form,
          email: form.email.trim(),
          firstName: form.firstName.trim(),
          lastName: form.lastName.trim(),
        },
      });
      setSent(`Invitation sent to ${form.email.trim()}. The link works for 7 days.`);
      setForm(empty);
      onInvited();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form onSubmit={(e) => void submit(e)}>
        <div className="field-row">
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
        </div>
        <TextField
          label="Email"
          name="email"
          type="email"
          required
          value={form.email}
          onValue={set('email')}
          error={fieldError(error, 'email')}
        />
        <SelectField label="Role" value={form.role} onValue={set('role')} error={fieldError(error, 'role')}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </SelectField>
        <FormError error={error} fields={['firstName', 'lastName', 'email', 'role']} />
        {sent && <Alert kind="success">{sent}</Alert>}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send invitation'}
          </button>
        </div>
      </form>
    </section>
  );
}

function PendingInvitation({ invitation, onRevoked }: { invitation: Invitation; onRevoked: () => void }) {
  const { call } = useStaff();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = fullName(invitation);
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(`/api/staff/invitations/${invitation.id}`, { method: 'DELETE' });
      onRevoked();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <li className="card">
      <div className="card-head">
        <strong>{name}</strong>
        <StatusBadge status="pending" label={roleLabels[invitation.role]} />
      </div>
      <div>{invitation.email}</div>
      <div className="muted small">
        Invited {day(invitation.createdAt)}; the link works until {day(invitation.expiresAt)}.
      </div>
      <ErrorAlert error={error} />
      <div className="actions">
        <button
          type="button"
          className="secondary small"
          disabled={busy}
          onClick={() => void revoke()}
          aria-label={`Revoke the invitation for ${name}`}
        >
          Revoke
        </button>
      </div>
    </li>
  );
}

function Member({
  member,
  canManage,
  onChanged,
}: {
  member: StaffMember;
  canManage: boolean;
  onChanged: () => void;
}) {
  const { call, user } = useStaff();
  const [role, setRole] = useState<StaffRole>(member.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = fullName(member);
  const change = async (body: { role?: StaffRole; active?: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      await call(`/api/staff/${member.id}`, { method: 'PATCH', body });
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="card">
      <div className="card-head">
        <strong>
          {name}
          {member.id === user.id && <span className="muted"> (you)</span>}
        </strong>
        <span>
          <StatusBadge status={member.active ? 'active' : 'inactive'} label={roleLabels[member.role]} />{' '}
          {!member.active && <StatusBadge status="inactive" label="Deactivated" />}
        </span>
      </div>
      <div>{member.email}</div>
      {(canManage || member.id === user.id) && (
        <p className="small">
          <Link to={member.id === user.id ? '/app/profile' : `/app/staff/${member.id}/profile`}>
            {member.id === user.id ? 'Your profile' : `Profile of ${name}`}
          </Link>
        </p>
      )}
      {canManage && (
        <>
          <div className="field-row">
            <SelectField label={`Role of ${name}`} value={role} onValue={(v) => setRole(v as StaffRole)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </SelectField>
          </div>
          {error instanceof ApiError && error.status === 409 ? (
            <Alert kind="warning">{error.detail}</Alert>
          ) : (
            <ErrorAlert error={error} />
          )}
          <div className="actions">
            <button
              type="button"
              className="secondary small"
              disabled={busy || role === member.role}
              onClick={() => void change({ role })}
              aria-label={`Change the role of ${name}`}
            >
              Change role
            </button>
            <button
              type="button"
              className={member.active ? 'danger small' : 'secondary small'}
              disabled={busy}
              onClick={() => void change({ active: !member.active })}
              aria-label={`${member.active ? 'Deactivate' : 'Reactivate'} ${name}`}
            >
              {member.active ? 'Deactivate' : 'Reactivate'}
            </button>
          </div>
        </>
      )}
    </li>
  );
}
