import { Text } from '@react-email/components';
import { Layout, P } from './_components/Layout';

/** Props of the one-time code a client uses to sign in to the portal. */
export interface SignInCodeProps {
  practiceName: string;
  code: string;
  validForMinutes?: number;
}

/** The code stays out of the subject, which inbox previews and provider logs show to anyone nearby. */
export function subject(props: SignInCodeProps): string {
  return `Your sign-in code for ${props.practiceName}`;
}

const codeStyle = { fontSize: '32px', fontWeight: 700, letterSpacing: '6px', margin: '16px 0' };

/** To the client: a 6-digit code for the portal, valid 10 minutes. */
export default function SignInCode(props: SignInCodeProps) {
  const minutes = props.validForMinutes ?? 10;
  return (
    <Layout practiceName={props.practiceName} preview={`Your sign-in code is valid for ${minutes} minutes`}>
      <P>Hi,</P>
      <P>{`Use this code to sign in to the ${props.practiceName} client portal:`}</P>
      <Text style={codeStyle}>{props.code}</Text>
      <P>{`It is valid for ${minutes} minutes and works once. If you didn't ask for it, you can ignore this email.`}</P>
    </Layout>
  );
}

SignInCode.PreviewProps = {
  practiceName: 'Riverside Counseling',
  code: '482913',
} satisfies SignInCodeProps;
