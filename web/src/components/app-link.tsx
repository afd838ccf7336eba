import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface AppLinkProps {
  href: string;
  className?: string;
  children: ReactNode;
  'aria-current'?: 'page' | 'true';
  'aria-label'?: string;
}

/** A link that stays in the app (no page load) for paths of the app, and a plain link otherwise. */
export function AppLink({ href, children, ...rest }: AppLinkProps) {
  const external = !href.startsWith('/') || /^\/(?:api|auth|openehr|docs)\//.test(href);
  if (external)
    return (
      <a href={href} {...rest}>
        {children}
      </a>
    );
  return (
    <Link to={href} {...rest}>
      {children}
    </Link>
  );
}
