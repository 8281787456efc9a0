import { Action, Callout, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import { formatShortDateTime, formatSlot, type Instant } from './_components/format';
import { cancellationText, type CancellationTerms } from './request-approved';

/** Props of the email telling a client the practice moved their appointment; the new time is startsAt/endsAt. */
export interface AppointmentRescheduledProps {
  startsAt: Instant;
  endsAt: Instant;
  previousStartsAt: Instant;
  previousEndsAt: Instant;
  timeZone: string;
  practiceName: string;
  practicePhone?: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  cancellation: CancellationTerms;
  portalUrl?: string;
}

/** Subject with the new time in the client's zone. */
export function subject(props: AppointmentRescheduledProps): string {
  return `Moved: your appointment is now on ${formatShortDateTime(props.startsAt, props.timeZone)}`;
}

/** To the client: the appointment has a new time; the attached invite replaces the old one in their calendar. */
export default function AppointmentRescheduled(props: AppointmentRescheduledProps) {
  const slot = formatSlot(props);
  const previous = formatSlot({
    startsAt: props.previousStartsAt,
    endsAt: props.previousEndsAt,
    timeZone: props.timeZone,
  });
  return (
    <Layout practiceName={props.practiceName} preview={`New time with ${props.clinicianName}: ${slot}`}>
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>{`${props.clinicianName}'s practice moved your appointment. It was ${previous}.`}</P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} clinicianName={props.clinicianName} />
      <P>The attached invite updates the event in your calendar.</P>
      <Callout>
        <P>{cancellationText(props.cancellation, props.timeZone, props.practicePhone)}</P>
      </Callout>
      {props.portalUrl ? <Action href={props.portalUrl} label="View your appointments" /> : null}
    </Layout>
  );
}

AppointmentRescheduled.PreviewProps = {
  ...previewForClient,
  previousStartsAt: '2026-11-02T15:00:00Z',
  previousEndsAt: '2026-11-02T15:50:00Z',
  practicePhone: '+1 555 0100',
  cancellation: { policy: '24h', freeUntil: '2026-11-02T15:00:00Z', bookedAt: '2026-10-30T18:20:00Z' },
} satisfies AppointmentRescheduledProps;
