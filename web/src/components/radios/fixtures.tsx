import { fixturesOf } from '../fixture';
import { Radios } from './Radios';

const noop = () => undefined;

export default fixturesOf('radios', Radios, [
  {
    name: 'default',
    options: {
      idPrefix: 'cpr',
      fieldset: { legend: { text: 'CPR recommendation', size: 'm' } },
      hint: { text: 'The recommendation agreed with the person, or in their best interests' },
      items: [
        { value: 'for', text: 'For CPR' },
        { value: 'not-for', text: 'Not for CPR' },
      ],
      value: undefined,
      onChange: noop,
    },
  },
  {
    name: 'with conditional and error',
    options: {
      idPrefix: 'consent',
      fieldset: { legend: { text: 'Has the person agreed to share their plan?', size: 'm' } },
      errorMessage: { text: 'Select whether the person has agreed to share their plan' },
      items: [
        { value: 'yes', text: 'Yes', conditional: <p className="nhsuk-body">Record how they agreed.</p> },
        { value: 'no', text: 'No' },
      ],
      value: 'yes',
      onChange: noop,
    },
  },
]);
