import { Action, Callout, Detail, Layout, P } from './_components/Layout';
import { AppointmentDetails } from './_components/AppointmentDetails';
import { previewForClient } from './_components/preview';
import {
  formatDateTime,
  formatShortDateTime,
  formatSlot,
  toDate,
  type Instant,
  type SlotProps,
} from './_components/format';
import { formatMovesFrom, type MovesFrom } from './_components/reschedule';

/**
 * The policy copied onto the appointment. The cutoff comes from the caller, computed by the one
 * cancelation-cutoff rule the API and workflows share, so the email can never disagree with it. `bookedAt` is
 * the moment of the approval: booked after the cutoff, there never was a free cancelation to promise.
 */
export type CancellationTerms =
  { policy: 'phone_call' } | { policy: '24h' | '48h' | '72h'; freeUntil: Instant; bookedAt: Instant };

/** Props of the confirmation a client gets when the clinician approves. */
export interface RequestApprovedProps extends SlotProps {
  practiceName: string;
  practicePhone?: string;
  clientFirstName: string;
  clinicianName: string;
  serviceName: string;
  cancellation: CancellationTerms;
  portalUrl?: string;
  /** Booked by the practice (the client phoned), not approved from an online request. */
  bookedByPractice?: boolean;
  /** An approved reschedule request: the time the appointment had before it moved. */
  movesFrom?: MovesFrom;
}

/** Subject with the confirmed time in the client's zone. */
export function subject(props: RequestApprovedProps): string {
  if (props.movesFrom)
    return `Rescheduled: your appointment is now on ${formatShortDateTime(props.startsAt, props.timeZone)}`;
  return `Confirmed: your appointment on ${formatShortDateTime(props.startsAt, props.timeZone)}`;
}

/** The cancelation policy in the words of the portal settings, with the client's own cutoff time. */
export function cancellationText(terms: CancellationTerms, timeZone: string, practicePhone?: string): string {
  if (terms.policy === 'phone_call') {
    const call = practicePhone
      ? `please call ${practicePhone}`
      : 'please call your clinician or the practice';
    return `Cancelation policy: Require phone call to cancel. This appointment can't be canceled online; to cancel, ${call}.`;
  }
  const cutoff = formatDateTime(terms.freeUntil, timeZone);
  // Judged as the cancelation itself is: asked at or before the cutoff is free, after it is late.
  if (toDate(terms.bookedAt).getTime() > toDate(terms.freeUntil).getTime()) {
    const hours = terms.policy.replace('h', '');
    return `Cancelation policy: canceling free of charge needs at least ${hours} hours' notice, and this appointment was booked after that point (${cutoff}). If you cancel it now, it counts as a late cancelation.`;
  }
  return `Cancelation policy: free cancelation until ${cutoff}, later counts as a late cancelation.`;
}

/** To the client: the appointment is booked, with the cancelation policy spelled out. */
export default function RequestApproved(props: RequestApprovedProps) {
  const slot = formatSlot(props);
  const from = props.movesFrom ? formatMovesFrom(props.movesFrom, props.timeZone) : null;
  return (
    <Layout
      practiceName={props.practiceName}
      preview={
        from
          ? `Rescheduled with ${props.clinicianName}: ${slot}`
          : `You're booked with ${props.clinicianName}: ${slot}`
      }
    >
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>
        {from
          ? `Good news: ${props.clinicianName} approved your request to reschedule. Your appointment moved from ${from} to ${slot}. The attached calendar invite updates the event you already have; it is not a second appointment.`
          : props.bookedByPractice
            ? `Your appointment with ${props.clinicianName} is booked.`
            : `Good news: ${props.clinicianName} approved your request. Your appointment is booked.`}
      </P>
      <AppointmentDetails serviceName={props.serviceName} slot={slot} clinicianName={props.clinicianName} />
      {from ? <Detail label="Previously" value={from} /> : null}
      <Callout>
        <P>{cancellationText(props.cancellation, props.timeZone, props.practicePhone)}</P>
      </Callout>
      {props.portalUrl ? <Action href={props.portalUrl} label="View your appointments" /> : null}
    </Layout>
  );
}

RequestApproved.PreviewProps = {
  ...previewForClient,
  cancellation: { policy: '24h', freeUntil: '2026-11-02T15:00:00Z', bookedAt: '2026-10-30T18:20:00Z' },
} satisfies RequestApprovedProps;
