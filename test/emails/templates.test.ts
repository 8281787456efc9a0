import { expect } from 'chai';
import AppointmentCanceled from '../../emails/appointment-canceled';
import AppointmentCanceledClinician from '../../emails/appointment-canceled-clinician';
import NewRequest from '../../emails/new-request';
import RequestApproved from '../../emails/request-approved';
import RequestDeclined from '../../emails/request-declined';
import RequestExpired from '../../emails/request-expired';
import RequestReceived from '../../emails/request-received';
import RequestWithdrawn from '../../emails/request-withdrawn';
import SignInCode from '../../emails/sign-in-code';
import PortalInvitation from '../../emails/portal-invitation';
import EmailVerification from '../../emails/email-verification';
import StaffInvitation from '../../emails/staff-invitation';
import StaffSignupExisting from '../../emails/staff-signup-existing';
import PasswordReset from '../../emails/password-reset';
import AppointmentRescheduled from '../../emails/appointment-rescheduled';
import AppointmentReminder from '../../emails/appointment-reminder';
import { emailKinds, renderEmail, type EmailKind, type EmailPropsByKind } from '../../emails/render';

const practiceName = 'Riverside Counseling';
// 15:00 UTC on a Tuesday after the DST change: 10:00 AM in New York, 7:00 AM in Los Angeles.
const slot = { startsAt: '2026-11-03T15:00:00Z', endsAt: '2026-11-03T15:50:00Z' };
const clinicianZone = { timeZone: 'America/New_York' };
const clientZone = { timeZone: 'America/Los_Angeles' };
const clinicianTime = 'Tuesday, November 3, 2026 at 10:00 AM EST (50 minutes)';
const clientTime = 'Tuesday, November 3, 2026 at 7:00 AM PST (50 minutes)';

