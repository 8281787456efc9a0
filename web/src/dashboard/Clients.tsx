import { useEffect, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../generated/api';
import { fullName } from '../format';
import { Link, useSearchParam } from '../router';
import {
  Alert,
  Dialog,
  ErrorAlert,
  FormError,
  Loading,
  PageHeading,
  Toggle,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';
import { CONTACT_FIELDS, ClientContactFields } from './ClientContactFields';
import { managesPractice } from './types';

type ClientRow = ResponseOf<'GET /api/clients'>[number];
type Created = ResponseOf<'POST /api/clients'>;

/** Clients: search by name, email or phone, a page at a time; admins and managers add clients by hand. */
export function Clients() {
  const { callPage, user } = useStaff();
  const [q, setQ] = useSearchParam('q');
  const [shown, setShown] = useSearchParam('show');
  const archived = shown === 'archived';
  // Typed text is sent once typing pauses, so each keystroke does not fetch a page.
  const [typed, setTyped] = useState(q ?? '');
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (typed.trim() !== (q ?? '')) setQ(typed.trim() || null);
    }, 300);
    return () => window.clearTimeout(timer);
  }, [typed, q, setQ]);
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (archived) params.set('archived', 'true');
  const query = params.toString();
  const list = useLoad(
    (signal) => callPage<ClientRow>(`/api/clients${query ? `?${query}` : ''}`, { signal }),
    [query, callPage],
  );
  const [more, setMore] = useState<{ items: ClientRow[]; next: string | null; from: unknown } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more && more.from === list.data ? more : null;
  const next = extra ? extra.next : (list.data?.next ?? null);
  const [adding, setAdding] = useState(false);
  const { message: added, show: setAdded } = useSuccessMessage<Created>();

  const showMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await callPage<ClientRow>(next);
      setMore({ items: [...(extra?.items ?? []), ...page.items], next: page.next, from: list.data });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const rows = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  return (
    <>
      <PageHeading title="Clients">Clients</PageHeading>
      <div className="toolbar">
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="client-search">Search clients</label>
            <div className="hint" id="client-search-hint">
              Part of a name, email address or phone number
            </div>
            <input
              id="client-search"
              type="search"
              name="q"
              aria-describedby="client-search-hint"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
        </form>
        <div className="toolbar-buttons">
          <div className="segmented" role="group" aria-label="Show">
            <button type="button" aria-pressed={!archived} onClick={() => setShown(null)}>
              Active
            </button>
            <button type="button" aria-pressed={archived} onClick={() => setShown('archived')}>
              Archived
            </button>
          </div>
          {managesPractice(user) && (
            <button type="button" onClick={() => setAdding(true)}>
              Add client
            </button>
          )}
        </div>
      </div>
      {!managesPractice(user) && (
        <p className="muted small">You see the clients you have an appointment or a request with.</p>
      )}
      {added && (
        <Alert kind="success">
          {fullName(added.client)} was added.{' '}
          {added.invitation ? 'An invitation to the client portal is on its way to them. ' : ''}
          <Link to={`/app/clients/${added.client.id}`}>Open their profile</Link>
        </Alert>
      )}
      {list.loading && !list.data && <Loading />}
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {list.data && rows.length === 0 && (
        <p className="empty">
          {q
            ? `No ${archived ? 'archived ' : ''}clients match "${q}".`
            : archived
              ? 'No archived clients.'
              : 'No clients yet.'}
        </p>
      )}
      <ul className="cards">
        {rows.map((c) => (
          <li key={c.id} className="card">
            <div className="card-head">
              <Link to={`/app/clients/${c.id}`} className="client-name">
                <strong>{fullName(c)}</strong>
              </Link>
              {c.archived && <span className="badge badge-muted">Archived</span>}
            </div>
            <dl className="details">
              <div>
                <dt>Email</dt>
                <dd>{c.email}</dd>
              </div>
              <div>
                <dt>Phone</dt>
                <dd>{c.phone ?? 'Not given'}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
      {next && (
        <div className="actions">
          <button type="button" className="secondary" disabled={loadingMore} onClick={() => void showMore()}>
            {loadingMore ? 'Loading…' : 'Show more clients'}
          </button>
        </div>
      )}
      <ErrorAlert error={moreError} />
      {adding && (
        <AddClientDialog
          onCancel={() => setAdding(false)}
          onAdded={(res) => {
            setAdding(false);
            setAdded(res);
            list.reload();
          }}
        />
      )}
    </>
  );
}

function AddClientDialog({ onCancel, onAdded }: { onCancel: () => void; onAdded: (res: Created) => void }) {
  const { call } = useStaff();
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', phone: '', portalInvite: true });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const res = await call<Created>('/api/clients', {
        method: 'POST',
        body: { ...form, phone: form.phone.trim() || null },
      });
      onAdded(res);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog
      title="Add a client"
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form="add-client" disabled={saving}>
            {saving ? 'Adding…' : 'Add client'}
          </button>
        </>
      }
    >
      <form id="add-client" onSubmit={(e) => void submit(e)} noValidate>
        <ClientContactFields form={form} onChange={(k, v) => set(k)(v)} error={error} />
        <Toggle
          label="Email them an invitation to the client portal"
          hint="They sign in with a code sent to their email address; there is no password."
          checked={form.portalInvite}
          onChange={(portalInvite) => setForm((f) => ({ ...f, portalInvite }))}
        />
        <FormError error={error} fields={CONTACT_FIELDS} />
      </form>
    </Dialog>
  );
}
