import { Action, Layout, P } from './_components/Layout';

/** Props of the email answering a sign-up for an address that already has a staff account. */
export interface StaffSignupExistingProps {
  practiceName: string;
  firstName: string;
  signInUrl: string;
}

/** Says nothing about the attempt's details: the sign-up form is public and anyone could have typed the address. */
export function subject(props: StaffSignupExistingProps): string {
  return `You already have an account with ${props.practiceName}`;
}

/** To an existing staff member whose address was used to create a new practice: no second practice was made. */
export default function StaffSignupExisting(props: StaffSignupExistingProps) {
  return (
    <Layout practiceName={props.practiceName} preview="No new practice was created">
      <P>{`Hi ${props.firstName},`}</P>
      <P>
        {`Someone asked to create a new practice with this email address. It already belongs to your account with ${props.practiceName}, and an address can belong to one account only, so no new practice was created.`}
      </P>
      <P>If it was you, sign in to your practice instead. If it wasn't, you can ignore this email.</P>
      <Action href={props.signInUrl} label="Sign in" />
    </Layout>
  );
}

StaffSignupExisting.PreviewProps = {
  practiceName: 'Riverside Counseling',
  firstName: 'Ada',
  signInUrl: 'https://booking.example.com/app',
} satisfies StaffSignupExistingProps;