/** Builders for each kind, so each test overrides only what it is about. */
const build = {
  'new-request': (o: Partial<EmailPropsByKind['new-request']> = {}): EmailPropsByKind['new-request'] => ({
    practiceName,
    clinicianName: 'Dr. Maya Chen',
    clientName: 'Jordan Lee',
    clientType: 'new',
    possibleExistingClient: false,
    serviceName: 'Initial consultation',
    message: 'Evenings work best.',
    dashboardUrl: 'https://booking.test/app/appointment-requests/r1',
    ...slot,
    ...clinicianZone,
    ...o,
  }),
  'request-withdrawn': (): EmailPropsByKind['request-withdrawn'] => ({
    practiceName,
    clinicianName: 'Dr. Maya Chen',
    clientName: 'Jordan Lee',
    serviceName: 'Initial consultation',
    dashboardUrl: 'https://booking.test/app',
    ...slot,
    ...clinicianZone,
  }),
  'appointment-canceled-clinician': (
    o: Partial<EmailPropsByKind['appointment-canceled-clinician']> = {},
  ): EmailPropsByKind['appointment-canceled-clinician'] => ({
    practiceName,
    clinicianName: 'Dr. Maya Chen',
    clientName: 'Jordan Lee',
    serviceName: 'Individual therapy',
    status: 'canceled',
    requestedAt: '2026-11-01T14:00:00Z',
    dashboardUrl: 'https://booking.test/app/calendar',
    ...slot,
    ...clinicianZone,
    ...o,
  }),
  'request-received': (
    o: Partial<EmailPropsByKind['request-received']> = {},
  ): EmailPropsByKind['request-received'] => ({
    practiceName,
    clientFirstName: 'Jordan',
    clinicianName: 'Dr. Maya Chen',
    serviceName: 'Initial consultation',
    clientType: 'new',
    portalUrl: 'https://booking.test/portal/riverside',
    myRequestsUrl: 'https://booking.test/portal/riverside/me',
    ...slot,
    ...clientZone,
    ...o,
  }),
  'request-approved': (
    o: Partial<EmailPropsByKind['request-approved']> = {},
  ): EmailPropsByKind['request-approved'] => ({
    practiceName,
    clientFirstName: 'Jordan',
    clinicianName: 'Dr. Maya Chen',
    serviceName: 'Initial consultation',
    cancellation: { policy: '24h', freeUntil: '2026-11-02T15:00:00Z', bookedAt: '2026-10-29T16:00:00Z' },
    ...slot,
    ...clientZone,
    ...o,
  }),
  'request-declined': (
    o: Partial<EmailPropsByKind['request-declined']> = {},
  ): EmailPropsByKind['request-declined'] => ({
    practiceName,
    clientFirstName: 'Jordan',
    clinicianName: 'Dr. Maya Chen',
    serviceName: 'Initial consultation',
    ...slot,
    ...clientZone,
    ...o,
  }),
  'request-expired': (): EmailPropsByKind['request-expired'] => ({
    practiceName,
    clientFirstName: 'Jordan',
    clinicianName: 'Dr. Maya Chen',
    serviceName: 'Initial consultation',
    ...slot,
    ...clientZone,
  }),
  'appointment-canceled': (
    o: Partial<EmailPropsByKind['appointment-canceled']> = {},
  ): EmailPropsByKind['appointment-canceled'] => ({
    practiceName,
    clientFirstName: 'Jordan',
    clinicianName: 'Dr. Maya Chen',
    serviceName: 'Individual therapy',
    status: 'canceled',
    requestedAt: '2026-11-01T14:00:00Z',
    ...slot,
    ...clientZone,
    ...o,
  }),
  'sign-in-code': (): EmailPropsByKind['sign-in-code'] => ({ practiceName, code: '482913' }),
  'email-verification': (): EmailPropsByKind['email-verification'] => ({ practiceName, code: '482913' }),
  'portal-invitation': (): EmailPropsByKind['portal-invitation'] => ({
    practiceName,
    clientFirstName: 'Jordan',
    signInUrl: 'https://booking.example.test/portal/riverside/sign-in',
  }),
  'staff-invitation': (): EmailPropsByKind['staff-invitation'] => ({
    practiceName,
    firstName: 'Jordan',
    inviterName: 'Dr. Maya Chen',
    roleLabel: 'a clinician',
    acceptUrl: 'http://portal.test/app/accept-invitation?token=abc',
    validUntil: 'Monday, June 8',
    reminder: false,
  }),
  'staff-signup-existing': (): EmailPropsByKind['staff-signup-existing'] => ({
    practiceName,
    firstName: 'Jordan',
    signInUrl: 'http://portal.test/app',
  }),
  'password-reset': (): EmailPropsByKind['password-reset'] => ({
    practiceName,
    firstName: 'Maya',
    resetUrl: 'https://booking.example.com/app/reset-password?token=abc123',
  }),
  'appointment-rescheduled': (): EmailPropsByKind['appointment-rescheduled'] => ({
    ...slot,
    ...clientZone,
    previousStartsAt: '2026-11-02T18:00:00Z',
    previousEndsAt: '2026-11-02T18:50:00Z',
    practiceName,
    clientFirstName: 'Jordan',
    clinicianName: 'Dr. Maya Chen',
    serviceName: 'Individual therapy',
    cancellation: { policy: '24h', freeUntil: '2026-11-02T15:00:00Z', bookedAt: '2026-10-30T18:00:00Z' },
  }),
  'appointment-reminder': (): EmailPropsByKind['appointment-reminder'] => ({
    ...slot,
    ...clientZone,
    practiceName,
    clientFirstName: 'Jordan',
    clinicianName: 'Dr. Maya Chen',
    serviceName: 'Individual therapy',
    cancellationPolicy: '24h',
    freeUntil: '2026-11-02T15:00:00Z',
    remindedAt: '2026-11-01T15:00:00Z',
    myAppointmentsUrl: 'http://portal.test/portal/riverside/me',
    stopRemindersUrl: 'http://portal.test/portal/riverside/reminders/opt-out?client=c1&token=t',
  }),
} satisfies { [K in EmailKind]: () => EmailPropsByKind[K] };

