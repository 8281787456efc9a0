import { useEffect, useState, type FormEvent } from 'react';
import { DateTime, Info } from 'luxon';
import { fieldError } from '../api';
import type { ResponseOf } from '../generated/api';
import { formatZone, fullName } from '../format';
import {
  Alert,
  Dialog,
  ErrorAlert,
  Loading,
  PageHeading,
  SelectField,
  TextField,
  TimeZoneField,
  Toggle,
  messageOf,
  useLoad,
  useSuccessMessage,
} from '../ui';
import { useStaff } from './context';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';
import { TimeOffSection } from './TimeOff';
import { usePracticeZone } from './practiceZone';
import { isClinician, type Service, type StaffUser } from './types';
import { CalendarFeed } from './CalendarFeed';

type Rule = ResponseOf<'GET /api/clinicians/{id}/availability-rules'>[number];

type Preferences = ResponseOf<'GET /api/clinicians/{id}/booking-preferences'>;

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const INTERVALS = [5, 10, 15, 20, 30, 45, 60];

type Repeat = 'weekly' | 'daily' | 'custom';
interface RuleForm {
  repeat: Repeat;
  days: string[];
  interval: string;
  rrule: string;
  startTime: string;
  endTime: string;
  startDate: string;
  until: string;
  timeZone: string;
}

/** The simple form of an RRULE when it has one (weekly on days, or daily, every N); custom otherwise. */
export function ruleToForm(rule: Rule): RuleForm {
  const parts = Object.fromEntries(rule.rrule.split(';').map((p) => p.split('=') as [string, string]));
  const keys = Object.keys(parts);
  const base = {
    rrule: rule.rrule,
    startTime: rule.startTime,
    endTime: rule.endTime,
    startDate: rule.startDate,
    until: rule.until ?? '',
    timeZone: rule.timeZone,
    interval: parts.INTERVAL ?? '1',
    days: [] as string[],
  };
  const days = (parts.BYDAY ?? '').split(',').filter(Boolean);
  if (
    parts.FREQ === 'WEEKLY' &&
    keys.every((k) => ['FREQ', 'INTERVAL', 'BYDAY'].includes(k)) &&
    days.length > 0 &&
    days.every((d) => DAY_CODES.includes(d))
  )
    return { ...base, repeat: 'weekly', days };
  if (parts.FREQ === 'DAILY' && keys.every((k) => ['FREQ', 'INTERVAL'].includes(k)))
    return { ...base, repeat: 'daily' };
  return { ...base, repeat: 'custom' };
}

export function formToRrule(f: RuleForm): string {
  const every = Number(f.interval) > 1 ? `;INTERVAL=${Number(f.interval)}` : '';
  if (f.repeat === 'weekly')
    return `FREQ=WEEKLY${every};BYDAY=${DAY_CODES.filter((d) => f.days.includes(d)).join(',')}`;
  if (f.repeat === 'daily') return `FREQ=DAILY${every}`;
  return f.rrule.trim();
}

