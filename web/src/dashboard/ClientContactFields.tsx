import { fieldError } from '../api';
import { TextField } from '../ui';

/** A client's contact details as a form holds them (an empty phone is sent as null). */
export interface ContactForm {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

export const CONTACT_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;

/**
 * The contact fields of adding and of editing a client, each saying its own refusal. autoComplete off: staff type
 * someone else's details, and the browser's own (the staff member's) must not be offered.
 */
export function ClientContactFields({
  form,
  onChange,
  error,
}: {
  form: ContactForm;
  onChange: (field: keyof ContactForm, value: string) => void;
  error: unknown;
}) {
  return (
    <>
      <TextField
        label="First name"
        name="firstName"
        autoComplete="off"
        required
        value={form.firstName}
        onValue={(v) => onChange('firstName', v)}
        error={fieldError(error, 'firstName')}
      />
      <TextField
        label="Last name"
        name="lastName"
        autoComplete="off"
        required
        value={form.lastName}
        onValue={(v) => onChange('lastName', v)}
        error={fieldError(error, 'lastName')}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="off"
        required
        hint="The client signs in to the portal with this address."
        value={form.email}
        onValue={(v) => onChange('email', v)}
        error={fieldError(error, 'email')}
      />
      <TextField
        label="Phone"
        name="phone"
        type="tel"
        autoComplete="off"
        value={form.phone}
        onValue={(v) => onChange('phone', v)}
        error={fieldError(error, 'phone')}
      />
    </>
  );
}
