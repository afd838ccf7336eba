import { fixturesOf } from '../fixture';
import { Checkboxes } from './Checkboxes';

export default fixturesOf('checkboxes', Checkboxes, [
  {
    name: 'default',
    options: {
      idPrefix: 'pathways',
      fieldset: { legend: { text: 'Which pathways does the plan follow?', size: 'm' } },
      hint: { text: 'Select all that apply' },
      items: [
        { value: 'sickle-cell', text: 'Sickle cell' },
        { value: 'frailty', text: 'Frailty' },
        { value: 'learning-disability-autism', text: 'Learning disability and autism' },
      ],
      values: ['frailty'],
      onChange: () => undefined,
    },
  },
]);
