import { fixturesOf } from '../fixture';
import { SkipLink } from './SkipLink';

export default fixturesOf('skip-link', SkipLink, [
  { name: 'default', options: {} },
  { name: 'with custom text', options: { href: '#summary', text: 'Skip to the emergency summary' } },
]);
