import { Action, Detail, Layout, P } from './_components/Layout';
import {
  formatDateTime,
  formatShortDateTime,
  formatSlot,
  type Instant,
  type SlotProps,
} from './_components/format';

/** Props of the email confirming to a client that an appointment was canceled. */
export interface AppointmentCanceledProps extends SlotProps {
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  status: 'canceled' | 'late_canceled';
  /** When the cancelation was asked for, the moment the policy judged. */
  requestedAt: Instant;
  canceledBy?: 'client' | 'practice';
  portalUrl?: string;
}

/** Subject with the outcome and the time. */
export function subject(props: AppointmentCanceledProps): string {
  const outcome = props.status === 'late_canceled' ? 'Late canceled' : 'Canceled';
  return `${outcome}: your appointment on ${formatShortDateTime(props.startsAt, props.timeZone)}`;
}

/** To the client: the appointment is Canceled or Late Canceled. */
export default function AppointmentCanceled(props: AppointmentCanceledProps) {
  const slot = formatSlot(props);
  const outcome = props.status === 'late_canceled' ? 'Late Canceled' : 'Canceled';
  const opening =
    props.canceledBy === 'practice'
      ? `The practice canceled your appointment with ${props.clinicianName}. We're sorry for the change.`
      : `Your appointment with ${props.clinicianName} is canceled, as you asked.`;
  return (
    <Layout practiceName={props.practiceName} preview={`${outcome}: ${slot}`}>
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>{opening}</P>
      <Detail label="Status" value={outcome} />
      <Detail label="Service" value={props.serviceName} />
      <Detail label="When" value={slot} />
      <Detail label="Cancelation asked for" value={formatDateTime(props.requestedAt, props.timeZone)} />
      {props.status === 'late_canceled' ? (
        <P>
          Because it came after the cutoff of the practice's cancelation policy, it counts as a late
          cancelation.
        </P>
      ) : null}
      {props.portalUrl ? <Action href={props.portalUrl} label="Book another time" /> : null}
    </Layout>
  );
}

AppointmentCanceled.PreviewProps = {
  practiceName: 'Riverside Counseling',
  clientFirstName: 'Jordan',
  clinicianName: 'Dr. Maya Chen',
  serviceName: 'Individual therapy',
  status: 'canceled',
  startsAt: '2026-11-03T15:00:00Z',
  endsAt: '2026-11-03T15:50:00Z',
  requestedAt: '2026-10-30T18:00:00Z',
  timeZone: 'America/Chicago',
  portalUrl: 'http://localhost:3000/portal/demo',
} satisfies AppointmentCanceledProps;
