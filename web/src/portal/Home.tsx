import { Link } from '../router';
import { PageHeading } from '../ui';
import type { PortalInfo } from './types';

/** The practice's portal page: "I'm a new client" (when new clients are taken) and "I'm an existing client". */
export function Home({
  practice,
  base,
  signedIn,
}: {
  practice: PortalInfo;
  base: string;
  signedIn: boolean;
}) {
  return (
    <>
      <PageHeading title={`${practice.name} – Client portal`}>{practice.name}</PageHeading>
      <p className="lead">Request an appointment online.</p>
      <div className="choices">
        {practice.allowNewClients && (
          <Link to={`${base}/new`} className="choice-card">
            <span className="choice-title">I'm a new client</span>
            <span className="choice-sub">Request a first consultation</span>
          </Link>
        )}
        <Link to={signedIn ? `${base}/me` : `${base}/sign-in`} className="choice-card">
          <span className="choice-title">I'm an existing client</span>
          <span className="choice-sub">Sign in to request appointments and see yours</span>
        </Link>
      </div>
      {practice.phone && (
        <p className="muted">
          Questions? Call the practice at{' '}
          <a className="nowrap" href={`tel:${practice.phone.replace(/[^+\d]/g, '')}`}>
            {practice.phone}
          </a>
          .
        </p>
      )}
    </>
  );
}
