import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
} from 'react';
import type { DateTime } from 'luxon';
import { ApiError, isAbort, shownAtField } from './api';
import { useLocation } from './router';
import { browserZone, formatWeek, formatZone, isoDate, zoneGroups, zoneMatches } from './format';

/** The page's main heading: sets the tab title and takes focus, so screen readers announce the new page. */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title;
    ref.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** A section heading that takes focus when it appears (the next step of a flow), so the change is announced. */
export function StepHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 ref={ref} id={id} tabIndex={-1}>
      {children}
    </h2>
  );
}

/** A message box: errors interrupt (role alert), everything else is announced politely. */
export function Alert({
  kind,
  children,
  title,
}: {
  kind: 'error' | 'success' | 'info' | 'warning';
  children: ReactNode;
  title?: string;
}) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title && <strong className="alert-title">{title}</strong>}
      <div>{children}</div>
    </div>
  );
}

/** The message of an error for people. */
export const messageOf = (err: unknown) =>
  err instanceof ApiError ? err.detail : err instanceof Error ? err.message : String(err);

/** An error for people; a failed load passes its reload as onRetry, so a passing fault needs no page reload. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <Alert kind="error">
      {messageOf(error)}
      {onRetry && (
        <div className="actions">
          <button type="button" className="secondary" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </Alert>
  );
}

/**
 * A form's error under its fields, unless one of `fields` already shows it (each field passes
 * `error={fieldError(error, name)}`): a refusal is said once, next to the field it is about.
 */
export function FormError({
  error,
  fields,
  children,
}: {
  error: unknown;
  fields: readonly string[];
  children?: ReactNode;
}) {
  if (error === null || error === undefined || shownAtField(error, fields)) return null;
  return <Alert kind="error">{children ?? messageOf(error)}</Alert>;
}

/**
 * A message about something done ("Saved."), shown until the person moves on: it goes when any field on the page
 * is changed again, and when the page or its query changes, so an old "Saved." never sits next to unsaved edits.
 * Returns the message to show (null once gone), `show` and `clear`.
 */
export function useSuccessMessage<T = string>() {
  const [state, setState] = useState<{ value: T; at: string | null } | null>(null);
  const location = useLocation();
  const here = `${location.pathname}?${location.search.toString()}`;
  // Where it was shown is taken after the render that shows it, so a page may save and then move its query.
  useEffect(() => {
    if (state && state.at === null) setState({ ...state, at: here });
    else if (state && state.at !== here) setState(null);
  }, [state, here]);
  const showing = state !== null;
  useEffect(() => {
    if (!showing) return;
    const clear = () => setState(null);
    // Bubbling, so React has taken the field's new value first: cleared in the capture phase, the re-render between
    // listeners would put a controlled field's old value back before React read the new one.
    document.addEventListener('input', clear);
    document.addEventListener('change', clear);
    return () => {
      document.removeEventListener('input', clear);
      document.removeEventListener('change', clear);
    };
  }, [showing]);
  const message = state && (state.at === null || state.at === here) ? state.value : null;
  return {
    message,
    show: (value: T) => setState({ value, at: null }),
    clear: () => setState(null),
  };
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" role="status">
      {label}
    </p>
  );
}

/** Loads data when deps change; aborts the previous load. `reload` fetches again. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setState({ error, loading: false });
      },
    );
    return () => controller.abort();
    // Callers list what the load depends on, as with useEffect.
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** A modal dialog on the native <dialog>: focus moves in, Escape closes, focus returns to the opener. */
export function Dialog({
  title,
  onClose,
  children,
  footer,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </dialog>
  );
}

/** A labelled input with its hint and error wired for assistive technology. */
export function TextField({
  label,
  hint,
  error,
  multiline,
  onValue,
  ...input
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  multiline?: boolean;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
    value: string;
    ref?: Ref<HTMLInputElement>;
  }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onValue(e.target.value),
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {!input.required && !input.readOnly && <span className="optional"> (optional)</span>}
      </label>
      {hint && (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      )}
      {multiline ? (
        <textarea
          {...common}
          name={input.name}
          value={input.value}
          required={input.required}
          maxLength={input.maxLength}
          rows={4}
        />
      ) : (
        <input {...input} {...common} />
      )}
      {error && (
        <div className="field-error" id={errorId}>
          {error}
        </div>
      )}
    </div>
  );
}

