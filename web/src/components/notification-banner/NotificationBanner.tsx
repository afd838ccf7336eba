import type { ReactNode } from 'react';
import { classNames } from '../class-names';

export interface NotificationBannerProps {
  titleText?: string;
  /** `success` confirms something the reader did; the default tells them something new. */
  type?: 'success';
  children: ReactNode;
  id?: string;
}

/** nhsuk notification banner: news about the page, such as someone else publishing the plan. */
export function NotificationBanner({ titleText, type, children, id }: NotificationBannerProps) {
  const title = titleText ?? (type === 'success' ? 'Success' : 'Important');
  const titleId = `${id ?? 'notification-banner'}-title`;
  return (
    <div
      className={classNames('nhsuk-notification-banner', type === 'success' && 'nhsuk-notification-banner--success')}
      role={type === 'success' ? 'alert' : 'region'}
      aria-labelledby={titleId}
      id={id}
      data-module="nhsuk-notification-banner"
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id={titleId}>
          {title}
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">{children}</div>
    </div>
  );
}
