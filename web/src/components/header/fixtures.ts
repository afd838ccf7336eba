import { fixturesOf } from '../fixture';
import { Header } from './Header';

export default fixturesOf('header', Header, [
  { name: 'signed out', options: { service: { text: 'Urgent Care Plan', href: '/' } } },
  {
    name: 'signed in with navigation',
    options: {
      service: { text: 'Urgent Care Plan', href: '/' },
      organisation: { name: 'Demo Riverside Surgery' },
      account: { items: [{ text: 'Dr Alex Clinician (GP)' }, { text: 'Sign out', action: () => undefined }] },
      navigation: {
        items: [
          { text: 'Find a person', href: '/people', current: true },
          { text: 'Worklists', href: '/worklists' },
          { text: 'Account', href: '/account' },
        ],
      },
    },
  },
]);
