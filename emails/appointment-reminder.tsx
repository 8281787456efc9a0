import { Link, Text } from '@react-email/components';
import { Action, Callout, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatDateTime, formatShortDateTime, formatSlot, toDate, type Instant } from './_components/format';

/** Props of the reminder a client gets before an appointment; times are shown in `timeZone` (the client's). */
export interface AppointmentReminderProps {
  startsAt: Instant;
  endsAt: Instant;
  timeZone: string;
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  /** The policy the appointment was booked under, never the practice's current one. */
  cancellationPolicy: 'phone_call' | '24h' | '48h' | '72h';
  /** The end of free cancelation under that policy (absent for phone_call). */
  freeUntil?: Instant;
  /** The reminder's moment: what "now" means for the cancel terms, the same on every retry of the send. */
  remindedAt: Instant;
  /** Who to call when the policy asks for a phone call (the clinician's number, else the practice's). */
  practicePhone?: string;
  /** The portal's My appointments, where the client cancels or asks for another time; absent when the portal is off. */
  myAppointmentsUrl?: string;
  /** The signed one-click link that stops reminders for this client. */
  stopRemindersUrl: string;
}

/** Subject with the time in the client's zone. */
export function subject(props: AppointmentReminderProps): string {
  return `Reminder: your appointment on ${formatShortDateTime(props.startsAt, props.timeZone)}`;
}

/** The cancel terms as booked, worded for the moment of the reminder. */
export function reminderCancelText(props: AppointmentReminderProps): string {
  if (props.cancellationPolicy === 'phone_call' || !props.freeUntil)
    return props.practicePhone
      ? `Please call ${props.practicePhone} to cancel.`
      : 'Please call your clinician or the practice to cancel.';
  const cutoff = formatDateTime(props.freeUntil, props.timeZone);
  // Judged as the cancelation itself is: at or before the cutoff is free, after it is late.
  if (toDate(props.remindedAt).getTime() <= toDate(props.freeUntil).getTime())
    return `Free cancelation until ${cutoff}. Later cancelations count as late.`;
  return `Free cancelation ended ${cutoff}; canceling now counts as a late cancelation.`;
}

/** To the client, before the appointment: when, with whom, how to cancel or move it, and how to stop reminders. */
export default function AppointmentReminder(props: AppointmentReminderProps) {
  const slot = formatSlot(props);
  return (
    <Layout practiceName={props.practiceName} preview={`Coming up with ${props.clinicianName}: ${slot}`}>
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>{`This is a reminder of your appointment with ${props.clinicianName}.`}</P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} clinicianName={props.clinicianName} />
      <Callout>
        <P>{reminderCancelText(props)}</P>
      </Callout>
      {props.myAppointmentsUrl ? (
        <Action href={props.myAppointmentsUrl} label="Cancel or reschedule" />
      ) : null}
      <Text style={{ fontSize: '13px', lineHeight: '20px', color: '#6b7280' }}>
        {"Don't want these reminders? "}
        <Link href={props.stopRemindersUrl}>Stop reminders</Link>
      </Text>
    </Layout>
  );
}

AppointmentReminder.PreviewProps = {
  ...previewForClient,
  cancellationPolicy: '24h',
  freeUntil: '2026-11-02T15:00:00Z',
  remindedAt: '2026-11-01T15:00:00Z',
  practicePhone: '+1 555 0100',
  myAppointmentsUrl: 'http://localhost:3000/portal/demo/me',
  stopRemindersUrl:
    'http://localhost:3000/portal/demo/reminders/opt-out?client=00000000-0000-4000-8000-000000000000&token=preview',
} satisfies AppointmentReminderProps;
