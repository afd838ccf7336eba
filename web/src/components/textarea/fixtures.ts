import { fixturesOf } from '../fixture';
import { Textarea } from './Textarea';

export default fixturesOf('textarea', Textarea, [
  {
    name: 'default',
    options: {
      id: 'what-matters',
      label: { text: 'What matters most to the person' },
      hint: { text: 'In their own words, if you can' },
      value: '',
      onChange: () => undefined,
    },
  },
  {
    name: 'with error',
    options: { id: 'reason', label: { text: 'Reason' }, errorMessage: { text: 'Enter a reason' }, value: '', onChange: () => undefined },
  },
]);
