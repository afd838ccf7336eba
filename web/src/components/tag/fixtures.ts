import { fixturesOf } from '../fixture';
import { Tag } from './Tag';

export default fixturesOf('tag', Tag, [
  { name: 'default', options: { text: 'Published' } },
  { name: 'green', options: { text: 'Verified', colour: 'green' } },
  { name: 'yellow', options: { text: 'Awaiting approval', colour: 'yellow' } },
  { name: 'red', options: { text: 'Review overdue', colour: 'red' } },
  { name: 'grey', options: { text: 'Closed', colour: 'grey' } },
]);
