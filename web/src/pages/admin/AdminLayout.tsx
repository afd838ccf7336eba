import { Outlet, useLocation } from 'react-router';
import { Main } from '../../app/Layout';
import { hasRole, useSignedIn } from '../../app/session-context';
import { ContentsList } from '../../components/contents-list/ContentsList';
import { NotFoundPage } from '../not-found/NotFoundPage';

const PLATFORM_ONLY = ['/admin/clients', '/admin/identity-providers'];

function sectionsFor(platformAdmin: boolean) {
  const sections = [
    { href: '/admin', text: 'Overview' },
    { href: '/admin/users', text: 'Users' },
    { href: '/admin/organisations', text: 'Organisations' },
    { href: '/admin/pathways', text: 'Pathways' },
  ];
  if (platformAdmin)
    sections.push({ href: '/admin/clients', text: 'Machine clients' }, { href: '/admin/identity-providers', text: 'Identity providers' });
  return sections;
}

/** The administration area: its pages listed on every one of them, each at its own address. */
export function AdminLayout() {
  const session = useSignedIn();
  const { pathname } = useLocation();
  if (!hasRole(session, 'org-admin', 'platform-admin')) return <NotFoundPage />;
  const platformAdmin = hasRole(session, 'platform-admin');
  if (!platformAdmin && PLATFORM_ONLY.some((path) => pathname.startsWith(path))) return <NotFoundPage />;
  const sections = sectionsFor(platformAdmin);
  const current = [...sections].reverse().find((section) => pathname === section.href || pathname.startsWith(`${section.href}/`));
  return (
    <Main>
      <span className="nhsuk-caption-l">Administration: {session.organisation.name}</span>
      <ContentsList ariaLabel="Administration" items={sections.map((section) => ({ ...section, current: section === current }))} />
      <Outlet />
    </Main>
  );
}
