import { fixturesOf } from '../fixture';
import { Card } from './Card';

export default fixturesOf('card', Card, [
  {
    name: 'clickable',
    options: { heading: 'Find a person', href: '/people', description: 'By NHS number, or by name and date of birth.' },
  },
  { name: 'feature', options: { heading: 'What matters most', variant: 'feature', children: <p>To stay at home with her cat.</p> } },
  {
    name: 'emergency care card',
    options: { heading: 'Do not attempt CPR', variant: 'emergency', children: <p>CPR attempts not recommended (decided 2 March 2026).</p> },
  },
  { name: 'non-urgent care card', options: { heading: 'CPR recommended', variant: 'non-urgent', children: <p>For CPR.</p> } },
]);