/** Settings > Availabilities: a clinician's recurring availability and the Preferences dialog. */
export function Availabilities() {
  const { call, user, zone } = useStaff();
  const canPick = user.role !== 'clinician';
  const clinicians = useLoad(
    async (signal) =>
      canPick ? (await call<StaffUser[]>('/api/clinicians', { signal })).filter(isClinician) : [user],
    [canPick, call],
  );
  const [clinicianId, setClinicianId] = useState(isClinician(user) ? user.id : '');
  useEffect(() => {
    if (!clinicianId && clinicians.data?.[0]) setClinicianId(clinicians.data[0].id);
  }, [clinicianId, clinicians.data]);
  const rules = useLoad(
    (signal) =>
      clinicianId
        ? call<Rule[]>(`/api/clinicians/${clinicianId}/availability-rules`, { signal })
        : Promise.resolve([]),
    [clinicianId, call],
  );
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const [prefsOpen, setPrefsOpen] = useState(false);
  const { message, show: setMessage } = useSuccessMessage();
  const clinician = clinicians.data?.find((c) => c.id === clinicianId);

  return (
    <>
      <PageHeading title="Availabilities">Availabilities</PageHeading>
      <div className="toolbar">
        {canPick && clinicians.data && (
          <SelectField label="Clinician" value={clinicianId} onValue={setClinicianId}>
            {clinicians.data.map((c) => (
              <option key={c.id} value={c.id}>
                {fullName(c)}
              </option>
            ))}
          </SelectField>
        )}
        <div className="toolbar-buttons">
          <button
            type="button"
            className="secondary"
            onClick={() => setPrefsOpen(true)}
            disabled={!clinicianId}
          >
            Preferences
          </button>
          <button type="button" onClick={() => setEditing('new')} disabled={!clinicianId}>
            Add availability
          </button>
        </div>
      </div>
      <p className="muted">
        {clinician ? `When ${fullName(clinician)} can be booked online. ` : ''}Clients see open times inside
        these hours, following the booking preferences.
      </p>
      {message && <Alert kind="success">{message}</Alert>}
      <ErrorAlert
        error={clinicians.error ?? rules.error}
        onRetry={clinicians.error ? clinicians.reload : rules.reload}
      />
      {rules.loading && !rules.data && <Loading />}
      {rules.data && rules.data.length === 0 && (
        <p className="empty">No availability yet. Add when you can see clients.</p>
      )}
      <ul className="cards">
        {rules.data?.map((r) => (
          <li key={r.id} className="card rule">
            <div className="card-head">
              <strong>{r.summary}</strong>
              <div className="actions tight">
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Edit: ${r.summary}`}
                  onClick={() => setEditing(r)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Delete: ${r.summary}`}
                  onClick={() => setDeleting(r)}
                >
                  Delete
                </button>
              </div>
            </div>
            <div className="small muted">
              From {DateTime.fromISO(r.startDate).toLocaleString(DateTime.DATE_MED)}
              {r.until ? ` until ${DateTime.fromISO(r.until).toLocaleString(DateTime.DATE_MED)}` : ''} ·{' '}
              {formatZone(r.timeZone)}
            </div>
          </li>
        ))}
      </ul>
      {clinician && <CalendarFeed clinicianId={clinician.id} clinicianName={fullName(clinician)} />}
      {editing && clinicianId && (
        <RuleDialog
          clinicianId={clinicianId}
          rule={editing === 'new' ? null : editing}
          defaultZone={clinician?.timeZone ?? null}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setMessage(text);
            rules.reload();
          }}
        />
      )}
      {clinicianId && (
        <TimeOffSection
          clinicianId={clinicianId}
          clinicianName={clinician ? fullName(clinician) : ''}
          zone={clinician?.timeZone ?? zone}
        />
      )}
      {deleting && (
        <DeleteDialog
          clinicianId={clinicianId}
          rule={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            setMessage('Availability deleted.');
            rules.reload();
          }}
        />
      )}
      {prefsOpen && clinicianId && (
        <PreferencesDialog
          clinicianId={clinicianId}
          onClose={() => setPrefsOpen(false)}
          onSaved={() => {
            setPrefsOpen(false);
            setMessage('Booking preferences saved.');
          }}
        />
      )}
    </>
  );
}

