import { Action, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClinician } from './_components/preview';
import { formatShortDateTime, formatSlot, type SlotProps } from './_components/format';

/** Props of the email telling a clinician that the client withdrew a pending request. */
export interface RequestWithdrawnProps extends SlotProps {
  practiceName: string;
  clinicianName: string;
  clientName: string;
  serviceName: string;
  dashboardUrl: string;
}

/** Subject naming the time only, never the client. */
export function subject(props: RequestWithdrawnProps): string {
  return `Appointment request withdrawn: ${formatShortDateTime(props.startsAt, props.timeZone)}`;
}

/** To the clinician: the client withdrew the request, so there is nothing left to approve. */
export default function RequestWithdrawn(props: RequestWithdrawnProps) {
  const slot = formatSlot(props);
  return (
    <Layout practiceName={props.practiceName} preview={`A request for ${slot} was withdrawn`}>
      <P>{`Hi ${props.clinicianName},`}</P>
      <P>{`${props.clientName} withdrew their appointment request. The time is free again and there is nothing for you to do.`}</P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} />
      <Action href={props.dashboardUrl} label="Open your dashboard" />
    </Layout>
  );
}

RequestWithdrawn.PreviewProps = {
  ...previewForClinician,
  dashboardUrl: 'http://localhost:3000/app/appointment-requests',
} satisfies RequestWithdrawnProps;
