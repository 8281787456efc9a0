import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { policyLabel } from '../format';
import {
  FormError,
  Alert,
  ErrorAlert,
  Loading,
  PageHeading,
  SelectField,
  TextField,
  Toggle,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';

type PortalSettings = ResponseOf<'GET /api/practice/client-portal'>;

// Mirrors checkSlug in api/practiceSettings.ts for instant feedback; the server has the last word (and says "taken").
const RESERVED = new Set(
  'admin api app assets auth dashboard docs healthz help login logout me openapi portal practicepicnic readyz settings signup static status support www'.split(
    ' ',
  ),
);
export function slugProblem(raw: string): string | null {
  const slug = raw.trim().toLowerCase();
  if (slug.length < 3 || slug.length > 63) return 'Use 3 to 63 characters.';
  if (!/^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/.test(slug) || slug.includes('--'))
    return 'Use only letters a–z, digits 0–9 and single hyphens between them.';
  if (RESERVED.has(slug)) return `"${slug}" is reserved. Please choose another address.`;
  return null;
}

/** Settings > Client Portal (admin clinicians and practice managers). */
export function ClientPortalSettings() {
  const { call } = useStaff();
  const saved = useLoad((signal) => call<PortalSettings>('/api/practice/client-portal', { signal }), [call]);
  const [form, setForm] = useState<PortalSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { message: status, show: setStatus, clear: clearStatus } = useSuccessMessage();
  const [copied, setCopied] = useState<string | null>(null);
  const linkRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (saved.data) setForm(saved.data);
  }, [saved.data]);

  if (saved.error instanceof ApiError && saved.error.status === 403) {
    return (
      <>
        <PageHeading title="Client Portal settings">Client Portal</PageHeading>
        <Alert kind="info">
          Only Admin clinicians and Practice managers can see and change the client portal settings. Ask one
          of them for the client portal link.
        </Alert>
      </>
    );
  }
  if (!form || !saved.data) {
    return (
      <>
        <PageHeading title="Client Portal settings">Client Portal</PageHeading>
        {saved.loading ? <Loading /> : <ErrorAlert error={saved.error} onRetry={saved.reload} />}
      </>
    );
  }

  const base = saved.data.portalUrl.slice(0, saved.data.portalUrl.length - saved.data.slug.length);
  const slugError = slugProblem(form.slug) ?? fieldError(error, 'slug');
  const changes = Object.fromEntries(
    (['enabled', 'slug', 'allowNewClients', 'cancellationPolicy'] as const)
      .filter((k) => (k === 'slug' ? form.slug.trim().toLowerCase() : form[k]) !== saved.data![k])
      .map((k) => [k, k === 'slug' ? form.slug.trim().toLowerCase() : form[k]]),
  );
  const dirty = Object.keys(changes).length > 0;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (slugProblem(form.slug) || !dirty) return;
    setSaving(true);
    setError(null);
    clearStatus();
    try {
      const next = await call<PortalSettings>('/api/practice/client-portal', {
        method: 'PATCH',
        body: changes,
      });
      setForm(next);
      saved.reload();
      setStatus('Settings saved.');
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const copy = async () => {
    const url = saved.data!.portalUrl;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied. Paste it in a new browser tab to see your client portal.');
    } catch {
      // No clipboard (an insecure page, or permission refused): select the link so it can be copied by hand.
      linkRef.current?.select();
      setCopied('Press Ctrl+C (or ⌘C) to copy the selected link.');
    }
  };

  return (
    <>
      <PageHeading title="Client Portal settings">Client Portal</PageHeading>
      <p className="muted">Clients request appointments from your client portal.</p>
      <form onSubmit={(e) => void save(e)} className="settings">
        <Toggle
          label="Enable client portal and online booking"
          checked={form.enabled}
          onChange={(enabled) => setForm({ ...form, enabled })}
          hint="When off, the portal address shows nothing."
        />
        <div className="field">
          <div className="link-row">
            <TextField
              label="Your client portal link"
              name="portalUrl"
              readOnly
              ref={linkRef}
              value={saved.data.portalUrl}
              onValue={() => undefined}
            />
            <button type="button" className="secondary" onClick={() => void copy()}>
              Copy Link
            </button>
          </div>
          {copied && (
            <p className="small" role="status">
              {copied}
            </p>
          )}
        </div>
        <TextField
          label="Web address"
          name="slug"
          required
          maxLength={63}
          autoCapitalize="none"
          spellCheck={false}
          value={form.slug}
          onValue={(slug) => {
            setForm({ ...form, slug });
            if (fieldError(error, 'slug')) setError(null);
          }}
          error={slugError ?? undefined}
          hint={
            <>
              {base}
              <strong>{form.slug.trim().toLowerCase() || '…'}</strong>
              {form.slug.trim().toLowerCase() !== saved.data.slug &&
                ' (the old address stops working when you save)'}
            </>
          }
        />
        <Toggle
          label="Allow new clients to request appointments"
          checked={form.allowNewClients}
          onChange={(allowNewClients) => setForm({ ...form, allowNewClients })}
          hint="Shows the “I'm a new client” button, for people who are not yet clients of the practice."
        />
        <SelectField
          label="Cancelation policy"
          value={form.cancellationPolicy}
          // The options are policyLabel's keys, which are the API's policies.
          onValue={(policy) =>
            setForm({ ...form, cancellationPolicy: policy as PortalSettings['cancellationPolicy'] })
          }
          hint="How much notice clients must give to cancel from the portal without it counting as a late cancelation."
        >
          {Object.entries(policyLabel).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <FormError error={error} fields={['slug']} />
        {status && <Alert kind="success">{status}</Alert>}
        <div className="actions">
          <button type="submit" disabled={saving || !dirty || slugProblem(form.slug) !== null}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </>
  );
}
