import { fixturesOf } from '../fixture';
import { Fieldset } from './Fieldset';

export default fixturesOf('fieldset', Fieldset, [
  {
    name: 'default',
    options: { legend: { text: 'Who to call first', size: 'm' }, children: <p className="nhsuk-body">Fields go here.</p> },
  },
]);
