import { Action, Layout, P } from './_components/Layout';

/** Props of the practice's invitation to its client portal, sent by staff to a client they added by hand. */
export interface PortalInvitationProps {
  practiceName: string;
  clientFirstName: string;
  /** The portal's sign-in page; the client signs in there with a code emailed on the spot, so no secret rides here. */
  signInUrl: string;
}

/** Names only the practice: the subject shows on lock screens. */
export function subject(props: PortalInvitationProps): string {
  return `Book your appointments online with ${props.practiceName}`;
}

/** To the client: the portal exists, and how to sign in with their email address. */
export default function PortalInvitation(props: PortalInvitationProps) {
  return (
    <Layout
      practiceName={props.practiceName}
      preview={`${props.practiceName} invites you to its client portal`}
    >
      <P>{`Hi ${props.clientFirstName},`}</P>
      <P>{`${props.practiceName} invites you to its client portal, where you can request appointments and see or cancel the ones you have.`}</P>
      <P>
        To sign in, enter this email address on the portal. We&apos;ll email you a 6-digit code to type in:
        there is no password to remember.
      </P>
      <Action href={props.signInUrl} label="Go to the client portal" />
      <P>{`If you weren't expecting this, you can ignore this email.`}</P>
    </Layout>
  );
}

PortalInvitation.PreviewProps = {
  practiceName: 'Riverside Counseling',
  clientFirstName: 'Jordan',
  signInUrl: 'https://booking.example.com/portal/riverside/sign-in',
} satisfies PortalInvitationProps;
