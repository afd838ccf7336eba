import { fixturesOf } from '../fixture';
import { SummaryList } from './SummaryList';

export default fixturesOf('summary-list', SummaryList, [
  {
    name: 'default',
    options: {
      rows: [
        { key: { text: 'Name' }, value: { text: 'Sarah Philips' } },
        { key: { text: 'Date of birth' }, value: { text: '5 January 1978' } },
        { key: { text: 'Who to call first' }, value: { text: 'Tom Philips (son), 07700 900 123' } },
      ],
    },
  },
  {
    name: 'with actions',
    options: {
      rows: [
        {
          key: { text: 'Preferred place of death' },
          value: { text: 'Home' },
          actions: { items: [{ href: '#preferences', text: 'Change', visuallyHiddenText: 'preferred place of death' }] },
        },
      ],
    },
  },
  { name: 'without border', options: { noBorder: true, rows: [{ key: { text: 'Status' }, value: { text: 'Published' } }] } },
]);
