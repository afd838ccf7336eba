export interface SkipLinkProps {
  href?: string;
  text?: string;
}

/** nhsuk skip link: the first thing a keyboard user reaches, straight to the page's content. */
export function SkipLink({ href = '#maincontent', text = 'Skip to main content' }: SkipLinkProps) {
  return (
    <a className="nhsuk-skip-link" href={href}>
      {text}
    </a>
  );
}
