import { fixturesOf } from '../fixture';
import { Footer } from './Footer';

export default fixturesOf('footer', Footer, [
  { name: 'default', options: {} },
  {
    name: 'with links',
    options: {
      meta: {
        items: [
          { href: '/docs/', text: 'API description' },
          { href: '/accessibility', text: 'Accessibility statement' },
        ],
        text: 'Urgent Care Plan, an open platform for shared care plans.',
      },
    },
  },
]);
