import { Suspense, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigation } from 'react-router';
import { Footer } from '../components/footer/Footer';
import { Header, type HeaderNavigationItem } from '../components/header/Header';
import { SkipLink } from '../components/skip-link/SkipLink';
import { IdleTimeoutWarning } from './IdleTimeoutWarning';
import { hasRole, useSession } from './session-context';
import type { Session } from '../api/session-api';

function navigationFor(session: Session, path: string): HeaderNavigationItem[] {
  const items: HeaderNavigationItem[] = [];
  if (hasRole(session, 'viewer', 'contributor', 'clinician', 'senior-clinician')) items.push({ text: 'Find a person', href: '/people' });
  if (hasRole(session, 'contributor', 'clinician', 'senior-clinician')) items.push({ text: 'Worklists', href: '/worklists' });
  if (hasRole(session, 'patient')) items.push({ text: 'My plan', href: '/my-plan' });
  if (hasRole(session, 'auditor')) items.push({ text: 'Audit', href: '/audit' });
  if (hasRole(session, 'auditor', 'org-admin', 'platform-admin'))
    items.push({ text: 'ReSPECT completeness', href: '/reports/respect-completeness' });
  if (hasRole(session, 'org-admin', 'platform-admin')) items.push({ text: 'Administration', href: '/admin' });
  if (hasRole(session, 'clinical-designer')) items.push({ text: 'Pathway designer', href: '/designer' });
  items.push({ text: 'Account', href: '/account' });
  return items.map((item) => ({ ...item, current: path === item.href || path.startsWith(`${item.href}/`) }));
}

/** Every page: skip link, header (who is signed in, sign out), the page, footer, idle warning. */
export function Layout() {
  const { state, signOut } = useSession();
  const location = useLocation();
  const navigation = useNavigation();
  const session = state.status === 'signed-in' ? state.session : undefined;
  return (
    <>
      <SkipLink />
      <Header
        service={{ text: 'Urgent Care Plan', href: '/' }}
        {...(session ? { organisation: { name: session.organisation.name } } : {})}
        {...(session
          ? {
              account: { items: [{ text: session.user.displayName }, { text: 'Sign out', action: () => void signOut() }] },
              navigation: { items: navigationFor(session, location.pathname) },
            }
          : {})}
      />
      <Outlet />
      {navigation.state === 'loading' && (
        <p className="nhsuk-u-visually-hidden" role="status">
          Loading
        </p>
      )}
      <Footer
        meta={{
          items: [{ href: '/docs/', text: 'API description' }],
          text: 'Urgent Care Plan: one plan, seen by every service that may meet the person in a crisis.',
        }}
      />
      <IdleTimeoutWarning />
    </>
  );
}

/** The page's main element: one per page, the skip link's target. */
export function Main({ children, wide }: { children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'nhsuk-width-container-fluid' : 'nhsuk-width-container'}>
      <main className="nhsuk-main-wrapper" id="maincontent" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** Pages that need a signed-in person: everyone else is sent to sign in, and brought back after. */
export function RequireSignIn() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading')
    return (
      <Main>
        <p className="nhsuk-body" role="status">
          Checking who is signed in…
        </p>
      </Main>
    );
  if (state.status === 'signed-out') {
    // After signing out, the next person to sign in starts at the beginning, not on the page the last one left.
    const returnTo = state.reason === 'signed-out' ? '/' : `${location.pathname}${location.search}${location.hash}`;
    const query = new URLSearchParams({ returnTo, ...(state.reason ? { reason: state.reason } : {}) });
    return <Navigate to={`/sign-in?${query.toString()}`} replace />;
  }
  return (
    <Suspense fallback={<Main>Loading…</Main>}>
      <Outlet />
    </Suspense>
  );
}
