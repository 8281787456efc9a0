import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import type { ResponseOf } from '../generated/api';
import {
  appointmentStatusLabel,
  formatMinutes,
  formatRange,
  formatZone,
  fullName,
  requestStatusLabel,
} from '../format';
import { useSearchParam } from '../router';
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
} from '../ui';
import { ActionsMenu } from './ActionsMenu';
import { DuplicateComparison } from './DuplicateComparison';
import { NOTIFICATIONS_CHANGED, REQUEST_DECIDED, useStaff } from './context';
import { managesPractice, type StaffRequest } from './types';

type Outcome = { kind: 'success' | 'error' | 'warning' | 'info'; text: string };

/** What POST /api/appointment-requests/:id/approve answers. */
type ApproveAnswer = ResponseOf<'POST /api/appointment-requests/{id}/approve'>;

/** A client's request to move their appointment, in one line: "Move <client>'s <service> from <old> to <new>". */
function moveText(r: StaffRequest, zone: string): string | null {
  if (r.kind !== 'reschedule' || !r.movesFrom) return null;
  return `Move ${fullName(r.client)}'s ${r.service.name} from ${formatRange(r.movesFrom.startsAt, r.movesFrom.endsAt, zone)} to ${formatRange(r.startsAt, r.endsAt, zone)}`;
}

/** Why a pending move cannot go ahead any more: the appointment it would move is no longer scheduled. */
function moveGone(r: StaffRequest): string | null {
  const status = r.movesFrom?.appointmentStatus;
  if (!status || status === 'scheduled') return null;
  return `The appointment's status is now ${appointmentStatusLabel[status] ?? status}, so it cannot be moved; decline this request to close it.`;
}

/** A move closed because its appointment was canceled meanwhile (booking/requestClosing.ts), in those words. */
function closedWithAppointment(r: StaffRequest, status: string): string | null {
  const now = r.movesFrom?.appointmentStatus;
  if (status !== 'withdrawn' || !now || !['canceled', 'late_canceled', 'clinician_canceled'].includes(now))
    return null;
  return `The appointment was canceled (${appointmentStatusLabel[now]}), so this request to move it was closed.`;
}

/** What the approval did, as the answer says: a new client created, or the existing client booked. */
function approvedText(r: StaffRequest, res: ApproveAnswer, zone: string): string {
  const when = formatRange(res.appointment.startsAt, res.appointment.endsAt, zone);
  if (r.kind === 'reschedule')
    return `Approved. The appointment moved to ${when}, and ${fullName(res.client)} was emailed the updated invite.`;
  if (res.client.created && r.possibleDuplicate)
    return `Approved. ${when} is on the calendar, ${fullName(res.client)} was added as a separate new client sharing the email address ${res.client.email} (the existing client keeps the portal sign-in), and a confirmation was emailed.`;
  if (res.client.created)
    return `Approved. ${when} is on the calendar, ${fullName(res.client)} was added as a new client, and a confirmation was emailed.`;
  if (r.client.isNew)
    return `Approved. ${when} is on the calendar for the existing client ${fullName(res.client)} (${res.client.email}), whose profile was left as it is; no new client was created. A confirmation was emailed.`;
  return `Approved. ${when} is on the calendar and the client was emailed a confirmation.`;
}