/** A labelled <select>. */
export function SelectField({
  label,
  value,
  onValue,
  children,
  hint,
  error,
  disabled,
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  children: ReactNode;
  hint?: ReactNode;
  error?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(e) => onValue(e.target.value)}
      >
        {children}
      </select>
      {error && (
        <div className="field-error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** A checkbox with its label (and an optional hint) as one click target. */
export function Toggle({
  label,
  checked,
  onChange,
  hint,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field toggle">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <div className="hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
      </div>
    </div>
  );
}

const statusTone: Record<string, string> = {
  scheduled: 'ok',
  approved: 'ok',
  pending: 'info',
  canceled: 'muted',
  late_canceled: 'warn',
  clinician_canceled: 'muted',
  show: 'ok',
  no_show: 'warn',
  declined: 'muted',
  expired: 'muted',
  withdrawn: 'muted',
};

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`badge badge-${statusTone[status] ?? 'muted'}`}>{label}</span>;
}

/** Previous / next week, the week shown, and a date to jump to. */
export function WeekNav({
  start,
  onChange,
  canGoBack = true,
}: {
  start: DateTime;
  onChange: (date: string) => void;
  canGoBack?: boolean;
}) {
  const id = useId();
  return (
    <div className="week-nav">
      <div className="week-nav-row">
        <button
          type="button"
          className="secondary"
          disabled={!canGoBack}
          onClick={() => onChange(isoDate(start.minus({ weeks: 1 })))}
        >
          <span aria-hidden="true">← </span>Previous week
        </button>
        <h3 className="week-label" aria-live="polite">
          {formatWeek(start)}
        </h3>
        <button
          type="button"
          className="secondary"
          onClick={() => onChange(isoDate(start.plus({ weeks: 1 })))}
        >
          Next week<span aria-hidden="true"> →</span>
        </button>
      </div>
      <div className="week-jump">
        <label htmlFor={id}>Go to the week of</label>
        <input
          id={id}
          type="date"
          value={isoDate(start)}
          onChange={(e) => {
            if (e.target.value) onChange(e.target.value);
          }}
        />
      </div>
    </div>
  );
}

/**
 * The one time-zone picker: a search box that narrows a list grouped by region, each zone named for people
 * ("New York (Eastern Time, UTC−5)"), the suggested zones (the practice's, this browser's) first.
 */
export function TimeZoneField({
  label = 'Time zone',
  value,
  onValue,
  suggested = [],
  emptyOption,
  hint,
  error,
}: {
  label?: string;
  value: string;
  onValue: (zone: string) => void;
  /** Offered first; the browser's zone is added after these. */
  suggested?: readonly (string | null | undefined)[];
  /** An option with the value "" (such as "The practice's time zone"). */
  emptyOption?: string;
  hint?: ReactNode;
  error?: string;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const key = [...suggested, value].join(' ');
  const groups = useMemo(
    () => zoneGroups(value || browserZone(), [...suggested, browserZone()]),
    // The list changes only with the suggestions and the current value (arrays passed inline are new each time).
    [key],
  );
  const shown = query.trim()
    ? groups
        .map((g) => ({ ...g, zones: g.zones.filter((z) => z.id === value || zoneMatches(z, query)) }))
        .filter((g) => g.zones.length > 0)
    : groups;
  const count = shown.reduce((n, g) => n + g.zones.filter((z) => z.id !== value).length, 0);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field zone-field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <input
        type="search"
        className="zone-search"
        aria-label="Find a city or region"
        aria-controls={id}
        placeholder="Find a city, region or UTC offset"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {query.trim() && (
        <div className="hint" role="status">
          {count === 0
            ? 'No time zone matches.'
            : count === 1
              ? '1 time zone matches.'
              : `${count} time zones match.`}
        </div>
      )}
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(e) => onValue(e.target.value)}
      >
        {emptyOption !== undefined && <option value="">{emptyOption}</option>}
        {shown.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {error && (
        <div className="field-error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** The time zone times are shown in, and a way to change it. */
export function ZonePicker({
  zone,
  onChange,
  suggested = [],
}: {
  zone: string;
  onChange: (zone: string) => void;
  suggested?: readonly (string | null | undefined)[];
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="zone">
      <p>
        Times are shown in <strong>{formatZone(zone)}</strong>.{' '}
        <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          Change time zone
        </button>
      </p>
      {open && (
        <TimeZoneField
          value={zone}
          suggested={suggested}
          onValue={(next) => {
            onChange(next);
            setOpen(false);
          }}
        />
      )}
    </div>
  );
}
