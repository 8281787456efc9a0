import { Action, Layout, P } from './_components/Layout';

/** Props of the email inviting someone to a practice's staff (sent, then once more as a reminder). */
export interface StaffInvitationProps {
  practiceName: string;
  firstName: string;
  /** Who invited them; null for the first admin of a new practice. */
  inviterName: string | null;
  roleLabel: string;
  acceptUrl: string;
  /** The last day the link works, already formatted for the reader ("Monday, June 8"). */
  validUntil: string;
  reminder: boolean;
}

/** Says who is inviting and to what; the link stays out of the subject. */
export function subject(props: StaffInvitationProps): string {
  return props.reminder
    ? `Reminder: your invitation to ${props.practiceName}`
    : props.inviterName
      ? `${props.inviterName} invited you to ${props.practiceName}`
      : `Set up ${props.practiceName} on online booking`;
}

/** To the invited person: a link to set a password and join the practice's dashboard with a role. */
export default function StaffInvitation(props: StaffInvitationProps) {
  const who = props.inviterName ? `${props.inviterName} invited you` : 'You have been invited';
  return (
    <Layout practiceName={props.practiceName} preview={`${who} to join ${props.practiceName}`}>
      <P>{`Hi ${props.firstName},`}</P>
      {props.reminder ? <P>A reminder: your invitation is still waiting for you.</P> : null}
      <P>{`${who} to join ${props.practiceName} as ${props.roleLabel}. Choose a password to accept; you will then be signed in to the dashboard.`}</P>
      <Action href={props.acceptUrl} label="Accept the invitation" />
      <P>{`The link works once, until ${props.validUntil}. If you weren't expecting this, you can ignore this email.`}</P>
      <P>{`If the button does not work, copy this address into your browser: ${props.acceptUrl}`}</P>
    </Layout>
  );
}

StaffInvitation.PreviewProps = {
  practiceName: 'Riverside Counseling',
  firstName: 'Jordan',
  inviterName: 'Alex Morgan',
  roleLabel: 'a clinician',
  acceptUrl: 'https://booking.example.com/app/accept-invitation?token=preview-token',
  validUntil: 'Monday, June 8',
  reminder: false,
} satisfies StaffInvitationProps;
