import { fixturesOf } from '../fixture';
import { Button } from './Button';

export default fixturesOf('button', Button, [
  { name: 'default', options: { text: 'Save and continue' } },
  { name: 'secondary', options: { text: 'Find a person', variant: 'secondary' } },
  { name: 'warning', options: { text: 'Break the glass', variant: 'warning' } },
  { name: 'login', options: { text: 'Sign in with NHS Care Identity', variant: 'login' } },
  { name: 'small', options: { text: 'Add another contact', variant: 'secondary', small: true } },
  { name: 'disabled', options: { text: 'Publish', disabled: true } },
  { name: 'as a link', options: { text: 'Start a plan', href: '/people' } },
]);
