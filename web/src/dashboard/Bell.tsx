import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { DateTime } from 'luxon';
import { formatDateTime, isoDate, requestStatusLabel } from '../format';
import type { ResponseOf } from '../generated/api';
import { navigate } from '../router';
import { NOTIFICATIONS_CHANGED, REQUEST_DECIDED, useStaff } from './context';
import type { NotificationItem } from './types';

// Often enough that a new request shows within seconds of arriving; paused while the tab is hidden.
const POLL_MS = 10_000;

function describe(n: NotificationItem, zone: string): string {
  const when = n.startsAt ? formatDateTime(n.startsAt, zone) : '';
  const who = n.client ? `${n.client.firstName} ${n.client.lastName}`.trim() : '';
  switch (n.kind) {
    case 'request_new':
      return `New appointment request${who ? ` from ${who}` : ''} for ${when}${n.decided && n.requestStatus ? ` (${requestStatusLabel[n.requestStatus] ?? n.requestStatus})` : ''}`;
    case 'request_withdrawn':
      return `${who || 'A client'} withdrew their request for ${when}`;
    case 'appointment_canceled':
      return `${who || 'A client'} canceled the appointment on ${when}`;
    case 'appointment_late_canceled':
      return `${who || 'A client'} late canceled the appointment on ${when}`;
    default:
      return [n.kind.replace(/_/g, ' '), who, when].filter(Boolean).join(': ');
  }
}

/** The notification bell: unread count, the list, mark one or all read. */
export function Bell() {
  const { call, zone } = useStaff();
  const [data, setData] = useState<{ unreadCount: number; items: NotificationItem[] } | null>(null);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const lastCount = useRef(0);

  const load = useCallback(async () => {
    try {
      const next = await call<ResponseOf<'GET /api/notifications'>>('/api/notifications');
      if (next.unreadCount > lastCount.current) window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
      lastCount.current = next.unreadCount;
      setData(next);
    } catch {
      // The bell stays as it was; the next poll tries again, and a 401 has already signed out.
    }
  }, [call]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, POLL_MS);
    const reload = () => void load();
    window.addEventListener('focus', reload);
    window.addEventListener(REQUEST_DECIDED, reload);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', reload);
      window.removeEventListener(REQUEST_DECIDED, reload);
    };
  }, [load]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const markRead = async (n: NotificationItem) => {
    if (!n.read) await call(`/api/notifications/${n.id}/read`, { method: 'POST' }).catch(() => undefined);
    setOpen(false);
    await load();
    if (n.kind.startsWith('appointment') && n.startsAt)
      navigate(`/app/calendar?week=${isoDate(DateTime.fromISO(n.startsAt, { zone }))}`);
    else navigate('/app/requests');
  };
  const markAll = async () => {
    await call('/api/notifications/read-all', { method: 'POST' }).catch(() => undefined);
    await load();
  };

  const unread = data?.unreadCount ?? 0;
  return (
    <div
      className="bell"
      ref={root}
      // Tabbing past the last item closes the panel, so it never covers the page the focus has moved on to.
      onBlur={(e) => {
        if (open && e.relatedTarget && !root.current?.contains(e.relatedTarget as Node)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={unread === 1 ? 'Notifications, 1 unread' : `Notifications, ${unread} unread`}
        onClick={() => {
          setOpen(!open);
          if (!open) void load();
        }}
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-testid="bell-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <div id={panelId} className="bell-panel" hidden={!open} role="region" aria-label="Notifications">
        <div className="bell-head">
          <h2>Notifications</h2>
          <button type="button" className="link" onClick={() => void markAll()} disabled={unread === 0}>
            Mark all as read
          </button>
        </div>
        {data && data.items.length === 0 && <p className="muted bell-empty">No notifications yet.</p>}
        <ul>
          {data?.items.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                className={n.read ? 'bell-item' : 'bell-item unread'}
                onClick={() => void markRead(n)}
              >
                {!n.read && <span className="visually-hidden">Unread: </span>}
                <span className="bell-text">{describe(n, zone)}</span>
                <span className="bell-time">{formatDateTime(n.createdAt, zone)}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
