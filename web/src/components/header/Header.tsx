import { classNames } from '../class-names';
import { AppLink } from '../app-link';

export interface HeaderAccountItem {
  text: string;
  href?: string;
  /** A button (such as sign out) instead of a link. */
  action?: () => void;
  icon?: boolean;
}

export interface HeaderNavigationItem {
  text: string;
  href: string;
  current?: boolean;
}

export interface HeaderProps {
  service: { text: string; href?: string };
  /** The deploying organisation's name beside the service name. */
  organisation?: { name: string };
  account?: { items: HeaderAccountItem[]; ariaLabel?: string };
  navigation?: { items: HeaderNavigationItem[]; ariaLabel?: string };
}

/**
 * nhsuk header: service name, the signed-in account (name, organisation, sign out) and the main
 * navigation. The NHS logo is the deploying organisation's to add: the platform shows its name.
 */
export function Header({ service, organisation, account, navigation }: HeaderProps) {
  return (
    <header className={classNames('nhsuk-header', organisation && 'nhsuk-header--organisation')} role="banner">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          {service.href ? (
            <AppLink className="nhsuk-header__service-name" href={service.href}>
              {service.text}
            </AppLink>
          ) : (
            <span className="nhsuk-header__service-name">{service.text}</span>
          )}
          {organisation && <span className="app-header__organisation">{organisation.name}</span>}
        </div>
        {account && account.items.length > 0 && (
          <nav className="nhsuk-header__account" aria-label={account.ariaLabel ?? 'Account'}>
            <ul className="nhsuk-header__account-list">
              {account.items.map((item) => (
                <li className="nhsuk-header__account-item" key={item.text}>
                  {item.href ? (
                    <AppLink className="nhsuk-header__account-link" href={item.href}>
                      {item.text}
                    </AppLink>
                  ) : item.action ? (
                    <button type="button" className="nhsuk-header__account-button" onClick={item.action}>
                      {item.text}
                    </button>
                  ) : (
                    item.text
                  )}
                </li>
              ))}
            </ul>
          </nav>
        )}
      </div>
      {navigation && navigation.items.length > 0 && (
        <nav className="nhsuk-header__navigation" aria-label={navigation.ariaLabel ?? 'Menu'}>
          <div className="nhsuk-header__navigation-container nhsuk-width-container">
            <ul className="nhsuk-header__navigation-list app-header__navigation-list">
              {navigation.items.map((item) => (
                <li
                  key={item.href}
                  className={classNames('nhsuk-header__navigation-item', item.current && 'nhsuk-header__navigation-item--current')}
                >
                  <AppLink className="nhsuk-header__navigation-link" href={item.href} {...(item.current ? { 'aria-current': 'page' } : {})}>
                    {item.text}
                  </AppLink>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      )}
    </header>
  );
}
