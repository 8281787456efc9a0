import { useLocation, Link } from './router';
import { PortalApp } from './portal/PortalApp';
import { DashboardApp } from './dashboard/DashboardApp';
import { PageHeading } from './ui';

/** Two apps in one bundle: the client portal under /portal/:slug and the clinician dashboard under /app. */
export function App() {
  const { pathname } = useLocation();
  const portal = /^\/portal\/([^/]+)(\/.*)?$/.exec(pathname);
  if (portal) return <PortalApp slug={decodeURIComponent(portal[1])} rest={portal[2] ?? ''} />;
  if (pathname === '/app' || pathname.startsWith('/app/')) return <DashboardApp path={pathname.slice(4)} />;
  return (
    <main className="container narrow">
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>
        Clinicians and staff: <Link to="/app">sign in to the dashboard</Link>. Clients: use the link your
        practice gave you.
      </p>
    </main>
  );
}
