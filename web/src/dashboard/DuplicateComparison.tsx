import { formatDateTime, fullName } from '../format';
import { Link } from '../router';
import { useStaff } from './context';
import type { StaffRequest } from './types';

/**
 * A request flagged as a possible duplicate: what the person typed next to the existing client with the same email
 * address, so the clinician can tell one person from two (a parent booking for a child shares an address).
 */
export function DuplicateComparison({ request }: { request: StaffRequest }) {
  const { zone } = useStaff();
  const existing = request.possibleDuplicateClient;
  if (!existing) return null;
  const rows: { label: string; submitted: string; profile: string }[] = [
    { label: 'Name', submitted: fullName(request.client), profile: fullName(existing) },
    { label: 'Email', submitted: request.client.email, profile: existing.email },
    {
      label: 'Phone',
      submitted: request.client.phone ?? 'Not given',
      profile: existing.phone ?? 'Not given',
    },
  ];
  return (
    <section className="compare" aria-label={`Possible duplicate of ${fullName(existing)}`}>
      <p className="small">
        <strong>An existing client already uses this email address.</strong> Compare them, then approve for
        the existing client (their profile stays as it is) or as a separate new client (they share the address
        for contact; the portal sign-in stays with the existing client).
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Detail</span>
            </th>
            <th scope="col">In this request</th>
            <th scope="col">Existing client{existing.archived ? ' (archived)' : ''}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.label}
              className={row.submitted.toLowerCase() === row.profile.toLowerCase() ? '' : 'differs'}
            >
              <th scope="row">{row.label}</th>
              <td>{row.submitted}</td>
              <td>{row.profile}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Client since</th>
            <td>New</td>
            <td>
              {formatDateTime(existing.clientSince, zone)}{' '}
              <Link to={`/app/clients/${existing.id}`}>Profile</Link>
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
