import { AppLink } from '../app-link';

export interface BackLinkProps {
  href: string;
  text?: string;
}

/** nhsuk back link: to the page before, above the page heading. */
export function BackLink({ href, text = 'Back' }: BackLinkProps) {
  return (
    <AppLink className="nhsuk-back-link" href={href}>
      {text}
    </AppLink>
  );
}
