import { useState } from 'react';
import { DateTime } from 'luxon';
import { ApiError } from '../api';
import type { ResponseOf } from '../generated/api';
import { formatDateTime, fullName, iso } from '../format';
import { Alert, ErrorAlert, Loading, PageHeading, SelectField, useLoad } from '../ui';
import { useStaff } from './context';

type StaffMember = ResponseOf<'GET /api/staff'>[number];

type Entry = ResponseOf<'GET /api/audit-log'>[number];

// What each recorded action did, in the words of the dashboard; an action not listed reads as its own words.
const actionLabels: Record<string, string> = {
  'appointment.cancel': 'Canceled an appointment',
  'appointment.attendance': 'Marked attendance',
  'appointment.book': 'Booked an appointment',
  'appointment.reschedule': 'Moved an appointment',
  'availability_rule.create': 'Added availability',
  'availability_rule.update': 'Changed availability',
  'availability_rule.delete': 'Removed availability',
  'booking_preferences.update': 'Changed online booking preferences',
  'calendar_feed.create': 'Created a calendar feed link',
  'calendar_feed.rotate': 'Replaced a calendar feed link',
  'calendar_feed.delete': 'Turned off a calendar feed',
  'client.create': 'Added a client',
  'client.update': "Changed a client's details",
  'client.archive': 'Archived a client',
  'client.unarchive': 'Unarchived a client',
  'client.portal_invite': 'Invited a client to the portal',
  'practice.create': 'Created the practice',
  'practice.update': "Changed the practice's details",
  'practice.client_portal.update': 'Changed the client portal settings',
  'service.create': 'Added a service',
  'service.update': 'Changed a service',
  'service.delete': 'Removed a service',
  'staff.invitation.create': 'Invited a staff member',
  'staff.invitation.revoke': 'Revoked an invitation',
  'staff.invitation.accept': 'Accepted an invitation',
  'staff.update': "Changed a staff member's role or access",
  'staff.profile.update': 'Changed a staff profile',
  'staff.password.reset': 'Reset a password by emailed link',
  'time_off.create': 'Added time off',
  'time_off.delete': 'Removed time off',
};
/** "time_off.create" → "Time off create" for an action without a label. */
const sentence = (action: string) => {
  if (actionLabels[action]) return actionLabels[action];
  const s = action.replace(/[._-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
};

const show = (value: unknown) =>
  value === null || value === undefined
    ? '(none)'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** Before → after, field by field: objects by their keys, anything else as one value. */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(before) && !isObject(after)) {
    if (before == null && after == null) return null;
    return (
      <dl className="audit-changes">
        <dt>Value</dt>
        <dd>
          {show(before)} → {show(after)}
        </dd>
      </dl>
    );
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return (
    <dl className="audit-changes">
      {keys.map((k) => (
        <div key={k}>
          <dt>{sentence(k.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase())}</dt>
          <dd>
            {k in b && <span className="audit-before">{show(b[k])}</span>}
            {k in b && k in a && ' → '}
            {k in a && <span className="audit-after">{show(a[k])}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Audit log (admin clinicians and practice managers): every change, by whom and when, filtered by person and dates. */
export function AuditLog() {
  const { call, callPage, zone, user } = useStaff();
  const [actorId, setActorId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [more, setMore] = useState<{ items: Entry[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  // Everyone who can make a change: clinicians, admins and practice managers, deactivated ones too.
  const people = useLoad((signal) => call<StaffMember[]>('/api/staff', { signal }), [call]);

  // Whole days in the user's time zone: from the start of "from" to the end of "to".
  const params = new URLSearchParams();
  if (actorId) params.set('actorId', actorId);
  if (from) params.set('from', iso(DateTime.fromISO(from, { zone }).startOf('day')));
  if (to) params.set('to', iso(DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day')));
  const query = params.toString();
  const first = useLoad(
    (signal) => {
      setMore(null);
      return callPage<Entry>(`/api/audit-log${query ? `?${query}` : ''}`, { signal });
    },
    [callPage, query],
  );

  const title = 'Audit log';
  if (first.error instanceof ApiError && first.error.status === 403) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <Alert kind="info">Only Admin clinicians and Practice managers can read the audit log.</Alert>
      </>
    );
  }
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (first.data?.next ?? null);
  const loadMore = async () => {
    if (!next) return;
    setMoreError(null);
    try {
      const page = await callPage<Entry>(next);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next });
    } catch (err) {
      setMoreError(err);
    }
  };
  const choices: { id: string; firstName: string; lastName: string }[] = [...(people.data ?? [])];
  if (!choices.some((p) => p.id === user.id)) choices.unshift(user);

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="muted">
        Every change made in the practice: who made it, when, and what it was before and after.
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the audit log">
        <SelectField label="Person" value={actorId} onValue={setActorId}>
          <option value="">Everyone</option>
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {fullName(p)}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input
            id="audit-from"
            type="date"
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input
            id="audit-to"
            type="date"
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
      </form>
      {first.loading && <Loading />}
      <ErrorAlert error={first.error ?? people.error} onRetry={first.error ? first.reload : people.reload} />
      {first.data && items.length === 0 && <Alert kind="info">No changes match these filters.</Alert>}
      <ol className="audit-list">
        {items.map((e) => (
          <li key={e.id} className="audit-entry">
            <p className="audit-head">
              <strong>{e.actor.name ?? 'Someone no longer here'}</strong>
              {e.actor.type === 'client' && <span className="muted"> (client)</span>}{' '}
              <time dateTime={e.at}>{formatDateTime(e.at, zone)}</time>
            </p>
            <p className="audit-what">
              {sentence(e.action)}{' '}
              <span className="muted">
                · {sentence(e.entity)}
                {e.entityName && `: ${e.entityName}`}
              </span>
            </p>
            <Changes before={e.before} after={e.after} />
          </li>
        ))}
      </ol>
      <ErrorAlert error={moreError} />
      {next && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void loadMore()}>
            Show older changes
          </button>
        </div>
      )}
    </>
  );
}
