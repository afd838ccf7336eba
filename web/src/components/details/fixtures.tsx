import { fixturesOf } from '../fixture';
import { Details } from './Details';

export default fixturesOf('details', Details, [
  {
    name: 'default',
    options: { summaryText: 'Show the codes', children: <p>SNOMED CT 450476008 Not for cardiopulmonary resuscitation</p> },
  },
  { name: 'expander', options: { summaryText: 'Medicines', expander: true, children: <p>Morphine sulfate 10 mg/5 ml oral solution.</p> } },
]);
