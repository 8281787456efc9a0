import { Action, Callout, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatSlot, type SlotProps } from './_components/format';

/** Props of the email telling a client their request was declined. */
export interface RequestDeclinedProps extends SlotProps {
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  /** The clinician's note to the client, shown as written. */
  note?: string;
  portalUrl?: string;
}

/** Gentle subject: the outcome is in the body. */
export function subject(props: RequestDeclinedProps): string {
  return `About your appointment request – ${props.practiceName}`;
}

/** To the client: the request was declined, with the clinician's note when one was given. */
export default function RequestDeclined(props: RequestDeclinedProps) {
  const slot = formatSlot(props);
  const note = props.note?.trim();
  return (
    <Layout practiceName={props.practiceName} preview={`Your request for ${slot} couldn't be booked`}>
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>{`We're sorry: ${props.clinicianName} couldn't approve your appointment request, so the time below is not booked.`}</P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} />
      {note ? (
        <Callout>
          <P>{`A note from ${props.clinicianName}:`}</P>
          <P>{note}</P>
        </Callout>
      ) : null}
      <P>You're welcome to request another time.</P>
      {props.portalUrl ? <Action href={props.portalUrl} label="Request another time" /> : null}
    </Layout>
  );
}

RequestDeclined.PreviewProps = {
  ...previewForClient,
  note: 'I am fully booked that week. Thursday afternoons are usually open.',
} satisfies RequestDeclinedProps;
