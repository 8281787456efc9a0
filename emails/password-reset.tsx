import { Action, Layout, P } from './_components/Layout';

/** Props of the email with a link to choose a new staff password. */
export interface PasswordResetProps {
  practiceName: string;
  firstName: string;
  resetUrl: string;
  validForMinutes?: number;
}

export function subject(props: PasswordResetProps): string {
  return `Reset your ${props.practiceName} password`;
}

/** To a staff user who asked to reset their password: a link valid one hour, once. */
export default function PasswordReset(props: PasswordResetProps) {
  const minutes = props.validForMinutes ?? 60;
  return (
    <Layout practiceName={props.practiceName} preview="Choose a new password for the dashboard">
      <P>{`Hi ${props.firstName},`}</P>
      <P>Someone (we hope you) asked to reset your password for the practice dashboard.</P>
      <Action href={props.resetUrl} label="Choose a new password" />
      <P>
        {`The link works once, for ${minutes} minutes. Choosing a new password signs you out everywhere. If you didn't ask for this, you can ignore this email: your password stays as it is.`}
      </P>
    </Layout>
  );
}

PasswordReset.PreviewProps = {
  practiceName: 'Riverside Counseling',
  firstName: 'Dana',
  resetUrl: 'https://booking.example.com/app/reset-password?token=preview-token',
} satisfies PasswordResetProps;
