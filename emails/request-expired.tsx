import { Action, Detail, Layout, P } from './_components/Layout';
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
      <Detail label="Service" value={props.serviceName} />
      <Detail label="When" value={slot} />
      <P>You're welcome to request another time, or contact the practice directly.</P>
      {props.portalUrl ? <Action href={props.portalUrl} label="Request another time" /> : null}
    </Layout>
  );
}

RequestExpired.PreviewProps = {
  practiceName: 'Riverside Counseling',
  clientFirstName: 'Jordan',
  clinicianName: 'Dr. Maya Chen',
  serviceName: 'Initial consultation',
  startsAt: '2026-11-03T15:00:00Z',
  endsAt: '2026-11-03T15:50:00Z',
  timeZone: 'America/Chicago',
  portalUrl: 'http://localhost:3000/portal/demo',
} satisfies RequestExpiredProps;
