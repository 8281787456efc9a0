import { expect } from 'chai';
import { renderEmail } from '../../emails/render';
import type { AppointmentReminderProps } from '../../emails/appointment-reminder';

const props = (over: Partial<AppointmentReminderProps> = {}): AppointmentReminderProps => ({
  startsAt: '2027-11-08T14:00:00Z',
  endsAt: '2027-11-08T14:50:00Z',
  timeZone: 'America/New_York',
  practiceName: 'Riverside Counseling',
  clientFirstName: 'Jordan',
  clinicianName: 'Dr. Maya Chen',
  serviceName: 'Individual therapy',
  cancellationPolicy: '24h',
  freeUntil: '2027-11-07T14:00:00Z',
  remindedAt: '2027-11-06T14:00:00Z',
  practicePhone: '+1 555 0100',
  myAppointmentsUrl: 'http://portal.test/portal/riverside/me',
  stopRemindersUrl: 'http://portal.test/portal/riverside/reminders/opt-out?client=c1&token=t',
  ...over,
});

describe('emails/appointment-reminder', () => {
  it("says when in the client's zone, with whom, the free cancelation as booked, and the portal and stop links", async () => {
    const { subject, text, html } = await renderEmail('appointment-reminder', props());
    expect(subject).to.equal('Reminder: your appointment on Mon, Nov 8, 9:00 AM EST');
    expect(text).to.include('Monday, November 8, 2027 at 9:00 AM EST (50 minutes)');
    expect(text).to.include('Dr. Maya Chen');
    expect(text).to.include('Individual therapy');
    expect(text).to.include('Free cancelation until Sunday, November 7, 2027 at 9:00 AM EST.');
    expect(html).to.include('href="http://portal.test/portal/riverside/me"');
    expect(html).to.include('Cancel or reschedule');
    expect(html).to.include(
      'href="http://portal.test/portal/riverside/reminders/opt-out?client=c1&amp;token=t"',
    );
    expect(text).to.include('Stop reminders');
  });

  it("in another zone, the same instant reads as that zone's time", async () => {
    const { text } = await renderEmail('appointment-reminder', props({ timeZone: 'Europe/Berlin' }));
    expect(text).to.include('Monday, November 8, 2027 at 3:00 PM GMT+1');
  });

  it('after the free-cancelation cutoff says a cancelation now is late; under phone-only, the number to call', async () => {
    const late = await renderEmail('appointment-reminder', props({ remindedAt: '2027-11-08T12:00:00Z' }));
    expect(late.text).to.include(
      'Free cancelation ended Sunday, November 7, 2027 at 9:00 AM EST; canceling now counts as a late cancelation.',
    );
    const phone = await renderEmail(
      'appointment-reminder',
      props({ cancellationPolicy: 'phone_call', freeUntil: undefined, myAppointmentsUrl: undefined }),
    );
    expect(phone.text).to.include('Please call +1 555 0100 to cancel.');
    expect(phone.html).to.not.include('Cancel or reschedule');
  });
});
