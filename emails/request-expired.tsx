import { Action, Detail, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatSlot, type SlotProps } from './_components/format';
import { formatMovesFrom, type MovesFrom } from './_components/reschedule';

/** Props of the email telling a client their request ran out of time without an answer. */
export interface RequestExpiredProps extends SlotProps {
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  portalUrl?: string;
  /** An expired reschedule request: the appointment's time, which it keeps. */
  movesFrom?: MovesFrom;
}

/** Subject saying what happened in plain words. */
export function subject(props: RequestExpiredProps): string {
  if (props.movesFrom) return `Your request to reschedule expired – ${props.practiceName}`;
  return `Your appointment request expired – ${props.practiceName}`;
}

/** To the client: nobody answered in time, so the request lapsed and nothing is booked. */
export default function RequestExpired(props: RequestExpiredProps) {
  const slot = formatSlot(props);
  const from = props.movesFrom ? formatMovesFrom(props.movesFrom, props.timeZone) : null;
  return (
    <Layout practiceName={props.practiceName} preview={`Your request for ${slot} expired`}>
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>
        {from
          ? `We're sorry: your request to reschedule with ${props.clinicianName} wasn't answered in time, so it has expired. Your appointment is not moved: it stays at ${from}.`
          : `We're sorry: your appointment request with ${props.clinicianName} wasn't answered in time, so it has expired and the time below is not booked.`}
      </P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} />
      {from ? <Detail label="Your appointment stays at" value={from} /> : null}
      <P>You're welcome to request another time, or contact the practice directly.</P>
      {props.portalUrl ? <Action href={props.portalUrl} label="Request another time" /> : null}
    </Layout>
  );
}

RequestExpired.PreviewProps = { ...previewForClient } satisfies RequestExpiredProps;
