import { AppLink } from '../app-link';

export interface FooterProps {
  meta?: { items?: { href: string; text: string }[]; text?: string };
}

/** nhsuk footer: links about the service and a line of small print. */
export function Footer({ meta }: FooterProps) {
  return (
    <footer role="contentinfo">
      <div className="nhsuk-footer">
        <div className="nhsuk-width-container">
          <div className="nhsuk-footer__meta">
            {meta?.items && meta.items.length > 0 && (
              <>
                <h2 className="nhsuk-u-visually-hidden">Support links</h2>
                <ul className="nhsuk-footer__list">
                  {meta.items.map((item) => (
                    <li className="nhsuk-footer__list-item" key={item.href}>
                      <AppLink className="nhsuk-footer__list-item-link" href={item.href}>
                        {item.text}
                      </AppLink>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {meta?.text && <p className="nhsuk-body-s">{meta.text}</p>}
          </div>
        </div>
      </div>
    </footer>
  );
}