/** Appointment Requests: the list with Actions > Approve and Actions > Decline (with an optional note). */
export function Requests() {
  const { call, callPage, zone, user } = useStaff();
  const [filter, setFilter] = useSearchParam('status');
  const status = filter === 'all' ? 'all' : 'pending';
  const list = useLoad(
    (signal) =>
      callPage<StaffRequest>(`/api/appointment-requests${status === 'all' ? '' : '?status=pending'}`, {
        signal,
      }),
    [status, callPage],
  );
  // Pages after the first, added by "Show more"; a reload starts again from the first page.
  const [more, setMore] = useState<{ items: StaffRequest[]; next: string | null; from: unknown } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const extra = more && more.from === list.data ? more : null;
  const next = extra ? extra.next : (list.data?.next ?? null);
  // Decided requests stay in view with their outcome until the list is reloaded by the user.
  const [local, setLocal] = useState<Record<string, { status: string; outcome: Outcome; busy?: boolean }>>(
    {},
  );
  const [declining, setDeclining] = useState<StaffRequest | null>(null);
  useEffect(() => {
    const onChange = () => list.reload();
    window.addEventListener(NOTIFICATIONS_CHANGED, onChange);
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, onChange);
  });

  const showMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await callPage<StaffRequest>(next);
      setMore({ items: [...(extra?.items ?? []), ...page.items], next: page.next, from: list.data });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const setOutcome = (r: StaffRequest, statusNow: string, outcome: Outcome, busy = false) => {
    setLocal((m) => ({ ...m, [r.id]: { status: statusNow, outcome, busy } }));
    if (statusNow !== r.status) window.dispatchEvent(new Event(REQUEST_DECIDED));
  };

  /**
   * No answer came (the server timed out, or the connection dropped): the decision may have been recorded all
   * the same, so the request is read again and shown as it is now, never retried blindly.
   */
  const unconfirmed = async (r: StaffRequest, what: 'approval' | 'decline') => {
    const lost = `We could not confirm the ${what} in time; it may still have been recorded.`;
    try {
      const now = await call<StaffRequest>(`/api/appointment-requests/${r.id}`);
      const label = (requestStatusLabel[now.status] ?? now.status).toLowerCase();
      setOutcome(
        r,
        now.status,
        now.status === 'pending'
          ? {
              kind: 'warning',
              text: `${lost} The request is still pending for now: refresh in a moment before trying again.`,
            }
          : { kind: 'info', text: `${lost} We reloaded the request: it is now ${label}.` },
      );
    } catch {
      setOutcome(r, r.status, {
        kind: 'warning',
        text: `${lost} Refresh the list to see the request as it is now before trying again.`,
      });
    }
  };
  const noAnswer = (err: unknown) => err instanceof ApiError && (err.status === 0 || err.status >= 500);

  const approve = async (r: StaffRequest, asNewClient = false) => {
    setOutcome(r, r.status, { kind: 'warning', text: 'Approving…' }, true);
    try {
      const res = await call<ApproveAnswer>(`/api/appointment-requests/${r.id}/approve`, {
        method: 'POST',
        body: asNewClient ? { asNewClient: true } : undefined,
      });
      setOutcome(r, 'approved', { kind: 'success', text: approvedText(r, res, zone) });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SLOT_UNAVAILABLE') {
        setOutcome(r, 'pending', {
          kind: 'error',
          text: `Not approved: this time now conflicts with another appointment. The request is still pending; decline it with a note or contact the client. (${err.detail})`,
        });
      } else if (err instanceof ApiError && err.code === 'APPOINTMENT_NOT_RESCHEDULABLE') {
        setOutcome(r, 'pending', { kind: 'error', text: `Not approved: ${err.detail}` });
      } else if (err instanceof ApiError && err.code === 'CLIENT_ARCHIVED') {
        setOutcome(r, 'pending', {
          kind: 'error',
          text: `Not approved: ${err.detail} The request is still pending.`,
        });
      } else if (err instanceof ApiError && err.code === 'REQUEST_NOT_PENDING') {
        setOutcome(r, r.status, { kind: 'warning', text: err.detail });
        list.reload();
      } else if (noAnswer(err)) {
        await unconfirmed(r, 'approval');
      } else {
        setOutcome(r, r.status, { kind: 'error', text: messageOf(err) });
      }
    }
  };

  const decline = async (r: StaffRequest, note: string) => {
    setDeclining(null);
    setOutcome(r, r.status, { kind: 'warning', text: 'Declining…' }, true);
    try {
      await call(`/api/appointment-requests/${r.id}/decline`, { method: 'POST', body: note ? { note } : {} });
      setOutcome(r, 'declined', {
        kind: 'success',
        text: note
          ? 'Declined. The time is free again and your note was emailed to the client.'
          : 'Declined. The time is free again and the client was told by email.',
      });
    } catch (err) {
      if (noAnswer(err)) {
        await unconfirmed(r, 'decline');
        return;
      }
      setOutcome(r, r.status, { kind: 'error', text: messageOf(err) });
      if (err instanceof ApiError && err.code === 'REQUEST_NOT_PENDING') list.reload();
    }
  };

  const seen = new Set<string>();
  // A row can move between pages while they load (a decision reorders nothing, but a reload may): show it once.
  const rows = [...(list.data?.items ?? []), ...(extra?.items ?? [])].filter(
    (r) => !seen.has(r.id) && Boolean(seen.add(r.id)),
  );
  return (
    <>
      <PageHeading title="Appointment Requests">Appointment Requests</PageHeading>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Show">
          <button type="button" aria-pressed={status === 'pending'} onClick={() => setFilter(null)}>
            Pending
          </button>
          <button type="button" aria-pressed={status === 'all'} onClick={() => setFilter('all')}>
            All requests
          </button>
        </div>
        <button type="button" className="secondary" onClick={() => list.reload()}>
          Refresh
        </button>
      </div>
      <p className="muted small">
        Times are shown in {formatZone(zone)}.{' '}
        {status === 'pending'
          ? 'Those needing an answer soonest come first: a request lapses when its time comes or when its waiting period ends.'
          : 'Newest requests first.'}
      </p>
      {list.loading && !list.data && <Loading />}
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {list.data && rows.length === 0 && (
        <p className="empty">
          {status === 'pending' ? 'No requests are waiting for an answer.' : 'No requests yet.'}
        </p>
      )}
      <ul className="cards">
        {rows.map((r) => {
          const state = local[r.id];
          const current = state?.status ?? r.status;
          const name = fullName(r.client);
          const move = moveText(r, zone);
          return (
            <li key={r.id} className="card request">
              <div className="card-head">
                <div>
                  <strong className="client-name">{name}</strong>{' '}
                  {move && <span className="badge badge-info">Reschedule</span>}{' '}
                  {r.client.isNew && <span className="badge badge-info">New client</span>}{' '}
                  {r.possibleDuplicate && <span className="badge badge-warn">Possible duplicate</span>}
                </div>
                <StatusBadge status={current} label={requestStatusLabel[current] ?? current} />
              </div>
              {move && <p>{move}.</p>}
              {move && current === 'pending' && moveGone(r) && <Alert kind="warning">{moveGone(r)}</Alert>}
              <dl className="details">
                {r.movesFrom && (
                  <div>
                    <dt>{current === 'pending' ? 'Now' : 'From'}</dt>
                    <dd>{formatRange(r.movesFrom.startsAt, r.movesFrom.endsAt, zone)}</dd>
                  </div>
                )}
                <div>
                  <dt>{r.movesFrom ? 'Move to' : 'When'}</dt>
                  <dd>{formatRange(r.startsAt, r.endsAt, zone)}</dd>
                </div>
                <div>
                  <dt>Service</dt>
                  <dd>
                    {r.service.name} ({r.service.durationMinutes} min)
                  </dd>
                </div>
                {managesPractice(user) && (
                  <div>
                    <dt>Clinician</dt>
                    <dd>{fullName(r.clinician)}</dd>
                  </div>
                )}
                <div>
                  <dt>Contact</dt>
                  <dd>
                    <a href={`mailto:${r.client.email}`}>{r.client.email}</a>
                    {r.client.phone && (
                      <>
                        {' · '}
                        <span className="nowrap">{r.client.phone}</span>
                      </>
                    )}
                  </dd>
                </div>
                {r.waitingMinutes !== null && current === 'pending' && (
                  <div>
                    <dt>Waiting</dt>
                    <dd>{formatMinutes(r.waitingMinutes)}</dd>
                  </div>
                )}
              </dl>
              {r.message && <blockquote className="message">{r.message}</blockquote>}
              {r.possibleDuplicate && current === 'pending' && <DuplicateComparison request={r} />}
              {closedWithAppointment(r, current) && (
                <p className="small">{closedWithAppointment(r, current)}</p>
              )}
              {r.declineNote && current === 'declined' && (
                <p className="small">Note to the client: {r.declineNote}</p>
              )}
              {state?.outcome && <Alert kind={state.outcome.kind}>{state.outcome.text}</Alert>}
              {current === 'pending' && (
                <div className="actions">
                  <ActionsMenu
                    context={move ? `reschedule request from ${name}` : `request from ${name}`}
                    disabled={state?.busy}
                    items={[
                      ...(r.possibleDuplicate
                        ? [
                            { label: 'Approve for the existing client', onSelect: () => void approve(r) },
                            { label: 'Approve as a new client', onSelect: () => void approve(r, true) },
                          ]
                        : [{ label: 'Approve', onSelect: () => void approve(r) }]),
                      { label: 'Decline', onSelect: () => setDeclining(r), danger: true },
                    ]}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {next && (
        <div className="actions">
          <button type="button" className="secondary" disabled={loadingMore} onClick={() => void showMore()}>
            {loadingMore ? 'Loading…' : 'Show more requests'}
          </button>
        </div>
      )}
      <ErrorAlert error={moreError} />
      {declining && (
        <DeclineDialog
          request={declining}
          onCancel={() => setDeclining(null)}
          onDecline={(note) => void decline(declining, note)}
        />
      )}
    </>
  );
}

function DeclineDialog({
  request,
  onCancel,
  onDecline,
}: {
  request: StaffRequest;
  onCancel: () => void;
  onDecline: (note: string) => void;
}) {
  const { zone } = useStaff();
  const [note, setNote] = useState('');
  return (
    <Dialog
      title="Decline request"
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="secondary" onClick={onCancel}>
            Back
          </button>
          <button type="button" className="danger" onClick={() => onDecline(note.trim())}>
            Decline request
          </button>
        </>
      }
    >
      <p>
        {moveText(request, zone) ?? (
          <>
            {fullName(request.client)} asked for {request.service.name} on{' '}
            {formatRange(request.startsAt, request.endsAt, zone)}
          </>
        )}
        .{request.movesFrom && ' Declining keeps the appointment at its current time.'}
      </p>
      <TextField
        label="Note to the client"
        name="note"
        multiline
        maxLength={2000}
        hint="Emailed to the client with the decline, for example another time that would work."
        value={note}
        onValue={setNote}
      />
    </Dialog>
  );
}
