import { fixturesOf } from '../fixture';
import { BackLink } from './BackLink';

export default fixturesOf('back-link', BackLink, [
  { name: 'default', options: { href: '/' } },
  { name: 'with text', options: { href: '/people', text: 'Back to find a person' } },
]);
