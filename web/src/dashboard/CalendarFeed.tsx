import { useRef, useState } from 'react';
import { DateTime } from 'luxon';
import type { ResponseOf } from '../generated/api';
import { Alert, Dialog, ErrorAlert, Loading, TextField, useLoad } from '../ui';
import { useStaff } from './context';

type Feed = ResponseOf<'GET /api/clinicians/{id}/calendar-feed'>;

/** A clinician's private calendar feed: turn it on, copy its address, get a new one, turn it off. */
export function CalendarFeed({ clinicianId, clinicianName }: { clinicianId: string; clinicianName: string }) {
  const { call } = useStaff();
  const feed = useLoad(
    (signal) => call<Feed>(`/api/clinicians/${clinicianId}/calendar-feed`, { signal }),
    [clinicianId, call],
  );
  const [current, setCurrent] = useState<Feed | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'off' | null>(null);
  // What the server said last, whether from the load or from an action since.
  const shown = current ?? feed.data;
  const [forClinician, setForClinician] = useState(clinicianId);
  if (forClinician !== clinicianId) {
    setForClinician(clinicianId);
    setCurrent(null);
    setMessage(null);
    setError(null);
  }

  // An earlier success message is about a link that is about to change.
  const ask = (what: 'rotate' | 'off') => {
    setMessage(null);
    setConfirm(what);
  };

  const act = async (method: 'POST' | 'DELETE', done: string) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const path = `/api/clinicians/${clinicianId}/calendar-feed`;
      if (method === 'POST') setCurrent(await call<Feed>(path, { method }));
      else {
        await call(path, { method });
        setCurrent({ enabled: false, url: null, webcalUrl: null, createdAt: null });
      }
      setMessage(done);
      setConfirm(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="calendar-feed" aria-labelledby="calendar-feed-heading">
      <h2 id="calendar-feed-heading">Calendar feed</h2>
      <p className="muted">
        See {clinicianName}&rsquo;s appointments in Google, Apple or Outlook Calendar. Events show the
        client&rsquo;s initials and the service only (&ldquo;R.R. · Individual therapy&rdquo;), never names,
        contact details or notes. Requests waiting for a decision show as tentative; canceled appointments
        drop out at the calendar&rsquo;s next refresh.
      </p>
      {message && <Alert kind="success">{message}</Alert>}
      <ErrorAlert error={feed.error ?? error} />
      {feed.loading && !feed.data && <Loading />}
      {shown && !shown.enabled && (
        <button type="button" disabled={busy} onClick={() => void act('POST', 'Calendar feed turned on.')}>
          Create calendar link
        </button>
      )}
      {shown?.enabled && shown.url && shown.webcalUrl && (
        <>
          <FeedLink
            label="Subscription link (Google Calendar, Outlook on the web)"
            name="calendarFeedUrl"
            url={shown.url}
          />
          <FeedLink
            label="webcal:// link (opens Apple Calendar or Outlook)"
            name="calendarFeedWebcal"
            url={shown.webcalUrl}
          />
          <p className="small muted">
            Google Calendar: Other calendars › + › From URL, paste the first link. Apple Calendar (Mac,
            iPhone): File › New Calendar Subscription (or Settings › Calendar › Accounts › Add Subscribed
            Calendar), paste either link. Outlook: Add calendar › Subscribe from web, paste the first link.
            Calendars check for changes every few hours (Google up to a day).
            {shown.createdAt &&
              ` Link made ${DateTime.fromISO(shown.createdAt).toLocaleString(DateTime.DATETIME_MED)}.`}
          </p>
          <p className="small muted">
            Anyone with the link sees these events: keep it to yourself. If it got out, get a new link.
          </p>
          <div className="actions">
            <button type="button" className="secondary" disabled={busy} onClick={() => ask('rotate')}>
              Get a new link
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => ask('off')}>
              Turn off
            </button>
          </div>
        </>
      )}
      {confirm && (
        <Dialog
          title={confirm === 'rotate' ? 'Get a new calendar link?' : 'Turn off the calendar feed?'}
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button type="button" className="secondary" onClick={() => setConfirm(null)}>
                Keep the link
              </button>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() =>
                  void (confirm === 'rotate'
                    ? act(
                        'POST',
                        'New link made. The old link no longer works: subscribe again with this one.',
                      )
                    : act('DELETE', 'Calendar feed turned off. The link no longer works.'))
                }
              >
                {confirm === 'rotate' ? 'Get a new link' : 'Turn off'}
              </button>
            </>
          }
        >
          <p>
            The old link stops working at once. Calendars subscribed with it stop updating and, depending on
            the app, keep the last events they had or remove them.
            {confirm === 'rotate' ? ' Subscribe again with the new link.' : ''}
          </p>
          <ErrorAlert error={error} />
        </Dialog>
      )}
    </section>
  );
}

/** A read-only address with a Copy button; without a clipboard the address is selected for copying by hand. */
function FeedLink({ label, name, url }: { label: string; name: string; url: string }) {
  const ref = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied.');
    } catch {
      ref.current?.select();
      setCopied('Press Ctrl+C (or ⌘C) to copy the selected link.');
    }
  };
  return (
    <div className="field">
      <div className="link-row">
        <TextField label={label} name={name} readOnly ref={ref} value={url} onValue={() => undefined} />
        <button type="button" className="secondary" aria-label={`Copy: ${label}`} onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {copied && (
        <p className="small" role="status">
          {copied}
        </p>
      )}
    </div>
  );
}
