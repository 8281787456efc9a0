import { createElement, type FunctionComponent } from 'react';
import { render } from '@react-email/render';
import AppointmentCanceled, {
  subject as appointmentCanceledSubject,
  type AppointmentCanceledProps,
} from './appointment-canceled';
import AppointmentCanceledClinician, {
  subject as appointmentCanceledClinicianSubject,
  type AppointmentCanceledClinicianProps,
} from './appointment-canceled-clinician';
import NewRequest, { subject as newRequestSubject, type NewRequestProps } from './new-request';
import RequestApproved, {
  subject as requestApprovedSubject,
  type RequestApprovedProps,
} from './request-approved';
import RequestDeclined, {
  subject as requestDeclinedSubject,
  type RequestDeclinedProps,
} from './request-declined';
import RequestExpired, {
  subject as requestExpiredSubject,
  type RequestExpiredProps,
} from './request-expired';
import RequestReceived, {
  subject as requestReceivedSubject,
  type RequestReceivedProps,
} from './request-received';
import RequestWithdrawn, {
  subject as requestWithdrawnSubject,
  type RequestWithdrawnProps,
} from './request-withdrawn';
import SignInCode, { subject as signInCodeSubject, type SignInCodeProps } from './sign-in-code';
import EmailVerification, {
  subject as emailVerificationSubject,
  type EmailVerificationProps,
} from './email-verification';
import PortalInvitation, {
  subject as portalInvitationSubject,
  type PortalInvitationProps,
} from './portal-invitation';
import StaffInvitation, {
  subject as staffInvitationSubject,
  type StaffInvitationProps,
} from './staff-invitation';
import StaffSignupExisting, {
  subject as staffSignupExistingSubject,
  type StaffSignupExistingProps,
} from './staff-signup-existing';
import PasswordReset, { subject as passwordResetSubject, type PasswordResetProps } from './password-reset';
import AppointmentReminder, {
  subject as appointmentReminderSubject,
  type AppointmentReminderProps,
} from './appointment-reminder';
import AppointmentRescheduled, {
  subject as appointmentRescheduledSubject,
  type AppointmentRescheduledProps,
} from './appointment-rescheduled';

/** Props of each email, by its template name. */
export interface EmailPropsByKind {
  'new-request': NewRequestProps;
  'request-withdrawn': RequestWithdrawnProps;
  'appointment-canceled-clinician': AppointmentCanceledClinicianProps;
  'request-received': RequestReceivedProps;
  'request-approved': RequestApprovedProps;
  'request-declined': RequestDeclinedProps;
  'request-expired': RequestExpiredProps;
  'appointment-canceled': AppointmentCanceledProps;
  'sign-in-code': SignInCodeProps;
  'email-verification': EmailVerificationProps;
  'portal-invitation': PortalInvitationProps;
  'staff-invitation': StaffInvitationProps;
  'staff-signup-existing': StaffSignupExistingProps;
  'password-reset': PasswordResetProps;
  'appointment-rescheduled': AppointmentRescheduledProps;
  'appointment-reminder': AppointmentReminderProps;
}

/** Name of an email template (the file name under emails/). */
export type EmailKind = keyof EmailPropsByKind;

/** A rendered email, ready for a Mailer. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface Template<P> {
  component: FunctionComponent<P>;
  subject: (props: P) => string;
}

const templates: { [K in EmailKind]: Template<EmailPropsByKind[K]> } = {
  'new-request': { component: NewRequest, subject: newRequestSubject },
  'request-withdrawn': { component: RequestWithdrawn, subject: requestWithdrawnSubject },
  'appointment-canceled-clinician': {
    component: AppointmentCanceledClinician,
    subject: appointmentCanceledClinicianSubject,
  },
  'request-received': { component: RequestReceived, subject: requestReceivedSubject },
  'request-approved': { component: RequestApproved, subject: requestApprovedSubject },
  'request-declined': { component: RequestDeclined, subject: requestDeclinedSubject },
  'request-expired': { component: RequestExpired, subject: requestExpiredSubject },
  'appointment-canceled': { component: AppointmentCanceled, subject: appointmentCanceledSubject },
  'sign-in-code': { component: SignInCode, subject: signInCodeSubject },
  'email-verification': { component: EmailVerification, subject: emailVerificationSubject },
  'portal-invitation': { component: PortalInvitation, subject: portalInvitationSubject },
  'staff-invitation': { component: StaffInvitation, subject: staffInvitationSubject },
  'staff-signup-existing': { component: StaffSignupExisting, subject: staffSignupExistingSubject },
  'password-reset': { component: PasswordReset, subject: passwordResetSubject },
  'appointment-rescheduled': { component: AppointmentRescheduled, subject: appointmentRescheduledSubject },
  'appointment-reminder': { component: AppointmentReminder, subject: appointmentReminderSubject },
};

/** Every template name, for callers that validate a kind coming from outside the type system. */
export const emailKinds = Object.keys(templates) as EmailKind[];

/** Renders one email to subject, html and a plain-text alternative. */
export async function renderEmail<K extends EmailKind>(
  kind: K,
  props: EmailPropsByKind[K],
): Promise<RenderedEmail> {
  const template: Template<EmailPropsByKind[K]> = templates[kind];
  if (!template) throw new Error(`Unknown email kind: ${String(kind)}`);
  const element = createElement(template.component, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: template.subject(props), html, text };
}
