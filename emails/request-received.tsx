import { Action, Detail, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatSlot, type SlotProps } from './_components/format';
import { formatMovesFrom, type MovesFrom } from './_components/reschedule';

/** Props of the receipt a client gets right after sending a request. */
export interface RequestReceivedProps extends SlotProps {
  practiceName: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  /** As submitted: a new client has no portal account yet, so there is no list of requests to open. */
  clientType: 'new' | 'existing';
  /** The practice's portal page. */
  portalUrl?: string;
  /** Where a signed-in client sees their requests (existing clients). */
  myRequestsUrl?: string;
  /** A request to move an existing appointment: its current time, kept until the clinician decides. */
  movesFrom?: MovesFrom;
}

/** Subject confirming receipt, without the slot: it is not booked yet. */
export function subject(props: RequestReceivedProps): string {
  if (props.movesFrom) return `We received your request to reschedule – ${props.practiceName}`;
  return `We received your appointment request – ${props.practiceName}`;
}

/** To the client: the request arrived and is waiting for the clinician. */
export default function RequestReceived(props: RequestReceivedProps) {
  const slot = formatSlot(props);
  const from = props.movesFrom ? formatMovesFrom(props.movesFrom, props.timeZone) : null;
  if (from)
    return (
      <Layout
        practiceName={props.practiceName}
        preview={`Your request to reschedule to ${slot} is with ${props.clinicianName}`}
      >
        <P>{`Hi ${props.clientFirstName},`}</P>
        <P>{`Thank you: you asked to reschedule your appointment from ${from} to ${slot}. ${props.clinicianName} will review it and you'll get another email once it is approved or declined. Until then the new time is held for you and your appointment stays at ${from}.`}</P>
        <AppointmentDetails serviceName={props.serviceName} slot={slot} clinicianName={props.clinicianName} />
        <Detail label="Currently" value={from} />
        {props.myRequestsUrl ? <Action href={props.myRequestsUrl} label="View your appointments" /> : null}
      </Layout>
    );
  return (
    <Layout
      practiceName={props.practiceName}
      preview={`Your request for ${slot} is with ${props.clinicianName}`}
    >
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>{`Thank you for your request. ${props.clinicianName} will review it and you'll get another email once it is approved or declined. Until then the time is held for you.`}</P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} clinicianName={props.clinicianName} />
      {props.clientType === 'existing' ? (
        props.myRequestsUrl ? (
          <Action href={props.myRequestsUrl} label="View your requests" />
        ) : null
      ) : (
        <>
          <P>{`There is nothing else you need to do: the answer comes to this email address. Once your first appointment is booked, you can sign in to ${props.practiceName}'s client portal with this address to see and manage your appointments.`}</P>
          {props.portalUrl ? (
            <Action href={props.portalUrl} label={`Visit ${props.practiceName}'s portal`} />
          ) : null}
        </>
      )}
    </Layout>
  );
}

RequestReceived.PreviewProps = {
  ...previewForClient,
  clientType: 'new',
} satisfies RequestReceivedProps;