const toClinician: EmailKind[] = ['new-request', 'request-withdrawn', 'appointment-canceled-clinician'];
const toClient: EmailKind[] = [
  'request-received',
  'request-approved',
  'request-declined',
  'request-expired',
  'appointment-canceled',
  'appointment-rescheduled',
  'appointment-reminder',
];

async function renderKind<K extends EmailKind>(kind: K) {
  return renderEmail(kind, (build[kind] as () => EmailPropsByKind[K])());
}

describe('emails/render renderEmail', () => {
  it('knows every template', () => {
    expect([...emailKinds].sort()).to.deep.equal(
      [
        ...toClinician,
        ...toClient,
        'sign-in-code',
        'email-verification',
        'portal-invitation',
        'staff-invitation',
        'staff-signup-existing',
        'password-reset',
      ].sort(),
    );
  });

  for (const kind of emailKinds) {
    it(`${kind}: renders a subject, html and a plain-text version naming the practice`, async () => {
      const email = await renderKind(kind);
      expect(email.subject).to.be.a('string').and.not.equal('');
      expect(email.html).to.match(/^<!DOCTYPE html/);
      expect(email.html).to.include(practiceName);
      expect(email.text).to.include(practiceName);
      expect(email.text).not.to.include('<');
    });
  }

  for (const kind of toClinician) {
    it(`${kind}: shows the slot in the clinician's time zone`, async () => {
      const email = await renderKind(kind);
      expect(email.html).to.include(clinicianTime);
      expect(email.text).to.include(clinicianTime);
      expect(email.html).not.to.include('3:00 PM');
    });
  }

  for (const kind of toClient) {
    it(`${kind}: shows the slot in the client's time zone`, async () => {
      const email = await renderKind(kind);
      expect(email.html).to.include(clientTime);
      expect(email.text).to.include(clientTime);
      expect(email.html).not.to.include('10:00 AM EST');
    });
  }

  it('keeps client names and codes out of subjects, which show on lock screens', async () => {
    for (const kind of emailKinds) {
      const { subject } = await renderKind(kind);
      expect(subject, kind).not.to.include('Jordan');
      expect(subject, kind).not.to.include('482913');
    }
  });

  it('each template previews with its PreviewProps (email dev)', async () => {
    const previews: { [K in EmailKind]: EmailPropsByKind[K] } = {
      'new-request': NewRequest.PreviewProps,
      'request-withdrawn': RequestWithdrawn.PreviewProps,
      'appointment-canceled-clinician': AppointmentCanceledClinician.PreviewProps,
      'request-received': RequestReceived.PreviewProps,
      'request-approved': RequestApproved.PreviewProps,
      'request-declined': RequestDeclined.PreviewProps,
      'request-expired': RequestExpired.PreviewProps,
      'appointment-canceled': AppointmentCanceled.PreviewProps,
      'sign-in-code': SignInCode.PreviewProps,
      'email-verification': EmailVerification.PreviewProps,
      'portal-invitation': PortalInvitation.PreviewProps,
      'staff-invitation': StaffInvitation.PreviewProps,
      'staff-signup-existing': StaffSignupExisting.PreviewProps,
      'password-reset': PasswordReset.PreviewProps,
      'appointment-rescheduled': AppointmentRescheduled.PreviewProps,
      'appointment-reminder': AppointmentReminder.PreviewProps,
    };
    for (const kind of emailKinds) {
      const email = await renderEmail(kind, previews[kind]);
      expect(email.html, kind).to.include('Riverside Counseling');
    }
  });
});

