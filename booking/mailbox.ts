/**
 * The mailbox an address delivers to, for counting one person once (the pending cap, per-mailbox limits); never
 * for sending, which always uses the address as typed.
 *
 * The rule, and why:
 * - Case never matters: domains are case-insensitive, and no provider a client would use treats the local part
 *   as case-sensitive (the practice already matches clients' addresses in any case).
 * - A `+tag` is dropped at every domain: subaddressing is on by default at Google (Gmail and Workspace domains),
 *   Microsoft (Outlook.com and Microsoft 365), Apple iCloud, Fastmail and Proton, and is the usual
 *   recipient_delimiter of Postfix and Exim. A list of provider domains would miss every custom domain those
 *   providers host, which is where a stranger with one inbox would go. Counting two different people at one
 *   domain whose addresses differ only after a `+` as one costs them a shared cap; missing a provider costs a
 *   clinician's calendar.
 * - Dots are dropped only at gmail.com (and googlemail.com, the same mailboxes): Gmail documents that dots do
 *   not matter there. Elsewhere, including Google Workspace domains, `j.smith` and `jsmith` are different people.
 */
export function mailboxOf(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1).replace(/\.$/, '');
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replace(/\./g, '') || local;
  return `${local}@${domain}`;
}
