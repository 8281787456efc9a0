import { expect } from 'chai';
import { useApi } from './context';

// Recorded before api/appointments.ts and api/clinicians.ts were split by resource: the split (and any later move of
// a route between files) must leave every path and method in place. A new route is added here on purpose.
const expected = [
  'DELETE /api/clinicians/{id}/availability-rules/{ruleId}',
  'DELETE /api/clinicians/{id}/time-off/{timeOffId}',
  'DELETE /api/services/{id}',
  'GET /api/appointment-requests',
  'GET /api/appointment-requests/{id}',
  'GET /api/appointments',
  'GET /api/audit-log',
  'GET /api/auth/me',
  'GET /api/clients',
  'GET /api/clients/{id}',
  'GET /api/auth/session',
  'GET /api/calendar',
  'GET /api/clinicians',
  'GET /api/clinicians/{id}/availability-rules',
  'GET /api/clinicians/{id}/booking-preferences',
  'GET /api/clinicians/{id}/time-off',
  'GET /api/notifications',
  'GET /api/practice',
  'GET /api/practice/client-portal',
  'GET /api/services',
  'GET /api/staff/{id}/profile',
  'GET /portal/{slug}',
  'GET /portal/{slug}/availability',
  'GET /portal/{slug}/clinicians',
  'GET /portal/{slug}/me',
  'GET /portal/{slug}/me/appointments',
  'GET /portal/{slug}/me/requests',
  'PATCH /api/clients/{id}',
  'PATCH /api/practice',
  'PATCH /api/practice/client-portal',
  'PATCH /api/services/{id}',
  'PATCH /api/staff/{id}/profile',
  'POST /api/appointment-requests/{id}/approve',
  'POST /api/appointment-requests/{id}/decline',
  'POST /api/appointments/{id}/cancel',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/clients',
  'POST /api/clients/{id}/portal-invite',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'POST /api/auth/session',
  'POST /api/clinicians/{id}/availability-rules',
  'POST /api/clinicians/{id}/time-off',
  'POST /api/notifications/read-all',
  'POST /api/notifications/{id}/read',
  'POST /api/services',
  'POST /portal/{slug}/auth/code',
  'POST /portal/{slug}/auth/logout',
  'POST /portal/{slug}/auth/verify',
  'POST /portal/{slug}/email-verifications',
  'POST /portal/{slug}/me/appointments/{id}/cancel',
  'POST /portal/{slug}/me/requests/{id}/withdraw',
  'POST /portal/{slug}/requests',
  'PUT /api/clinicians/{id}/availability-rules/{ruleId}',
  'PUT /api/clinicians/{id}/booking-preferences',
  // Staff and onboarding.
  'DELETE /api/staff/invitations/{id}',
  'GET /api/config',
  'GET /api/staff',
  'GET /api/staff/invitations',
  'PATCH /api/staff/{id}',
  'POST /api/practices',
  'POST /api/staff/invitations',
  'POST /api/staff/invitations/accept',
  // Calendar feed (issue 14).
  'DELETE /api/clinicians/{id}/calendar-feed',
  'GET /api/clinicians/{id}/calendar-feed',
  'GET /calendar/{token}.ics',
  'POST /api/clinicians/{id}/calendar-feed',
  // Attendance (issue 14 item 5).
  'POST /api/appointments/{id}/attendance',
  // Staff booking (issue 14 item 2).
  'POST /api/appointments',
  // Staff reschedule (issue 14 item 4).
  'POST /api/appointments/{id}/reschedule',
  'POST /portal/{slug}/me/appointments/{id}/reschedule-requests',
  // Reminder settings (issue 15).
  'GET /api/practice/reminders',
  'PUT /api/practice/reminders',
  // Reminder opt-out (issue 15 item 3).
  'POST /portal/{slug}/reminders/opt-out',
  'GET /portal/{slug}/me/reminders',
  'PUT /portal/{slug}/me/reminders',
];

describe('OpenAPI document: paths and methods', () => {
  const ctx = useApi();

  it('lists exactly the routes the API had before it was split by resource', async () => {
    const res = await ctx.http.get('/openapi.json');
    expect(res.status).to.equal(200);
    const listed = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(listed).to.deep.equal([...expected].sort());
  });
});
