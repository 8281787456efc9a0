import { Action, Layout, P } from './_components/Layout';
import { CancelationDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatShortDateTime, formatSlot, type Instant, type SlotProps } from './_components/format';

/** Props of the email confirming to a client that an appointment was canceled. */
export interface AppointmentCanceledProps extends SlotProps {
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  /** clinician_canceled reads as Canceled: the opening already says the practice canceled. */
  status: 'canceled' | 'late_canceled' | 'clinician_canceled';
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
      <CancelationDetails
        outcome={outcome}
        serviceName={props.serviceName}
        slot={slot}
        requestedAt={props.requestedAt}
        timeZone={props.timeZone}
      />
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
  ...previewForClient,
  serviceName: 'Individual therapy',
  status: 'canceled',
  requestedAt: '2026-10-30T18:00:00Z',
} satisfies AppointmentCanceledProps;
