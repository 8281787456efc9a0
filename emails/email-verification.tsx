import { Text } from '@react-email/components';
import { Layout, P } from './_components/Layout';

/** Props of the code a new client types to confirm their email address before requesting an appointment. */
export interface EmailVerificationProps {
  practiceName: string;
  code: string;
  validForMinutes?: number;
}

/** The code stays out of the subject, which inbox previews and provider logs show to anyone nearby. */
export function subject(props: EmailVerificationProps): string {
  return `Confirm your email for ${props.practiceName}`;
}

const codeStyle = { fontSize: '32px', fontWeight: 700, letterSpacing: '6px', margin: '16px 0' };

/** To a new client: a 6-digit code that confirms their address, valid 15 minutes. */
export default function EmailVerification(props: EmailVerificationProps) {
  const minutes = props.validForMinutes ?? 15;
  return (
    <Layout practiceName={props.practiceName} preview={`Your confirmation code is valid for ${minutes} minutes`}>
      <P>Hi,</P>
      <P>{`To request an appointment with ${props.practiceName}, enter this code where you asked for it:`}</P>
      <Text style={codeStyle}>{props.code}</Text>
      <P>{`It is valid for ${minutes} minutes. If you didn't ask for it, you can ignore this email: nothing has been booked.`}</P>
    </Layout>
  );
}

EmailVerification.PreviewProps = {
  practiceName: 'Riverside Counseling',
  code: '482913',
} satisfies EmailVerificationProps;
