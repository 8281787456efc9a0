import { Action, Callout, Detail, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClinician } from './_components/preview';
import { formatShortDateTime, formatSlot, type SlotProps } from './_components/format';
import { formatMovesFrom, type MovesFrom } from './_components/reschedule';

/** Props of the email telling a clinician that a client asked for an appointment. */
export interface NewRequestProps extends SlotProps {
  practiceName: string;
  clinicianName: string;
  clientName: string;
  clientType: 'new' | 'existing';
  /** A "new client" gave the email of a client already on file: shown before approval, never to the client. */
  possibleExistingClient: boolean;
  serviceName: string;
  message?: string;
  dashboardUrl: string;
  /** A request to move an existing appointment: its current time (the request's time is where it would go). */
  movesFrom?: MovesFrom;
}

/** Subject without the client's name: subjects show on lock screens and in notification previews. */
export function subject(props: NewRequestProps): string {
  if (props.movesFrom)
    return `Reschedule request: move an appointment to ${formatShortDateTime(props.startsAt, props.timeZone)}`;
  return `New appointment request for ${formatShortDateTime(props.startsAt, props.timeZone)}`;
}

/** To the clinician: a client requested a slot; approve or decline from the dashboard. */
export default function NewRequest(props: NewRequestProps) {
  const slot = formatSlot(props);
  const from = props.movesFrom ? formatMovesFrom(props.movesFrom, props.timeZone) : null;
  return (
    <Layout
      practiceName={props.practiceName}
      preview={from ? `Reschedule request: from ${from} to ${slot}` : `New appointment request for ${slot}`}
    >
      <P>{`Hi ${props.clinicianName},`}</P>
      <P>
        {from
          ? `${props.clientName} asks to reschedule their appointment with you from ${from} to ${slot}. The new time is held until you approve or decline; until then the appointment stays at its current time.`
          : `${props.clientName} would like to book an appointment with you. The time is held until you approve or decline.`}
      </P>
      <Detail
        label="Client"
        value={`${props.clientName} (${props.clientType === 'new' ? 'new client' : 'existing client'})`}
      />
      <AppointmentDetails serviceName={props.serviceName} slot={slot} />
      {from ? <Detail label="Currently" value={from} /> : null}
      {props.message ? <Detail label="Message from the client" value={props.message} /> : null}
      {props.possibleExistingClient ? (
        <Callout>
          <P>
            Possible existing client: the email given matches a client already on file. Approving books the
            appointment for that client and leaves their profile as it is.
          </P>
        </Callout>
      ) : null}
      <Action href={props.dashboardUrl} label="Review the request" />
    </Layout>
  );
}

NewRequest.PreviewProps = {
  ...previewForClinician,
  clientType: 'new',
  possibleExistingClient: true,
  message: 'Evenings work best for me if anything opens up.',
  dashboardUrl: 'http://localhost:3000/app/appointment-requests',
} satisfies NewRequestProps;
