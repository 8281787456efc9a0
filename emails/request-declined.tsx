import { Action, Callout, Detail, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatSlot, type SlotProps } from './_components/format';
import { formatMovesFrom, type MovesFrom } from './_components/reschedule';

/** Props of the email telling a client their request was declined. */
export interface RequestDeclinedProps extends SlotProps {
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  /** The clinician's note to the client, shown as written. */
  note?: string;
  portalUrl?: string;
  /** A declined reschedule request: the appointment's time, which it keeps. */
  movesFrom?: MovesFrom;
}

/** Gentle subject: the outcome is in the body. */
export function subject(props: RequestDeclinedProps): string {
  if (props.movesFrom) return `About your request to reschedule – ${props.practiceName}`;
  return `About your appointment request – ${props.practiceName}`;
}

/** To the client: the request was declined, with the clinician's note when one was given. */
export default function RequestDeclined(props: RequestDeclinedProps) {
  const slot = formatSlot(props);
  const note = props.note?.trim();
  const from = props.movesFrom ? formatMovesFrom(props.movesFrom, props.timeZone) : null;
  return (
    <Layout
      practiceName={props.practiceName}
      preview={from ? `Your appointment stays at ${from}` : `Your request for ${slot} couldn't be booked`}
    >
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>
        {from
          ? `We're sorry: ${props.clinicianName} couldn't approve your request to reschedule to ${slot}. Your appointment is not moved: it stays at ${from}.`
          : `We're sorry: ${props.clinicianName} couldn't approve your appointment request, so the time below is not booked.`}
      </P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} />
      {from ? <Detail label="Your appointment stays at" value={from} /> : null}
      {note ? (
        <Callout>
          <P>{`A note from ${props.clinicianName}:`}</P>
          <P>{note}</P>
        </Callout>
      ) : null}
      <P>
        {from
          ? "You're welcome to ask for another time, or keep the appointment as it is."
          : "You're welcome to request another time."}
      </P>
      {props.portalUrl ? (
        <Action href={props.portalUrl} label={from ? 'View your appointments' : 'Request another time'} />
      ) : null}
    </Layout>
  );
}

RequestDeclined.PreviewProps = {
  ...previewForClient,
  note: 'I am fully booked that week. Thursday afternoons are usually open.',
} satisfies RequestDeclinedProps;
