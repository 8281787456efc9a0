import { expect } from 'chai';
import NewRescheduleRequest from '../../emails/reschedule/new-request';
import RescheduleRequestReceived from '../../emails/reschedule/request-received';
import RescheduleRequestApproved from '../../emails/reschedule/request-approved';
import RescheduleRequestDeclined from '../../emails/reschedule/request-declined';
import RescheduleRequestExpired from '../../emails/reschedule/request-expired';
import { renderEmail, type EmailKind, type EmailPropsByKind } from '../../emails/render';

const practiceName = 'Riverside Counseling';
// The appointment is Tuesday 27 October 2026, 10:00 in New York; the client asks for Tuesday 3 November, 10:00.
const slot = { startsAt: '2026-11-03T15:00:00Z', endsAt: '2026-11-03T15:50:00Z' };
const movesFrom = { startsAt: '2026-10-27T14:00:00Z', endsAt: '2026-10-27T14:50:00Z' };
const clinicianZone = { timeZone: 'America/New_York' };
const clientZone = { timeZone: 'America/Los_Angeles' };
const clinicianFrom = 'Tuesday, October 27, 2026 at 10:00 AM EDT (50 minutes)';
const clinicianTo = 'Tuesday, November 3, 2026 at 10:00 AM EST (50 minutes)';
const clientFrom = 'Tuesday, October 27, 2026 at 7:00 AM PDT (50 minutes)';
const clientTo = 'Tuesday, November 3, 2026 at 7:00 AM PST (50 minutes)';

const common = { practiceName, clinicianName: 'Dr. Maya Chen', serviceName: 'Individual therapy', ...slot };
const props = {
  'new-request': {
    ...common,
    ...clinicianZone,
    clientName: 'Jordan Lee',
    clientType: 'existing',
    possibleExistingClient: false,
    dashboardUrl: 'https://booking.test/app/requests',
  },
  'request-received': {
    ...common,
    ...clientZone,
    clientFirstName: 'Jordan',
    clientType: 'existing',
    myRequestsUrl: 'https://booking.test/portal/riverside/me',
  },
  'request-approved': {
    ...common,
    ...clientZone,
    clientFirstName: 'Jordan',
    cancellation: { policy: '24h', freeUntil: '2026-11-02T15:00:00Z', bookedAt: '2026-10-20T16:00:00Z' },
  },
  'request-declined': { ...common, ...clientZone, clientFirstName: 'Jordan', note: 'That week is full.' },
} satisfies {
  [
    K in Extract<EmailKind, 'new-request' | 'request-received' | 'request-approved' | 'request-declined'>
  ]: EmailPropsByKind[K];
};

describe('request emails for a reschedule request: they say reschedule and name both times', () => {
  const rendered = async <K extends keyof typeof props>(kind: K, moving: boolean) =>
    renderEmail(kind, { ...props[kind], ...(moving ? { movesFrom } : {}) } as EmailPropsByKind[K]);

  it('to the clinician: a reschedule request from the current time to the asked one, in their zone', async () => {
    const email = await rendered('new-request', true);
    expect(email.subject).to.equal('Reschedule request: move an appointment to Tue, Nov 3, 10:00 AM EST');
    expect(email.text).to.include(
      `Jordan Lee asks to reschedule their appointment with you from ${clinicianFrom} to ${clinicianTo}.`,
    );
    expect(email.text).to.include('until then the appointment stays at its current time');
    expect(email.subject, 'no client name on a lock screen').not.to.include('Jordan');
  });

  it('to the client: the receipt says the appointment keeps its time until the clinician decides', async () => {
    const email = await rendered('request-received', true);
    expect(email.subject).to.equal(`We received your request to reschedule – ${practiceName}`);
    expect(email.text).to.include(
      `you asked to reschedule your appointment from ${clientFrom} to ${clientTo}.`,
    );
    expect(email.text).to.include(`your appointment stays at ${clientFrom}`);
  });

  it('approved: moved from the old time to the new one, the invite updating the event already in the calendar', async () => {
    const email = await rendered('request-approved', true);
    expect(email.subject).to.equal('Rescheduled: your appointment is now on Tue, Nov 3, 7:00 AM PST');
    expect(email.text).to.include(
      `approved your request to reschedule. Your appointment moved from ${clientFrom} to ${clientTo}.`,
    );
    expect(email.text).to.include('it is not a second appointment');
    expect(email.text).to.include('Cancelation policy: free cancelation until');
  });

  it('declined: the asked time is not booked and the appointment stays where it was, with the note', async () => {
    const email = await rendered('request-declined', true);
    expect(email.subject).to.equal(`About your request to reschedule – ${practiceName}`);
    expect(email.text).to.include(`couldn't approve your request to reschedule to ${clientTo}.`);
    expect(email.text).to.include(`it stays at ${clientFrom}`);
    expect(email.text).to.include('That week is full.');
  });

  it('a booking request reads as before: no reschedule words, one time', async () => {
    for (const kind of Object.keys(props) as (keyof typeof props)[]) {
      const email = await rendered(kind, false);
      expect(`${email.subject} ${email.text}`, kind).not.to.match(/reschedul/i);
      expect(email.text, kind).not.to.include('October 27');
    }
  });

  it('each reschedule variant previews in email dev (emails/reschedule/)', async () => {
    const previews = {
      'new-request': NewRescheduleRequest.PreviewProps,
      'request-received': RescheduleRequestReceived.PreviewProps,
      'request-approved': RescheduleRequestApproved.PreviewProps,
      'request-declined': RescheduleRequestDeclined.PreviewProps,
      'request-expired': RescheduleRequestExpired.PreviewProps,
    };
    for (const [kind, preview] of Object.entries(previews)) {
      const email = await renderEmail(kind as keyof typeof previews, preview as never);
      expect(email.html, kind).to.include('Riverside Counseling');
      expect(email.text, kind).to.match(/reschedul/i);
    }
  });
});