describe('emails/new-request', () => {
  it('gives the clinician the client, service, message and a link to the dashboard', async () => {
    const { html, text } = await renderEmail('new-request', build['new-request']());
    expect(text).to.include('Jordan Lee (new client)');
    expect(text).to.include('Initial consultation');
    expect(text).to.include('Evenings work best.');
    expect(html).to.include('href="https://booking.test/app/appointment-requests/r1"');
    expect(text).not.to.include('Possible existing client');
  });

  it('flags a possible existing client before approval', async () => {
    const { text } = await renderEmail('new-request', build['new-request']({ possibleExistingClient: true }));
    expect(text).to.include('Possible existing client');
  });

  it("escapes the client's message instead of rendering it as markup", async () => {
    const { html } = await renderEmail(
      'new-request',
      build['new-request']({ message: '<script>alert(1)</script>' }),
    );
    expect(html).not.to.include('<script>');
    expect(html).to.include('&lt;script&gt;');
  });
});

describe('emails/request-approved', () => {
  it('states a phone-call policy in the words of the settings', async () => {
    const { text } = await renderEmail(
      'request-approved',
      build['request-approved']({ cancellation: { policy: 'phone_call' }, practicePhone: '(555) 010-2030' }),
    );
    expect(text).to.include('Require phone call to cancel');
    expect(text).to.include('(555) 010-2030');
  });

  it("states the free-cancelation cutoff in the client's time zone", async () => {
    const { text } = await renderEmail('request-approved', build['request-approved']());
    expect(text).to.include(
      'free cancelation until Monday, November 2, 2026 at 7:00 AM PST, later counts as a late cancelation',
    );
  });

  it('booked after the cutoff: says canceling now is a late cancelation, never promises a free one already past', async () => {
    // Approved on the evening before a 24-hour policy's cutoff had passed: 19 hours before the appointment.
    const { text, html } = await renderEmail(
      'request-approved',
      build['request-approved']({
        cancellation: { policy: '24h', freeUntil: '2026-11-02T15:00:00Z', bookedAt: '2026-11-02T20:00:00Z' },
      }),
    );
    expect(text).to.not.include('free cancelation until');
    expect(text).to.include(
      "canceling free of charge needs at least 24 hours' notice, and this appointment was booked after that point (Monday, November 2, 2026 at 7:00 AM PST). If you cancel it now, it counts as a late cancelation.",
    );
    expect(html).to.include('it counts as a late cancelation');
  });

  it('booked at the very moment of the cutoff: canceling then is still free, as the cancelation rule judges it', async () => {
    const { text } = await renderEmail(
      'request-approved',
      build['request-approved']({
        cancellation: { policy: '48h', freeUntil: '2026-11-01T15:00:00Z', bookedAt: '2026-11-01T15:00:00Z' },
      }),
    );
    expect(text).to.include('free cancelation until Sunday, November 1, 2026 at 7:00 AM PST');
  });
});

describe('emails/request-received', () => {
  it('a new client is told the answer comes by email and pointed to the portal, not to requests they cannot open', async () => {
    const { text, html } = await renderEmail('request-received', build['request-received']());
    expect(text).to.not.include('View your requests');
    expect(text).to.include('There is nothing else you need to do: the answer comes to this email address.');
    expect(html).to.include('href="https://booking.test/portal/riverside"');
    expect(html).to.not.include('href="https://booking.test/portal/riverside/me"');
    expect(text).to.include("Visit Riverside Counseling's portal");
  });

  it('an existing client gets a link to their requests in the portal', async () => {
    const { text, html } = await renderEmail(
      'request-received',
      build['request-received']({ clientType: 'existing' }),
    );
    expect(text).to.include('View your requests');
    expect(html).to.include('href="https://booking.test/portal/riverside/me"');
    expect(text).to.not.include('nothing else you need to do');
  });
});

