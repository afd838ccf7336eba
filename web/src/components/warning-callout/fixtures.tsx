import { fixturesOf } from '../fixture';
import { WarningCallout } from './WarningCallout';

export default fixturesOf('warning-callout', WarningCallout, [
  {
    name: 'default',
    options: { heading: 'Review overdue', children: <p>This plan was due for review on 1 March 2026. Check it with the person’s GP.</p> },
  },
]);
