import { fixturesOf } from '../fixture';
import { Table } from './Table';

export default fixturesOf('table', Table, [
  {
    name: 'responsive',
    options: {
      caption: 'Plans due for review',
      head: ['Person', 'Review date', 'Status'],
      rows: [
        ['999 000 0018', '1 March 2027', 'Published'],
        ['999 000 0026', '12 January 2027', 'Overdue'],
      ],
    },
  },
  { name: 'plain', options: { responsive: false, head: ['Version', 'Published by'], rows: [['3', 'Dr Jo Senior']] } },
]);
