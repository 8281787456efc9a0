import { Action, Layout, P } from './_components/Layout';
import { CancelationDetails } from './_components/AppointmentDetails';
import { previewForClinician } from './_components/preview';
import { formatShortDateTime, formatSlot, type Instant, type SlotProps } from './_components/format';

/** Props of the email telling a clinician that an appointment was canceled. */
export interface AppointmentCanceledClinicianProps extends SlotProps {
  practiceName: string;
  clinicianName: string;
  clientName: string;
  serviceName: string;
  /** clinician_canceled reads as Canceled: the opening already says the practice canceled. */
  status: 'canceled' | 'late_canceled' | 'clinician_canceled';
  /** When the cancelation was asked for: the moment the policy judged, not when a worker processed it. */
  requestedAt: Instant;
  canceledBy?: 'client' | 'practice';
  dashboardUrl: string;
}

/** Subject with the outcome and time, never the client. */
export function subject(props: AppointmentCanceledClinicianProps): string {
  const outcome = props.status === 'late_canceled' ? 'Late canceled' : 'Canceled';
  return `${outcome}: appointment on ${formatShortDateTime(props.startsAt, props.timeZone)}`;
}

/** To the clinician: an appointment is Canceled or Late Canceled, and when it was asked for. */
export default function AppointmentCanceledClinician(props: AppointmentCanceledClinicianProps) {
  const slot = formatSlot(props);
  const outcome = props.status === 'late_canceled' ? 'Late Canceled' : 'Canceled';
  const who = props.canceledBy === 'practice' ? 'The practice' : props.clientName;
  return (
    <Layout practiceName={props.practiceName} preview={`${outcome}: ${slot}`}>
      <P>{`Hi ${props.clinicianName},`}</P>
      <P>{`${who} canceled the appointment below. The time is free again on your calendar.`}</P>
      <CancelationDetails
        outcome={outcome}
        clientName={props.clientName}
        serviceName={props.serviceName}
        slot={slot}
        requestedAt={props.requestedAt}
        timeZone={props.timeZone}
      />
      {props.status === 'late_canceled' ? (
        <P>
          It was asked for after the cutoff of the practice's cancelation policy, so it counts as a late
          cancelation.
        </P>
      ) : null}
      <Action href={props.dashboardUrl} label="Open your calendar" />
    </Layout>
  );
}

AppointmentCanceledClinician.PreviewProps = {
  ...previewForClinician,
  serviceName: 'Individual therapy',
  status: 'late_canceled',
  requestedAt: '2026-11-02T22:10:00Z',
  dashboardUrl: 'http://localhost:3000/app/calendar',
} satisfies AppointmentCanceledClinicianProps;
