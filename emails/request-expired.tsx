import { Action, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatSlot, type SlotProps } from './_components/format';

/** Props of the email telling a client their request ran out of time without an answer. */
export interface RequestExpiredProps extends SlotProps {
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  portalUrl?: string;
}

/** Subject saying what happened in plain words. */
export function subject(props: RequestExpiredProps): string {
  return `Your appointment request expired – ${props.practiceName}`;
}

/** To the client: nobody answered in time, so the request lapsed and nothing is booked. */
export default function RequestExpired(props: RequestExpiredProps) {
  const slot = formatSlot(props);
  return (
    <Layout practiceName={props.practiceName} preview={`Your request for ${slot} expired`}>
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>{`We're sorry: your appointment request with ${props.clinicianName} wasn't answered in time, so it has expired and the time below is not booked.`}</P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} />
      <P>You're welcome to request another time, or contact the practice directly.</P>
      {props.portalUrl ? <Action href={props.portalUrl} label="Request another time" /> : null}
    </Layout>
  );
}

RequestExpired.PreviewProps = { ...previewForClient } satisfies RequestExpiredProps;