function RuleDialog({
  clinicianId,
  rule,
  defaultZone,
  onClose,
  onSaved,
}: {
  clinicianId: string;
  rule: Rule | null;
  defaultZone: string | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { call, zone } = useStaff();
  const practiceZone = usePracticeZone();
  const [form, setForm] = useState<RuleForm>(() =>
    rule
      ? ruleToForm(rule)
      : {
          repeat: 'weekly',
          days: ['MO', 'TU', 'WE', 'TH', 'FR'],
          interval: '1',
          rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
          startTime: '09:00',
          endTime: '17:00',
          startDate: DateTime.now().toISODate() ?? '',
          until: '',
          timeZone: defaultZone ?? zone,
        },
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set =
    <K extends keyof RuleForm>(k: K) =>
    (v: RuleForm[K]) =>
      setForm({ ...form, [k]: v });
  const weekdayNames = Info.weekdays('long');
  const noDays = form.repeat === 'weekly' && form.days.length === 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (noDays) return;
    setBusy(true);
    setError(null);
    try {
      const body = {
        rrule: formToRrule(form),
        startDate: form.startDate,
        until: form.until || null,
        startTime: form.startTime,
        endTime: form.endTime,
        timeZone: form.timeZone,
      };
      const saved = await call<Rule>(
        `/api/clinicians/${clinicianId}/availability-rules${rule ? `/${rule.id}` : ''}`,
        { method: rule ? 'PUT' : 'POST', body },
      );
      onSaved(`${rule ? 'Updated' : 'Added'}: ${saved.summary}.`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const formId = 'rule-form';
  return (
    <Dialog
      title={rule ? 'Edit availability' : 'Add availability'}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} disabled={busy || noDays}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={(e) => void submit(e)}>
        <SelectField label="Repeats" value={form.repeat} onValue={(v) => set('repeat')(v as Repeat)}>
          <option value="weekly">Weekly on chosen days</option>
          <option value="daily">Daily</option>
          <option value="custom">Custom (RRULE)</option>
        </SelectField>
        {form.repeat === 'weekly' && (
          <fieldset className="days-field" aria-describedby={noDays ? 'no-days' : undefined}>
            <legend>Days</legend>
            {DAY_CODES.map((code, i) => (
              <label key={code} className="day-check">
                <input
                  type="checkbox"
                  checked={form.days.includes(code)}
                  onChange={(e) =>
                    set('days')(e.target.checked ? [...form.days, code] : form.days.filter((d) => d !== code))
                  }
                />
                {weekdayNames[i]}
              </label>
            ))}
            {noDays && (
              <div className="field-error" id="no-days">
                Choose at least one day.
              </div>
            )}
          </fieldset>
        )}
        {form.repeat !== 'custom' && (
          <SelectField label="Every" value={form.interval} onValue={set('interval')}>
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={String(n)}>
                {n === 1
                  ? form.repeat === 'weekly'
                    ? 'week'
                    : 'day'
                  : `${n} ${form.repeat === 'weekly' ? 'weeks' : 'days'}`}
              </option>
            ))}
          </SelectField>
        )}
        {form.repeat === 'custom' && (
          <TextField
            label="Recurrence rule (RFC 5545 RRULE)"
            name="rrule"
            required
            value={form.rrule}
            onValue={set('rrule')}
            hint="For example FREQ=MONTHLY;BYDAY=1MO for the first Monday of each month."
            error={fieldError(error, 'rrule')}
          />
        )}
        {form.repeat !== 'custom' && fieldError(error, 'rrule') && (
          <Alert kind="error">{fieldError(error, 'rrule')}</Alert>
        )}
        <div className="field-row">
          <TextField
            label="From"
            name="startTime"
            type="time"
            required
            value={form.startTime}
            onValue={set('startTime')}
            error={fieldError(error, 'startTime')}
          />
          <TextField
            label="To"
            name="endTime"
            type="time"
            required
            value={form.endTime}
            onValue={set('endTime')}
            error={fieldError(error, 'endTime')}
          />
        </div>
        <div className="field-row">
          <TextField
            label="Starts on"
            name="startDate"
            type="date"
            required
            value={form.startDate}
            onValue={set('startDate')}
            error={fieldError(error, 'startDate')}
          />
          <TextField
            label="Ends on"
            name="until"
            type="date"
            value={form.until}
            onValue={set('until')}
            error={fieldError(error, 'until')}
          />
        </div>
        <TimeZoneField
          value={form.timeZone}
          onValue={set('timeZone')}
          suggested={[practiceZone]}
          error={fieldError(error, 'timeZone')}
        />
        {error !== null &&
          !['rrule', 'startTime', 'endTime', 'startDate', 'until', 'timeZone'].some((f) =>
            fieldError(error, f),
          ) && <Alert kind="error">{messageOf(error)}</Alert>}
      </form>
    </Dialog>
  );
}

function DeleteDialog({
  clinicianId,
  rule,
  onClose,
  onDeleted,
}: {
  clinicianId: string;
  rule: Rule;
  onClose: () => void;
  onDeleted: () => void;
}) {
  return (
    <ConfirmDeleteDialog
      title="Delete availability?"
      path={`/api/clinicians/${clinicianId}/availability-rules/${rule.id}`}
      onClose={onClose}
      onDeleted={onDeleted}
    >
      <p>{rule.summary}</p>
      <p className="muted">
        Clients will no longer see open times from this availability. Booked appointments stay.
      </p>
    </ConfirmDeleteDialog>
  );
}

