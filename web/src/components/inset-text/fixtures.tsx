import { fixturesOf } from '../fixture';
import { InsetText } from './InsetText';

export default fixturesOf('inset-text', InsetText, [
  { name: 'default', options: { children: <p>You can change the plan only while it is a draft.</p> } },
]);
