import { fixturesOf } from '../fixture';
import { DateInput } from './DateInput';

export default fixturesOf('date-input', DateInput, [
  {
    name: 'default',
    options: {
      id: 'review-date',
      fieldset: { legend: { text: 'Review date', size: 'm' } },
      hint: { text: 'For example, 15 3 2027' },
      value: { day: '', month: '', year: '' },
      onChange: () => undefined,
    },
  },
  {
    name: 'with error',
    options: {
      id: 'birth-date',
      fieldset: { legend: { text: 'Date of birth', size: 's' } },
      errorMessage: { text: 'Date of birth must be a real date' },
      value: { day: '31', month: '2', year: '1941' },
      onChange: () => undefined,
    },
  },
]);