/** Settings > Availabilities > Preferences: what and how new clients can book. */
function PreferencesDialog({
  clinicianId,
  onClose,
  onSaved,
}: {
  clinicianId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { call } = useStaff();
  const loaded = useLoad(
    async (signal) => {
      const [prefs, services] = await Promise.all([
        call<Preferences>(`/api/clinicians/${clinicianId}/booking-preferences`, { signal }),
        call<Service[]>('/api/services', { signal }),
      ]);
      return { prefs, services };
    },
    [clinicianId, call],
  );
  const [form, setForm] = useState<Record<keyof Preferences, string> | null>(null);
  const [online, setOnline] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!loaded.data) return;
    const p = loaded.data.prefs;
    setOnline(p.onlineBookingEnabled);
    setForm({
      onlineBookingEnabled: String(p.onlineBookingEnabled),
      initialConsultationServiceId: p.initialConsultationServiceId ?? '',
      startTimeIntervalMinutes: String(p.startTimeIntervalMinutes),
      minimumNoticeHours: String(p.minimumNoticeHours),
      bufferBeforeMinutes: String(p.bufferBeforeMinutes),
      bufferAfterMinutes: String(p.bufferAfterMinutes),
    });
  }, [loaded.data]);
  const set = (k: keyof Preferences) => (v: string) => setForm((f) => (f ? { ...f, [k]: v } : f));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setBusy(true);
    setError(null);
    try {
      await call(`/api/clinicians/${clinicianId}/booking-preferences`, {
        method: 'PUT',
        body: {
          onlineBookingEnabled: online,
          initialConsultationServiceId: form.initialConsultationServiceId || null,
          startTimeIntervalMinutes: Number(form.startTimeIntervalMinutes),
          minimumNoticeHours: Number(form.minimumNoticeHours),
          bufferBeforeMinutes: Number(form.bufferBeforeMinutes),
          bufferAfterMinutes: Number(form.bufferAfterMinutes),
        },
      });
      onSaved();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const formId = 'preferences-form';
  const fields = [
    'initialConsultationServiceId',
    'startTimeIntervalMinutes',
    'minimumNoticeHours',
    'bufferBeforeMinutes',
    'bufferAfterMinutes',
  ];
  return (
    <Dialog
      title="Online booking preferences"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} disabled={busy || !form}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      {!form && (loaded.loading ? <Loading /> : <ErrorAlert error={loaded.error} onRetry={loaded.reload} />)}
      {form && loaded.data && (
        <form id={formId} onSubmit={(e) => void submit(e)}>
          <Toggle label="Take online appointment requests" checked={online} onChange={setOnline} />
          <SelectField
            label="Initial consultation service"
            value={form.initialConsultationServiceId}
            onValue={set('initialConsultationServiceId')}
            hint="The service new clients can book from the client portal."
            error={fieldError(error, 'initialConsultationServiceId')}
          >
            <option value="">None (new clients can't book me)</option>
            {loaded.data.services
              .filter((s) => s.bookableOnline)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.durationMinutes} min)
                </option>
              ))}
          </SelectField>
          <SelectField
            label="Appointment start times"
            value={form.startTimeIntervalMinutes}
            onValue={set('startTimeIntervalMinutes')}
            hint="The interval start times are offered at."
          >
            {INTERVALS.map((n) => (
              <option key={n} value={String(n)}>
                Every {n} minutes
              </option>
            ))}
          </SelectField>
          <TextField
            label="Minimum notice (hours)"
            name="minimumNoticeHours"
            type="number"
            min={0}
            max={720}
            required
            inputMode="numeric"
            value={form.minimumNoticeHours}
            onValue={set('minimumNoticeHours')}
            hint="How far ahead a request must be."
            error={fieldError(error, 'minimumNoticeHours')}
          />
          <div className="field-row">
            <TextField
              label="Buffer before (minutes)"
              name="bufferBeforeMinutes"
              type="number"
              min={0}
              max={240}
              required
              inputMode="numeric"
              value={form.bufferBeforeMinutes}
              onValue={set('bufferBeforeMinutes')}
              error={fieldError(error, 'bufferBeforeMinutes')}
            />
            <TextField
              label="Buffer after (minutes)"
              name="bufferAfterMinutes"
              type="number"
              min={0}
              max={240}
              required
              inputMode="numeric"
              value={form.bufferAfterMinutes}
              onValue={set('bufferAfterMinutes')}
              error={fieldError(error, 'bufferAfterMinutes')}
            />
          </div>
          {error !== null && !fields.some((f) => fieldError(error, f)) && (
            <Alert kind="error">{messageOf(error)}</Alert>
          )}
        </form>
      )}
    </Dialog>
  );
}
