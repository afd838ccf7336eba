import { fixturesOf } from '../fixture';
import { ContentsList } from './ContentsList';

export default fixturesOf('contents-list', ContentsList, [
  {
    name: 'administration',
    options: {
      ariaLabel: 'Administration',
      items: [
        { href: '/admin', text: 'Overview' },
        { href: '/admin/users', text: 'Users', current: true },
        { href: '/admin/clients', text: 'Machine clients' },
      ],
    },
  },
]);
