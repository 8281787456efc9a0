import { parseArgs } from 'node:util';
import { IANAZone } from 'luxon';

/** What `npm run practice:create` is asked to create. */
export interface PracticeArgs {
  name: string;
  timeZone: string;
  admin: { email: string; firstName: string; lastName: string };
}

export const practiceCreateUsage = `Usage: npm run practice:create -- --name "Harbor Counseling" --time-zone America/New_York --admin-email ada@example.com [--admin-first-name Ada --admin-last-name Lovelace]`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The arguments, or a sentence saying what is wrong with them. Pure: nothing is read or written. */
export function parsePracticeArgs(argv: string[]): { args: PracticeArgs } | { error: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        name: { type: 'string' },
        'time-zone': { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-first-name': { type: 'string' },
        'admin-last-name': { type: 'string' },
      },
    }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string).trim() : '');
  const name = text('name');
  const timeZone = text('time-zone');
  const email = text('admin-email').toLowerCase();
  if (name.length < 2 || name.length > 200)
    return { error: '--name is required: the practice name, 2 to 200 characters.' };
  if (!timeZone) return { error: '--time-zone is required: an IANA time zone such as America/New_York.' };
  if (!IANAZone.isValidZone(timeZone))
    return {
      error: `--time-zone "${timeZone}" is not an IANA time zone (for example America/New_York or Europe/London).`,
    };
  if (!EMAIL.test(email) || email.length > 254)
    return { error: '--admin-email is required: the email address of the first admin clinician.' };
  const localPart = email.slice(0, email.indexOf('@'));
  const firstName = text('admin-first-name') || localPart.charAt(0).toUpperCase() + localPart.slice(1);
  const lastName = text('admin-last-name') || 'Admin';
  if (firstName.length > 100 || lastName.length > 100)
    return { error: '--admin-first-name and --admin-last-name may be at most 100 characters.' };
  return { args: { name, timeZone, admin: { email, firstName: firstName.slice(0, 100), lastName } } };
}