describe('emails/request-declined', () => {
  it("includes the clinician's note when one was given", async () => {
    const { text } = await renderEmail(
      'request-declined',
      build['request-declined']({ note: 'Thursdays are open.' }),
    );
    expect(text).to.include('A note from Dr. Maya Chen');
    expect(text).to.include('Thursdays are open.');
  });

  it('says nothing about a note when there is none', async () => {
    const { text } = await renderEmail('request-declined', build['request-declined']({ note: '  ' }));
    expect(text).not.to.include('A note from');
  });
});

describe('emails/appointment-canceled', () => {
  it('tells the client whether it is Canceled or Late Canceled', async () => {
    const canceled = await renderEmail('appointment-canceled', build['appointment-canceled']());
    const late = await renderEmail(
      'appointment-canceled',
      build['appointment-canceled']({ status: 'late_canceled' }),
    );
    expect(canceled.text).to.match(/STATUS\s+Canceled/i);
    expect(canceled.text).not.to.include('Late Canceled');
    expect(late.text).to.include('Late Canceled');
    expect(late.subject).to.match(/^Late canceled/);
  });

  it('tells the clinician the outcome and when the client asked, in their zone', async () => {
    const { text } = await renderEmail(
      'appointment-canceled-clinician',
      build['appointment-canceled-clinician']({
        status: 'late_canceled',
        requestedAt: '2026-11-03T01:30:00Z',
      }),
    );
    expect(text).to.include('Late Canceled');
    expect(text).to.include('Monday, November 2, 2026 at 8:30 PM EST');
  });
});

describe('emails/sign-in-code', () => {
  it('shows the code and that it is valid for 10 minutes', async () => {
    const { html, text } = await renderEmail('sign-in-code', { practiceName, code: '482913' });
    expect(html).to.include('482913');
    expect(text).to.include('482913');
    expect(text).to.include('valid for 10 minutes');
  });
});

describe('emails/email-verification', () => {
  it('shows the code, that it is valid for 15 minutes, and that nothing was booked yet', async () => {
    const { subject, html, text } = await renderEmail('email-verification', { practiceName, code: '482913' });
    expect(subject).to.not.include('482913');
    expect(html).to.include('482913');
    expect(text).to.include('482913');
    expect(text).to.include('valid for 15 minutes');
    expect(text).to.include('nothing has been booked');
  });
});

describe('emails/portal-invitation', () => {
  it('gives the client the portal sign-in link and says the code comes by email, with no secret in it', async () => {
    const url = 'https://booking.example.test/portal/riverside/sign-in';
    const { html, text, subject } = await renderEmail('portal-invitation', {
      practiceName,
      clientFirstName: 'Jordan',
      signInUrl: url,
    });
    expect(html).to.include(`href="${url}"`);
    expect(text).to.include(url);
    expect(text).to.include('Hi Jordan');
    expect(text).to.match(/6-digit code/);
    expect(subject).to.include(practiceName);
  });
});

describe('emails/password-reset', () => {
  it('links to the reset page, keeps the link out of the subject, and says it works once for an hour', async () => {
    const url = 'https://booking.example.com/app/reset-password?token=abc123';
    const { subject, html, text } = await renderEmail('password-reset', {
      practiceName,
      firstName: 'Maya',
      resetUrl: url,
    });
    expect(subject).to.equal('Reset your Riverside Counseling password');
    expect(subject).to.not.include('abc123');
    expect(html).to.include(`href="${url}"`);
    expect(text).to.include(url);
    expect(text).to.include('works once, for 60 minutes');
    expect(text).to.include('signs you out everywhere');
  });
});

describe('emails/appointment-rescheduled', () => {
  it("names the old and the new time in the client's zone", async () => {
    const email = await renderKind('appointment-rescheduled');
    expect(email.subject).to.equal('Moved: your appointment is now on Tue, Nov 3, 7:00 AM PST');
    expect(email.text).to.include('It was Monday, November 2, 2026 at 10:00 AM PST (50 minutes).');
    expect(email.text).to.include(clientTime);
  });
});
