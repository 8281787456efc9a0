import { expect } from 'chai';
import { useApi } from './context';
import { aPractice, aStaffUser, aClinician, aService, fixturePassword } from '../fixtures';
import type { Store } from '../../models/store';

/** Row counts of every table a settings route writes, to prove a refused request changed nothing. */
async function snapshot(db: Store): Promise<string> {
  const [rows] = await db.sequelize.query(`
    SELECT (SELECT count(*) FROM services) s, (SELECT count(*) FROM availability_rules) r,
           (SELECT count(*) FROM time_off) t, (SELECT count(*) FROM audit_log) a,
           (SELECT string_agg(slug || portal_enabled || allow_new_clients || cancellation_policy, ',' ORDER BY id) FROM practices) p,
           (SELECT string_agg(start_time_interval_minutes || '/' || minimum_notice_hours || '/' || buffer_before_minutes || '/' || buffer_after_minutes || '/' || coalesce(initial_consultation_service_id::text, '-'), ',') FROM booking_preferences) b,
           (SELECT string_agg(name || duration_minutes || bookable_online, ',' ORDER BY id) FROM services) sv`);
  return JSON.stringify(rows);
}

const huge = 'x'.repeat(20_000);

describe('settings validation: malformed and hostile input gets 400 naming the field and writes nothing', () => {
  const ctx = useApi();

  it('refuses every bad body on every settings route', async () => {
    const practice = await aPractice(ctx.db, { slug: 'riverside-main' });
    await aPractice(ctx.db, { slug: 'taken-address' });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const clinician = await aClinician(ctx.db, practice);
    const offline = await aService(ctx.db, practice, { bookableOnline: false });
    const otherPractice = await aPractice(ctx.db);
    const foreign = await aService(ctx.db, otherPractice);
    const service = await aService(ctx.db, practice);
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const c = `/api/clinicians/${clinician.id}`;
    const rule = {
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      startDate: '2026-06-01',
      startTime: '09:00',
      endTime: '17:00',
      timeZone: 'Europe/London',
    };
    const prefs = {
      initialConsultationServiceId: null,
      startTimeIntervalMinutes: 15,
      minimumNoticeHours: 24,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
    };

    const cases: [string, string, unknown, string][] = [
      ['PATCH', '/api/practice/client-portal', {}, '/'],
      ['PATCH', '/api/practice/client-portal', { enabled: 'yes' }, '/enabled'],
      ['PATCH', '/api/practice/client-portal', { slug: 'ab' }, '/slug'],
      ['PATCH', '/api/practice/client-portal', { slug: 'bad_slug!' }, '/slug'],
      ['PATCH', '/api/practice/client-portal', { slug: '-leading' }, '/slug'],
      ['PATCH', '/api/practice/client-portal', { slug: 'api' }, '/slug'],
      ['PATCH', '/api/practice/client-portal', { slug: 'Taken-Address' }, '/slug'],
      ['PATCH', '/api/practice/client-portal', { slug: huge }, '/slug'],
      ['PATCH', '/api/practice/client-portal', { cancellationPolicy: '12h' }, '/cancellationPolicy'],
      ['PATCH', '/api/practice/client-portal', { enabled: true, id: otherPractice.id }, '/id'],
      [
        'PATCH',
        '/api/practice/client-portal',
        { enabled: true, portalUrl: 'https://evil.test' },
        '/portalUrl',
      ],
      ['PATCH', '/api/practice/client-portal', JSON.parse('{"__proto__":{"admin":true}}'), '/__proto__'],
      ['POST', '/api/services', { name: '', durationMinutes: 50 }, '/name'],
      ['POST', '/api/services', { name: '   ', durationMinutes: 50 }, '/name'],
      ['POST', '/api/services', { name: huge, durationMinutes: 50 }, '/name'],
      ['POST', '/api/services', { name: 'X', durationMinutes: '50' }, '/durationMinutes'],
      ['POST', '/api/services', { name: 'X', durationMinutes: 0 }, '/durationMinutes'],
      ['POST', '/api/services', { name: 'X', durationMinutes: 50.5 }, '/durationMinutes'],
      [
        'POST',
        '/api/services',
        { name: 'X', durationMinutes: 50, practiceId: otherPractice.id },
        '/practiceId',
      ],
      ['PATCH', `/api/services/${service.id}`, { bookableOnline: 'false' }, '/bookableOnline'],
      ['PATCH', '/api/services/not-a-uuid', { name: 'Y' }, 'id'],
      [
        'PUT',
        `${c}/booking-preferences`,
        { ...prefs, startTimeIntervalMinutes: 7 },
        '/startTimeIntervalMinutes',
      ],
      ['PUT', `${c}/booking-preferences`, { ...prefs, minimumNoticeHours: 721 }, '/minimumNoticeHours'],
      ['PUT', `${c}/booking-preferences`, { ...prefs, bufferBeforeMinutes: -1 }, '/bufferBeforeMinutes'],
      ['PUT', `${c}/booking-preferences`, { ...prefs, bufferAfterMinutes: 241 }, '/bufferAfterMinutes'],
      [
        'PUT',
        `${c}/booking-preferences`,
        { ...prefs, initialConsultationServiceId: foreign.id },
        '/initialConsultationServiceId',
      ],
      [
        'PUT',
        `${c}/booking-preferences`,
        { ...prefs, initialConsultationServiceId: offline.id },
        '/initialConsultationServiceId',
      ],
      ['PUT', `${c}/booking-preferences`, { ...prefs, clinicianId: admin.id }, '/clinicianId'],
      ['PUT', `${c}/booking-preferences`, { startTimeIntervalMinutes: 15 }, '/initialConsultationServiceId'],
      ['POST', `${c}/availability-rules`, { ...rule, rrule: 'FREQ=HOURLY' }, '/rrule'],
      ['POST', `${c}/availability-rules`, { ...rule, rrule: 'FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO' }, '/rrule'],
      ['POST', `${c}/availability-rules`, { ...rule, rrule: 'not a rule' }, '/rrule'],
      ['POST', `${c}/availability-rules`, { ...rule, rrule: 'FREQ=DAILY;COUNT=100000' }, '/rrule'],
      ['POST', `${c}/availability-rules`, { ...rule, timeZone: 'Mars/Olympus' }, '/timeZone'],
      ['POST', `${c}/availability-rules`, { ...rule, startTime: '25:00' }, '/startTime'],
      ['POST', `${c}/availability-rules`, { ...rule, endTime: '08:00' }, '/endTime'],
      ['POST', `${c}/availability-rules`, { ...rule, startDate: '2026-02-30' }, '/startDate'],
      ['POST', `${c}/availability-rules`, { ...rule, until: '2026-05-01' }, '/until'],
      ['POST', `${c}/availability-rules`, { ...rule, clinicianId: admin.id }, '/clinicianId'],
      [
        'POST',
        `${c}/time-off`,
        { startsAt: '2026-08-01T17:00:00Z', endsAt: '2026-08-01T13:00:00Z' },
        '/endsAt',
      ],
      ['POST', `${c}/time-off`, { startsAt: 'tomorrow', endsAt: '2026-08-01T13:00:00Z' }, '/startsAt'],
      [
        'POST',
        `${c}/time-off`,
        { startsAt: '2026-08-01T13:00:00Z', endsAt: '2028-08-01T13:00:00Z' },
        '/endsAt',
      ],
      [
        'POST',
        `${c}/time-off`,
        { startsAt: '2026-08-01T13:00:00Z', endsAt: '2026-08-02T13:00:00Z', reason: huge },
        '/reason',
      ],
    ];
    const before = await snapshot(ctx.db);
    const failures: string[] = [];
    for (const [method, path, body, field] of cases) {
      const res = await ctx.http.request(method, path, { token, body });
      if (res.status !== 400 || res.body.field !== field) {
        failures.push(
          `${method} ${path} ${JSON.stringify(body).slice(0, 80)} -> ${res.status} ${res.body.field ?? ''} (${res.body.detail ?? ''})`,
        );
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(await snapshot(ctx.db)).to.equal(before);
  });

  it('refuses bodies over 64 KB with 413 before reading them', async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const res = await ctx.http.post(
      '/api/services',
      { name: 'x'.repeat(70_000), durationMinutes: 50 },
      { token },
    );
    expect(res.status).to.equal(413);
  });
});
