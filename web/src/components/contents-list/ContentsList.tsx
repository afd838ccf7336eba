import { AppLink } from '../app-link';

export interface ContentsListItem {
  href: string;
  text: string;
  current?: boolean;
}

export interface ContentsListProps {
  /** What the list is, for screen readers (`Administration`). */
  ariaLabel?: string;
  items: readonly ContentsListItem[];
}

/** nhsuk contents list: the pages of one part of the service, the current one not a link. */
export function ContentsList({ ariaLabel = 'Pages in this section', items }: ContentsListProps) {
  return (
    <nav className="nhsuk-contents-list" aria-label={ariaLabel}>
      <h2 className="nhsuk-u-visually-hidden">Contents</h2>
      <ol className="nhsuk-contents-list__list">
        {items.map((item) => (
          <li key={item.href} className="nhsuk-contents-list__item" aria-current={item.current ? 'page' : undefined}>
            {item.current ? (
              <span className="nhsuk-contents-list__current">{item.text}</span>
            ) : (
              <AppLink className="nhsuk-contents-list__link" href={item.href}>
                {item.text}
              </AppLink>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
