import { fixturesOf } from '../fixture';
import { NotificationBanner } from './NotificationBanner';

export default fixturesOf('notification-banner', NotificationBanner, [
  {
    name: 'default',
    options: {
      children: <p className="nhsuk-notification-banner__heading">Dr Jo Senior published a new version of this plan at 10:42.</p>,
    },
  },
  {
    name: 'success',
    options: { type: 'success', children: <p className="nhsuk-notification-banner__heading">The plan has been published.</p> },
  },
]);
